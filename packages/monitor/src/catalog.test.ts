import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { defaultConfig } from './config.js';
import { createDetectors } from './detectors/all.js';
import { KNOWN_ATTACKS } from './content/known-attacks.js';
import { CAMPAIGN_KINDS } from './sim/simulate.js';
import { BUILTIN_RULES_DIR, checkRuleTechniques, loadRulesDir } from './rules/load-rules.js';

describe('every ATLAS ID the monitor names exists in ATLAS 5.6.0', () => {
  const catalog = testCatalog('5.6.0');
  it('detectors', () => {
    const ids = createDetectors(defaultConfig()).flatMap((d) => d.techniques);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(catalog.technique(id), id).toBeDefined();
  });
  it('the issue’s technique list is covered by detectors or rules', async () => {
    const rules = await loadRulesDir(BUILTIN_RULES_DIR);
    const named = new Set([
      ...createDetectors(defaultConfig()).flatMap((d) => d.techniques),
      ...rules.flatMap((r) => r.techniques),
    ]);
    for (const id of [
      'AML.T0024',
      'AML.T0024.000',
      'AML.T0024.002',
      'AML.T0043',
      'AML.T0042',
      'AML.T0034',
      'AML.T0034.000',
      'AML.T0034.001',
      'AML.T0034.002',
      'AML.T0029',
      'AML.T0051',
      'AML.T0054',
      'AML.T0056',
      'AML.T0057',
      'AML.T0053',
      'AML.T0086',
    ]) {
      expect(catalog.technique(id), id).toBeDefined();
      expect(named.has(id), id).toBe(true);
    }
  });
  it('simulator campaign labels and known-attack templates', () => {
    for (const ids of Object.values(CAMPAIGN_KINDS))
      for (const id of ids) expect(catalog.technique(id), id).toBeDefined();
    for (const k of KNOWN_ATTACKS) expect(catalog.technique(k.technique), k.id).toBeDefined();
  });
  it('built-in rules', async () => {
    const rules = await loadRulesDir(BUILTIN_RULES_DIR);
    expect(() => {
      checkRuleTechniques(rules, catalog);
    }).not.toThrow();
  });
});
