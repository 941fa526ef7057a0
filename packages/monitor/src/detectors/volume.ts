import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { PackedRows } from '../state/packed-rows.js';
import { principalKey, type Detector, type DetectorContext } from './detector.js';

/**
 * Row layout per principal: current minute index, requests in the current minute, smoothed requests per
 * minute over closed minutes, closed minutes seen.
 */
const M = 0;
const C = 1;
const EW = 2;
const N = 3;
const WIDTH = 4;

interface TenantState {
  m: number;
  c: number;
  ew: number;
  n: number;
  /** smoothed per-principal requests per active minute */
  ref: number;
}

const MINUTE = 60_000;

/**
 * Request-rate baselines per principal and per tenant (AML.T0034.000 Excessive Queries). A principal alerts
 * when its requests in one minute exceed both an absolute floor and `burstFactor` × its own smoothed rate —
 * or, before it has history, `burstFactor` × the tenant's typical per-principal rate and 2 × the floor,
 * so that steady heavy integrations (batch users) are judged against themselves.
 */
export class VolumeDetector implements Detector {
  readonly id = 'volume';
  readonly description = 'request-rate bursts per principal and per tenant against their own baselines';
  readonly techniques = ['AML.T0034', 'AML.T0034.000'];
  readonly requires = [] as const;
  private readonly tenants: LruMap<string, TenantState>;
  private readonly rows: PackedRows;

  constructor(private readonly config: MonitorConfig) {
    this.rows = new PackedRows(config.maxPrincipals, WIDTH);
    this.tenants = new LruMap(10_000);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.volume;
    const minute = Math.floor(e.time / MINUTE);
    let tenant = this.tenants.get(e.tenant);
    if (tenant === undefined) {
      tenant = { m: minute, c: 0, ew: 0, n: 0, ref: 1 };
      this.tenants.set(e.tenant, tenant);
    }
    const rows = this.rows;
    const key = principalKey(e);
    let id = rows.get(key);
    if (id === undefined) {
      id = rows.create(key);
      rows.values[id * WIDTH + M] = minute;
    }
    const v = rows.values;
    const at = id * WIDTH;
    if (minute > (v[at + M] as number)) {
      const keep = 1 - cfg.alpha;
      const c = v[at + C] as number;
      let ew = (v[at + N] as number) === 0 ? c : (v[at + EW] as number) * keep + cfg.alpha * c;
      const gap = Math.min(minute - (v[at + M] as number) - 1, 10_000);
      if (gap > 0) ew *= keep ** gap;
      v[at + EW] = ew;
      v[at + N] = (v[at + N] as number) + 1 + gap;
      tenant.ref = tenant.ref * keep + cfg.alpha * c;
      v[at + M] = minute;
      v[at + C] = 0;
    }
    const count = (v[at + C] as number) + 1;
    v[at + C] = count;
    rows.pushLine(id, e.line);
    this.observeTenant(tenant, minute, e, ctx);
    const warm = (v[at + N] as number) >= 5;
    const baseline = warm ? (v[at + EW] as number) : tenant.ref;
    const floor = warm ? cfg.minPerMinute : cfg.minPerMinute * 2;
    const limit = Math.max(floor, cfg.burstFactor * Math.max(baseline, 1));
    if (count === Math.ceil(limit)) {
      ctx.emit({
        ruleId: 'AG-MON-VOLUME-BURST',
        severity: 'medium',
        principal: e.principal,
        tenant: e.tenant,
        techniques: ['AML.T0034.000'],
        message: `${count} requests in one minute, ${(count / Math.max(baseline, 1)).toFixed(1)}× the ${warm ? 'principal' : 'tenant'} baseline of ${baseline.toFixed(1)}/min`,
        evidence: {
          lines: rows.linesOf(id),
          statistic: {
            requestsPerMinute: count,
            baselinePerMinute: Number(baseline.toFixed(3)),
            limit: Math.ceil(limit),
            baselineFrom: warm ? 'principal' : 'tenant',
          },
        },
        windowStart: minute * MINUTE,
        windowEnd: e.time,
      });
    }
  }

  private observeTenant(t: TenantState, minute: number, e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.volume;
    if (minute > t.m) {
      const keep = 1 - cfg.alpha;
      t.ew = t.n === 0 ? t.c : t.ew * keep + cfg.alpha * t.c;
      const gap = Math.min(minute - t.m - 1, 10_000);
      if (gap > 0) t.ew *= keep ** gap;
      t.n += 1 + gap;
      t.m = minute;
      t.c = 0;
    }
    t.c++;
    if (t.n < 10) return;
    const limit = Math.max(cfg.minPerMinute * 10, cfg.burstFactor * Math.max(t.ew, 1));
    if (t.c === Math.ceil(limit)) {
      ctx.emit({
        ruleId: 'AG-MON-TENANT-VOLUME-BURST',
        severity: 'medium',
        principal: `tenant:${e.tenant}`,
        tenant: e.tenant,
        techniques: ['AML.T0034.000'],
        message: `tenant ${e.tenant}: ${t.c} requests in one minute, ${(t.c / Math.max(t.ew, 1)).toFixed(1)}× its baseline`,
        evidence: {
          lines: [e.line],
          statistic: { requestsPerMinute: t.c, baselinePerMinute: Number(t.ew.toFixed(3)) },
        },
        windowStart: minute * MINUTE,
        windowEnd: e.time,
      });
    }
  }

  tracked(): number {
    return this.rows.size;
  }

  stateBytes(): number {
    return this.rows.stateBytes();
  }

  /** Checkpoints keep the layout of the object states: per principal `[key, { m, c, ew, n, lines }]`. */
  snapshot(): unknown {
    const p: [string, unknown][] = [];
    const v = this.rows.values;
    for (const [k, id] of this.rows.entries()) {
      const at = id * WIDTH;
      p.push([k, { m: v[at + M], c: v[at + C], ew: v[at + EW], n: v[at + N], lines: this.rows.linesOf(id) }]);
    }
    return { p, t: [...this.tenants.entries()] };
  }

  restore(data: unknown): void {
    const d = data as { p?: unknown; t?: unknown } | null;
    this.rows.clear();
    const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
    this.rows.restoreEntries(d?.p, (id, st) => {
      const at = id * WIDTH;
      this.rows.values[at + M] = num(st.m);
      this.rows.values[at + C] = num(st.c);
      this.rows.values[at + EW] = num(st.ew);
      this.rows.values[at + N] = num(st.n);
    });
    this.tenants.clear();
    if (Array.isArray(d?.t)) {
      for (const entry of d.t as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string')
          this.tenants.set(entry[0], entry[1] as TenantState);
      }
    }
  }
}
