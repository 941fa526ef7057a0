import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

interface VolumeState {
  /** current minute index */
  m: number;
  /** requests in the current minute */
  c: number;
  /** smoothed requests per minute over closed minutes */
  ew: number;
  /** closed minutes seen */
  n: number;
  lines: number[];
}

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
export class VolumeDetector extends KeyedDetector<VolumeState> {
  readonly id = 'volume';
  readonly description = 'request-rate bursts per principal and per tenant against their own baselines';
  readonly techniques = ['AML.T0034', 'AML.T0034.000'];
  readonly requires = [] as const;
  private readonly tenants: LruMap<string, TenantState>;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
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
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = { m: minute, c: 0, ew: 0, n: 0, lines: [] };
      this.state.set(key, s);
    }
    if (minute > s.m) {
      const keep = 1 - cfg.alpha;
      s.ew = s.n === 0 ? s.c : s.ew * keep + cfg.alpha * s.c;
      const gap = Math.min(minute - s.m - 1, 10_000);
      if (gap > 0) s.ew *= keep ** gap;
      s.n += 1 + gap;
      tenant.ref = tenant.ref * keep + cfg.alpha * s.c;
      s.m = minute;
      s.c = 0;
    }
    s.c++;
    s.lines = pushLine(s.lines, e.line);
    this.observeTenant(tenant, minute, e, ctx);
    const warm = s.n >= 5;
    const baseline = warm ? s.ew : tenant.ref;
    const floor = warm ? cfg.minPerMinute : cfg.minPerMinute * 2;
    const limit = Math.max(floor, cfg.burstFactor * Math.max(baseline, 1));
    if (s.c === Math.ceil(limit)) {
      ctx.emit({
        ruleId: 'AG-MON-VOLUME-BURST',
        severity: 'medium',
        principal: e.principal,
        tenant: e.tenant,
        techniques: ['AML.T0034.000'],
        message: `${s.c} requests in one minute, ${(s.c / Math.max(baseline, 1)).toFixed(1)}× the ${warm ? 'principal' : 'tenant'} baseline of ${baseline.toFixed(1)}/min`,
        evidence: {
          lines: [...s.lines],
          statistic: {
            requestsPerMinute: s.c,
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

  override snapshot(): unknown {
    return { p: super.snapshot(), t: [...this.tenants.entries()] };
  }

  override restore(data: unknown): void {
    const d = data as { p?: unknown; t?: unknown } | null;
    super.restore(d?.p);
    this.tenants.clear();
    if (Array.isArray(d?.t)) {
      for (const entry of d.t as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string')
          this.tenants.set(entry[0], entry[1] as TenantState);
      }
    }
  }
}
