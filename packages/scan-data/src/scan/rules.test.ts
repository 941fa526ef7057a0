import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { RULES } from './rules.js';

describe('ATLAS mapping of data rules', () => {
  it('names only techniques and mitigations of ATLAS 5.6.0', () => {
    const catalog = testCatalog();
    for (const rule of Object.values(RULES)) {
      for (const t of rule.techniques) expect(catalog.technique(t), `${rule.id} ${t}`).toBeDefined();
      for (const m of rule.mitigations) expect(catalog.mitigation(m), `${rule.id} ${m}`).toBeDefined();
    }
  });
  it('covers the techniques and mitigations of the data poisoning issue', () => {
    const named = new Set(Object.values(RULES).flatMap((r) => [...r.techniques, ...r.mitigations]));
    for (const id of [
      'AML.T0020',
      'AML.T0019',
      'AML.T0059',
      'AML.T0070',
      'AML.T0043.004',
      'AML.T0010.002',
      'AML.M0007',
      'AML.M0025',
      'AML.M0014',
    ]) {
      expect(named.has(id), id).toBe(true);
    }
  });
});
