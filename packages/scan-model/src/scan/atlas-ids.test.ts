import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { allRuleIds, ruleInfo } from './rules.js';

describe('ATLAS IDs named by scan model', () => {
  it('every technique and mitigation exists in the 5.6.0 catalog', () => {
    const catalog = testCatalog('5.6.0');
    const missing: string[] = [];
    for (const id of allRuleIds()) {
      const info = ruleInfo(id);
      for (const t of [...info.techniques, ...info.mitigations])
        if (!catalog.has(t)) missing.push(`${id}: ${t}`);
    }
    expect(missing).toEqual([]);
    expect(ruleInfo('AG-MODEL-PICKLE-DANGEROUS-GLOBAL').techniques).toEqual([
      'AML.T0011.000',
      'AML.T0010.003',
      'AML.T0018.002',
    ]);
    expect(catalog.technique('AML.T0011.000')?.name).toBe('Unsafe AI Artifacts');
    expect(catalog.mitigation('AML.M0014')?.name).toBe('Verify AI Artifacts');
  });
});
