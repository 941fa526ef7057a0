import { describe, expect, it } from 'vitest';
import type { Alert } from '../alert.js';
import { monitorConfigSchema } from '../config.js';
import { createDetectors } from '../detectors/all.js';
import { Monitor } from '../engine.js';
import { BUILTIN_RULES_DIR, loadRulesDir } from '../rules/load-rules.js';
import { RulesDetector } from '../rules/rules-detector.js';
import { evaluate, labelsSchema } from './evaluate.js';
import { CAMPAIGN_KIND_LIST, simulate } from './simulate.js';

describe('simulator', () => {
  it('is deterministic for a seed', () => {
    const a = [...simulate({ seed: 3, principals: 20, hours: 0.5, attackersPerKind: 1 }).lines].slice(0, 500);
    const b = [...simulate({ seed: 3, principals: 20, hours: 0.5, attackersPerKind: 1 }).lines].slice(0, 500);
    expect(a).toEqual(b);
    const c = [...simulate({ seed: 4, principals: 20, hours: 0.5, attackersPerKind: 1 }).lines].slice(0, 500);
    expect(c).not.toEqual(a);
  });
  it('emits time-ordered events in three logging shapes and labels every campaign kind', () => {
    const sim = simulate({ seed: 5, principals: 60, hours: 1, attackersPerKind: 1 });
    let last = 0;
    let otel = 0;
    let fingerprints = 0;
    for (const line of sim.lines) {
      const r = JSON.parse(line) as Record<string, unknown>;
      const t =
        typeof r.timeUnixNano === 'string'
          ? Number(BigInt(r.timeUnixNano) / 1_000_000n)
          : Date.parse(String(r.timestamp));
      expect(t).toBeGreaterThanOrEqual(last - 60_000);
      last = Math.max(last, t);
      if ('attributes' in r) otel++;
      if ('atlasguard.input.simhash' in r) fingerprints++;
    }
    expect(otel).toBeGreaterThan(0);
    expect(fingerprints).toBeGreaterThan(0);
    expect(new Set(sim.labels.campaigns.map((c) => c.kind))).toEqual(new Set(CAMPAIGN_KIND_LIST));
  });
});

describe('acceptance: entity-level precision and recall on simulated traffic', () => {
  it('≥ 0.95 precision and recall for every campaign kind; false alerts per 1,000 benign principals reported', async () => {
    const sim = simulate({ seed: 11, principals: 300, hours: 2, attackersPerKind: 5 });
    const config = monitorConfigSchema.parse({ leakage: { canaries: sim.labels.canaries } });
    const rules = await loadRulesDir(BUILTIN_RULES_DIR);
    const alerts: Alert[] = [];
    const monitor = new Monitor(
      config,
      [...createDetectors(config), new RulesDetector(rules, config.maxPrincipals)],
      (a) => alerts.push(a),
    );
    let n = 0;
    for (const line of sim.lines) monitor.processLine(line, ++n);
    expect(monitor.counters.malformed).toBe(0);
    const ev = evaluate(alerts, labelsSchema.parse(sim.labels));
    for (const k of ev.kinds) {
      expect.soft(k.recall, `${k.kind} recall`).toBeGreaterThanOrEqual(0.95);
      expect.soft(k.precision, `${k.kind} precision`).toBeGreaterThanOrEqual(0.95);
    }
    expect(ev.kinds).toHaveLength(CAMPAIGN_KIND_LIST.length);
    expect(ev.precision).toBeGreaterThanOrEqual(0.95);
    expect(ev.recall).toBeGreaterThanOrEqual(0.95);
    expect(ev.falseAlertsPer1000BenignPrincipals).toBeLessThanOrEqual(10);
    console.info(
      `simulated ${String(n)} events: precision ${ev.precision.toFixed(3)}, recall ${ev.recall.toFixed(3)}, false alerts per 1,000 benign principals ${String(ev.falseAlertsPer1000BenignPrincipals)}`,
    );
  }, 240_000);
});
