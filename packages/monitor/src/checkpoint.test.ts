import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { monitorConfigSchema } from './config.js';
import { createDetectors } from './detectors/all.js';
import { Monitor } from './engine.js';
import { BUILTIN_RULES_DIR, loadRulesDir } from './rules/load-rules.js';
import { RulesDetector } from './rules/rules-detector.js';
import { simulate } from './sim/simulate.js';

describe('checkpoints', () => {
  it('a monitor restored from a JSON snapshot mid-stream raises exactly the alerts of an uninterrupted one', async () => {
    const sim = simulate({ seed: 17, principals: 60, hours: 1, attackersPerKind: 1 });
    const lines = [...sim.lines];
    const config = monitorConfigSchema.parse({ leakage: { canaries: sim.labels.canaries } });
    const rules = await loadRulesDir(BUILTIN_RULES_DIR);
    const build = (alerts: Alert[]): Monitor =>
      new Monitor(config, [...createDetectors(config), new RulesDetector(rules, config.maxPrincipals)], (a) =>
        alerts.push(a),
      );
    const whole: Alert[] = [];
    const one = build(whole);
    lines.forEach((l, i) => one.processLine(l, i + 1));
    expect(whole.length).toBeGreaterThan(10);

    for (const cut of [Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3)]) {
      const split: Alert[] = [];
      const before = build(split);
      lines.slice(0, cut).forEach((l, i) => before.processLine(l, i + 1));
      const after = build(split);
      after.restore(JSON.parse(JSON.stringify(before.snapshot())) as unknown);
      lines.slice(cut).forEach((l, i) => after.processLine(l, cut + i + 1));
      expect(split).toEqual(whole);
      expect(after.stats().detectors.map((d) => d.tracked)).toEqual(
        one.stats().detectors.map((d) => d.tracked),
      );
      // and the same state: evidence rings, windows, fingerprints… checkpoint to the same JSON
      expect(JSON.stringify(after.snapshot())).toBe(JSON.stringify(one.snapshot()));
    }
  }, 120_000);
});
