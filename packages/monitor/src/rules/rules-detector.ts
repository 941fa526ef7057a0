import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { pushLine, type Detector, type DetectorContext } from '../detectors/detector.js';
import { fieldText, ruleMatches, type CompiledRule } from './compile.js';

interface GroupState {
  /** times of matching events (event_count) or [time, value] (value_count), oldest first */
  t: number[];
  v: string[];
  lines: number[];
}

/** Runs the YAML detection rules: per-event selections, optionally correlated per group over a timespan. */
export class RulesDetector implements Detector {
  readonly id = 'rules';
  readonly description = 'Sigma-shaped YAML detection rules';
  readonly techniques: readonly string[];
  readonly requires = [] as const;
  private readonly groups: LruMap<string, GroupState>;

  constructor(
    readonly rules: readonly CompiledRule[],
    maxKeys: number,
  ) {
    this.techniques = [...new Set(rules.flatMap((r) => r.techniques))];
    this.groups = new LruMap(maxKeys);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    for (const rule of this.rules) {
      if (!ruleMatches(rule, e)) continue;
      const c = rule.correlation;
      const base = {
        ruleId: rule.id,
        severity: rule.severity,
        principal: e.principal,
        tenant: e.tenant,
        techniques: rule.techniques,
      };
      if (!c) {
        ctx.emit({
          ...base,
          message: rule.doc.title,
          evidence: { lines: [e.line], rule: rule.source },
          windowStart: e.time,
          windowEnd: e.time,
        });
        continue;
      }
      const groupKey = `${rule.id}\u0000${c.groupBy.map((f) => fieldText(e, f)).join('\u0000')}`;
      const g = this.groups.getOrCreate(groupKey, () => ({ t: [], v: [], lines: [] }));
      const value = c.field !== undefined ? fieldText(e, c.field) : '';
      g.t.push(e.time);
      g.v.push(value);
      g.lines = pushLine(g.lines, e.line);
      while (g.t.length > 0 && (g.t[0] ?? 0) < e.time - c.timespanMs) {
        g.t.shift();
        g.v.shift();
      }
      const cap = Math.max(c.gte * 4, 64);
      if (g.t.length > cap) {
        g.t.splice(0, g.t.length - cap);
        g.v.splice(0, g.v.length - cap);
      }
      const count = c.type === 'event_count' ? g.t.length : new Set(g.v).size;
      if (count >= c.gte) {
        ctx.emit({
          ...base,
          message: `${rule.doc.title}: ${count} ${c.type === 'event_count' ? 'matching events' : `distinct ${c.field ?? ''} values`} within ${rule.doc.correlation?.timespan ?? ''}`,
          evidence: { lines: [...g.lines], statistic: { count, threshold: c.gte }, rule: rule.source },
          windowStart: g.t[0] ?? e.time,
          windowEnd: e.time,
        });
      }
    }
  }

  tracked(): number {
    return this.groups.size;
  }
  stateBytes(): number {
    let n = 0;
    for (const g of this.groups.values())
      n += 64 + g.t.length * 16 + g.v.reduce((a, s) => a + 16 + s.length * 2, 0) + g.lines.length * 8;
    return n;
  }
  snapshot(): unknown {
    return [...this.groups.entries()];
  }
  restore(data: unknown): void {
    this.groups.clear();
    if (!Array.isArray(data)) return;
    for (const entry of data)
      if (Array.isArray(entry) && typeof entry[0] === 'string')
        this.groups.set(entry[0], entry[1] as GroupState);
  }
}
