import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { Catalog } from './catalog.js';
import type { CatalogData } from './catalog-types.js';
import { diffCatalogs } from './diff.js';

describe('diffCatalogs on real releases', () => {
  it('5.5.0 → 5.6.0 lists the three new techniques and the new mitigation links', () => {
    const diff = diffCatalogs(testCatalog('5.5.0'), testCatalog('5.6.0'));
    expect(diff.from.version).toBe('5.5.0');
    expect(diff.to.version).toBe('5.6.0');
    expect(diff.techniques.added.map((t) => t.id)).toEqual([
      'AML.T0002.002',
      'AML.T0052.001',
      'AML.T0095.000',
    ]);
    expect(diff.techniques.added.find((t) => t.id === 'AML.T0052.001')?.parent).toBe('AML.T0052');
    expect(diff.techniques.removed).toEqual([]);
    expect(diff.techniques.renamed).toEqual([]);
    expect(diff.mitigationLinks.added).toEqual(
      expect.arrayContaining([
        { mitigation: 'AML.M0018', technique: 'AML.T0052.001' },
        { mitigation: 'AML.M0034', technique: 'AML.T0052.001' },
      ]),
    );
    expect(diff.summary.techniquesAdded).toBe(3);
    expect(diff.summary.unchanged).toBe(false);
  });

  it('5.4.0 → 5.5.0 finds new techniques, maturity changes and new case studies', () => {
    const diff = diffCatalogs(testCatalog('5.4.0'), testCatalog('5.5.0'));
    expect(diff.summary.techniquesAdded).toBe(12);
    expect(diff.techniques.added.map((t) => t.id)).toContain('AML.T0112');
    expect(diff.maturity).toContainEqual({
      id: 'AML.T0024',
      name: 'Exfiltration via AI Inference API',
      from: 'feasible',
      to: 'realized',
    });
    expect(diff.caseStudies.added).toHaveLength(5);
  });

  it('a release against itself is unchanged', () => {
    const diff = diffCatalogs(testCatalog('5.6.0'), testCatalog('5.6.0'));
    expect(diff.summary.unchanged).toBe(true);
    expect(Object.entries(diff.summary).filter(([k, v]) => k !== 'unchanged' && v !== 0)).toEqual([]);
  });
});

describe('diffCatalogs on edited data', () => {
  const base = testCatalog('5.6.0').data;
  const edit = (change: (data: CatalogData) => void): Catalog => {
    const data = structuredClone(base);
    change(data);
    return new Catalog(data);
  };

  it('reports removals, renames, tactic membership, maturity, links and case studies', () => {
    const after = edit((data) => {
      data.techniques = data.techniques.filter((t) => t.id !== 'AML.T0000');
      const t0051 = data.techniques.find((t) => t.id === 'AML.T0051')!;
      t0051.name = 'Prompt Injection';
      t0051.tactics = [...t0051.tactics.filter((id) => id !== 'AML.TA0005'), 'AML.TA0004'];
      t0051.maturity = 'feasible';
      t0051.description += ' More.';
      const m0015 = data.mitigations.find((m) => m.id === 'AML.M0015')!;
      const dropped = m0015.techniques.shift()!;
      m0015.techniques.push({ id: 'AML.T0000.000', use: 'new' });
      data.caseStudies = data.caseStudies.filter((c) => c.id !== 'AML.CS0009');
      data.tactics[0]!.name = 'Recon';
      data.mitigations[1]!.name = 'Renamed';
      expect(dropped.id).toBeDefined();
    });
    const before = testCatalog('5.6.0');
    const diff = diffCatalogs(before, after);
    expect(diff.techniques.removed).toEqual([{ id: 'AML.T0000', name: 'Search Open Technical Databases' }]);
    expect(diff.techniques.renamed).toEqual([
      { id: 'AML.T0051', from: 'LLM Prompt Injection', to: 'Prompt Injection' },
    ]);
    expect(diff.techniques.descriptionChanged).toEqual(['AML.T0051']);
    expect(diff.tacticMembership).toEqual([
      { technique: 'AML.T0051', name: 'Prompt Injection', added: ['AML.TA0004'], removed: ['AML.TA0005'] },
    ]);
    expect(diff.maturity).toEqual([
      { id: 'AML.T0051', name: 'Prompt Injection', from: 'realized', to: 'feasible' },
    ]);
    expect(diff.mitigationLinks.added).toEqual([{ mitigation: 'AML.M0015', technique: 'AML.T0000.000' }]);
    expect(diff.mitigationLinks.removed).toHaveLength(1);
    expect(diff.caseStudies.removed.map((c) => c.id)).toEqual(['AML.CS0009']);
    expect(diff.tactics.renamed).toEqual([{ id: 'AML.TA0002', from: 'Reconnaissance', to: 'Recon' }]);
    expect(diff.mitigations.renamed).toHaveLength(1);
    // Swapped arguments swap the lists.
    const back = diffCatalogs(after, before);
    expect(back.techniques.added.map((t) => t.id)).toEqual(['AML.T0000']);
    expect(back.caseStudies.added.map((c) => c.id)).toEqual(['AML.CS0009']);
  });
});
