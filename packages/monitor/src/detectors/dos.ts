import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { PackedRows, PackedWindow } from '../state/packed-rows.js';
import { principalKey, type Detector, type DetectorContext } from './detector.js';

const F_COUNT = 0;
const F_ERR = 1;
const F_DUR = 2;

/** Row layout: the window, then the smoothed latency of successful requests (seconds) and its count. */
const SLOTS = 6;
const FIELDS = 3;
const AT_LAT = 1 + SLOTS * FIELDS;
const AT_LAT_N = AT_LAT + 1;
const WIDTH = AT_LAT_N + 1;

/**
 * Denial of AI service (AML.T0029): per principal, error bursts (rate-limit and server errors — a few retries
 * stay far below the floor) and compute floods (sum of request durations per window, i.e. sustained
 * concurrency) with latency well above the principal's own smoothed latency.
 */
export class DosDetector implements Detector {
  readonly id = 'dos';
  readonly description = 'error bursts and compute/latency floods per principal';
  readonly techniques = ['AML.T0029'];
  readonly requires = [] as const;
  readonly requiresAny = ['error.type', 'gen_ai.client.operation.duration'] as const;
  private readonly shape: PackedWindow;
  private readonly rows: PackedRows;

  constructor(private readonly config: MonitorConfig) {
    this.shape = new PackedWindow(config.dos.windowSeconds, SLOTS, FIELDS);
    this.rows = new PackedRows(config.maxPrincipals, WIDTH);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.dos;
    const rows = this.rows;
    const key = principalKey(e);
    let id = rows.get(key);
    if (id === undefined) {
      id = rows.create(key);
      this.shape.init(rows.values, id * WIDTH, e.time);
    }
    const v = rows.values;
    const at = id * WIDTH;
    const b = this.shape.advance(v, at, e.time);
    const err = e.record['error.type'] !== undefined && e.record['error.type'] !== '';
    const dur = e.record['gen_ai.client.operation.duration'] ?? 0;
    this.shape.add(v, at, b, F_COUNT, 1);
    if (err) this.shape.add(v, at, b, F_ERR, 1);
    this.shape.add(v, at, b, F_DUR, dur);
    rows.pushLine(id, e.line);
    // the three window sums in one pass, each added slot by slot from 0 in the order `PackedWindow.sum` adds
    // them (so bit for bit the same), into locals: no boxed double comes back from a call per sum
    let count = 0;
    let errors = 0;
    let compute = 0;
    for (let i = at + 1, end = at + 1 + SLOTS * FIELDS; i < end; i += FIELDS) {
      count += v[i + F_COUNT] as number;
      errors += v[i + F_ERR] as number;
      compute += v[i + F_DUR] as number;
    }
    const burst = errors >= cfg.minErrors && errors / count >= cfg.errorShare;
    const meanLatency = compute / Math.max(count, 1);
    const lat = v[at + AT_LAT] as number;
    const latN = v[at + AT_LAT_N] as number;
    const flood =
      count >= cfg.minEvents &&
      compute >= cfg.computeSecondsPerWindow &&
      (latN < 20 || meanLatency >= cfg.latencyFactor * lat);
    if (!err && dur > 0) {
      v[at + AT_LAT] = latN === 0 ? dur : lat * 0.98 + 0.02 * dur;
      v[at + AT_LAT_N] = latN + 1;
    }
    if (!burst && !flood) return;
    const statistic = {
      requests: count,
      errors,
      errorShare: Number((errors / Math.max(count, 1)).toFixed(3)),
      computeSeconds: Number(compute.toFixed(2)),
      baselineLatencySeconds: Number((v[at + AT_LAT] as number).toFixed(3)),
    };
    const base = {
      principal: e.principal,
      tenant: e.tenant,
      windowStart: this.shape.start(v, at),
      windowEnd: e.time,
    };
    if (burst) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-DOS-ERROR-BURST',
        severity: 'high',
        techniques: ['AML.T0029'],
        message: `${errors} failed requests of ${count} in ${cfg.windowSeconds}s`,
        evidence: { lines: rows.linesOf(id), statistic },
      });
    }
    if (flood) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-DOS-COMPUTE-FLOOD',
        severity: 'high',
        techniques: ['AML.T0029'],
        message: `${compute.toFixed(0)} compute-seconds in ${cfg.windowSeconds}s (≈${(compute / cfg.windowSeconds).toFixed(1)} concurrent requests), mean latency ${meanLatency.toFixed(2)}s`,
        evidence: { lines: rows.linesOf(id), statistic },
      });
    }
  }

  tracked(): number {
    return this.rows.size;
  }

  stateBytes(): number {
    return this.rows.stateBytes();
  }

  /** Checkpoints keep the layout of the object states: `[key, { w: { h, v }, lines, lat, latN }]`. */
  snapshot(): unknown {
    const out: [string, unknown][] = [];
    const v = this.rows.values;
    for (const [k, id] of this.rows.entries()) {
      const at = id * WIDTH;
      out.push([
        k,
        {
          w: this.shape.toJson(v, at),
          lines: this.rows.linesOf(id),
          lat: v[at + AT_LAT],
          latN: v[at + AT_LAT_N],
        },
      ]);
    }
    return out;
  }

  restore(data: unknown): void {
    this.rows.clear();
    this.rows.restoreEntries(data, (id, st) => {
      const at = id * WIDTH;
      const v = this.rows.values;
      this.shape.fromJson(v, at, st.w);
      v[at + AT_LAT] = typeof st.lat === 'number' ? st.lat : 0;
      v[at + AT_LAT_N] = typeof st.latN === 'number' ? st.latN : 0;
    });
  }
}
