import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { WindowShape, type BucketWindow } from '../state/window.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

const F_COUNT = 0;
const F_ERR = 1;
const F_DUR = 2;

interface DosState {
  w: BucketWindow;
  lines: number[];
  /** smoothed mean latency of this principal's successful requests, seconds */
  lat: number;
  latN: number;
}

/**
 * Denial of AI service (AML.T0029): per principal, error bursts (rate-limit and server errors — a few retries
 * stay far below the floor) and compute floods (sum of request durations per window, i.e. sustained
 * concurrency) with latency well above the principal's own smoothed latency.
 */
export class DosDetector extends KeyedDetector<DosState> {
  readonly id = 'dos';
  readonly description = 'error bursts and compute/latency floods per principal';
  readonly techniques = ['AML.T0029'];
  readonly requires = [] as const;
  readonly requiresAny = ['error.type', 'gen_ai.client.operation.duration'] as const;
  private readonly shape: WindowShape;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
    this.shape = new WindowShape(config.dos.windowSeconds, 6, 3);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.dos;
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = { w: this.shape.create(e.time), lines: [], lat: 0, latN: 0 };
      this.state.set(key, s);
    }
    const b = this.shape.advance(s.w, e.time);
    const err = e.record['error.type'] !== undefined && e.record['error.type'] !== '';
    const dur = e.record['gen_ai.client.operation.duration'] ?? 0;
    this.shape.add(s.w, b, F_COUNT, 1);
    if (err) this.shape.add(s.w, b, F_ERR, 1);
    this.shape.add(s.w, b, F_DUR, dur);
    s.lines = pushLine(s.lines, e.line);
    const count = this.shape.sum(s.w, F_COUNT);
    const errors = this.shape.sum(s.w, F_ERR);
    const compute = this.shape.sum(s.w, F_DUR);
    const burst = errors >= cfg.minErrors && errors / count >= cfg.errorShare;
    const meanLatency = compute / Math.max(count, 1);
    const flood =
      count >= cfg.minEvents &&
      compute >= cfg.computeSecondsPerWindow &&
      (s.latN < 20 || meanLatency >= cfg.latencyFactor * s.lat);
    if (!err && dur > 0) {
      s.lat = s.latN === 0 ? dur : s.lat * 0.98 + 0.02 * dur;
      s.latN++;
    }
    if (!burst && !flood) return;
    const statistic = {
      requests: count,
      errors,
      errorShare: Number((errors / Math.max(count, 1)).toFixed(3)),
      computeSeconds: Number(compute.toFixed(2)),
      baselineLatencySeconds: Number(s.lat.toFixed(3)),
    };
    const base = {
      principal: e.principal,
      tenant: e.tenant,
      windowStart: this.shape.start(s.w),
      windowEnd: e.time,
    };
    if (burst) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-DOS-ERROR-BURST',
        severity: 'high',
        techniques: ['AML.T0029'],
        message: `${errors} failed requests of ${count} in ${cfg.windowSeconds}s`,
        evidence: { lines: [...s.lines], statistic },
      });
    }
    if (flood) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-DOS-COMPUTE-FLOOD',
        severity: 'high',
        techniques: ['AML.T0029'],
        message: `${compute.toFixed(0)} compute-seconds in ${cfg.windowSeconds}s (≈${(compute / cfg.windowSeconds).toFixed(1)} concurrent requests), mean latency ${meanLatency.toFixed(2)}s`,
        evidence: { lines: [...s.lines], statistic },
      });
    }
  }
}
