import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { buildCatalog } from './build-catalog.js';
import { parseAtlasYaml } from './parse-atlas-yaml.js';

describe('ATLAS 5.6.0 catalog', () => {
  const catalog = testCatalog('5.6.0');

  it('has the documented counts', () => {
    expect(catalog.version).toBe('5.6.0');
    expect(catalog.tactics).toHaveLength(16);
    expect(catalog.techniques).toHaveLength(170);
    expect(catalog.techniques.filter((t) => t.parent !== undefined)).toHaveLength(69);
    expect(catalog.mitigations).toHaveLength(35);
    expect(catalog.caseStudies).toHaveLength(57);
    expect(catalog.caseStudies.filter((c) => c.type === 'incident')).toHaveLength(17);
    expect(catalog.caseStudies.filter((c) => c.type === 'exercise')).toHaveLength(40);
    const maturity = (m: string) => catalog.techniques.filter((t) => t.maturity === m).length;
    expect([maturity('realized'), maturity('demonstrated'), maturity('feasible')]).toEqual([64, 89, 17]);
  });

  it('keeps tactics in matrix order with Navigator shortnames', () => {
    expect(catalog.tactics[0]?.id).toBe('AML.TA0002');
    expect(catalog.tactics[0]?.shortname).toBe('reconnaissance');
    expect(catalog.tactic('AML.TA0000')?.shortname).toBe('ai-model-access');
    expect(catalog.tactics.map((t) => t.order)).toEqual([...Array(16).keys()]);
  });

  it('indexes both ways', () => {
    const t0051 = catalog.technique('AML.T0051');
    expect(t0051?.subtechniques).toEqual(expect.arrayContaining(['AML.T0051.000', 'AML.T0051.001']));
    expect(catalog.technique('AML.T0051.000')?.parent).toBe('AML.T0051');
    // Sub-techniques inherit the parent's tactics.
    expect(catalog.technique('AML.T0051.000')?.tactics).toEqual(t0051?.tactics);
    const m0015 = catalog.mitigation('AML.M0015');
    for (const link of m0015?.techniques ?? []) {
      expect(catalog.technique(link.id)?.mitigations.map((m) => m.id)).toContain('AML.M0015');
    }
    const cs = catalog.caseStudy('AML.CS0009');
    for (const step of cs?.procedure ?? []) {
      const studies = catalog.technique(step.technique)?.caseStudies;
      expect([...(studies?.incidents ?? []), ...(studies?.exercises ?? [])]).toContain('AML.CS0009');
    }
    for (const tactic of catalog.tactics) {
      for (const id of tactic.techniques) expect(catalog.technique(id)?.tactics).toContain(tactic.id);
    }
  });

  it('reports the known quirks as warnings and recovers the misplaced links', () => {
    const quirks = catalog.warnings.filter((w) => w.code === 'misplaced-technique-use').map((w) => w.id);
    expect(quirks).toEqual(['AML.M0018', 'AML.M0034']);
    expect(catalog.mitigation('AML.M0018')?.mlLifecycle.every((s) => typeof s === 'string')).toBe(true);
    expect(catalog.technique('AML.T0052.001')?.mitigations.map((m) => m.id)).toEqual(
      expect.arrayContaining(['AML.M0018', 'AML.M0034']),
    );
    // 95 techniques have no direct link; 82 have none even through their parent (DESIGN.md's figure).
    const direct = catalog.techniques.filter((t) => t.mitigations.length === 0);
    expect(direct).toHaveLength(95);
    const viaParent = direct.filter(
      (t) => (t.parent ? (catalog.technique(t.parent)?.mitigations.length ?? 0) : 0) === 0,
    );
    expect(viaParent).toHaveLength(82);
  });

  it('resolves Markdown links in descriptions to IDs', () => {
    expect(catalog.technique('AML.T0000')?.links).toEqual(
      expect.arrayContaining(['AML.T0005', 'AML.T0000.000', 'AML.T0000.001', 'AML.T0000.002']),
    );
  });
});

describe('buildCatalog on damaged input', () => {
  it('rejects a document that is not ATLAS', () => {
    expect(() => buildCatalog({ hello: 'world' })).toThrow(/not an ATLAS data file/);
    expect(() => parseAtlasYaml('a: [1, 2', 'bad.yaml')).toThrow(/cannot parse ATLAS data/);
  });

  it('turns bad entries and broken references into warnings', () => {
    const data = buildCatalog({
      id: 'ATLAS',
      name: 'x',
      version: '9.9.9',
      extra: { unknown: true },
      matrices: [
        {
          id: 'ATLAS',
          name: 'm',
          tactics: [{ id: 'AML.TA0001', name: 'AI Attack Staging' }, { id: 'oops' }],
          techniques: [
            { id: 'AML.T0001', name: 'a', tactics: ['AML.TA0001', 'AML.TA0999'], maturity: 'legendary' },
            { id: 'AML.T0001.000', name: 'sub', 'subtechnique-of': 'AML.T0001' },
            { id: 'AML.T0002.000', name: 'orphan', 'subtechnique-of': 'AML.T0002' },
            'not an object',
          ],
          mitigations: [
            {
              id: 'AML.M0001',
              name: 'm',
              techniques: [{ id: 'AML.T0001', use: 'u' }, { id: 'AML.T0404' }, 7],
            },
          ],
        },
      ],
      'case-studies': [
        {
          id: 'AML.CS0001',
          name: 'c',
          procedure: [{ tactic: 'AML.TA0001', technique: 'AML.T0404' }],
          'case-study-type': 'incident',
        },
      ],
    });
    const codes = data.warnings.map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'invalid-tactic',
        'invalid-technique',
        'unknown-maturity',
        'broken-reference',
        'invalid-mitigation-use',
      ]),
    );
    expect(data.techniques.find((t) => t.id === 'AML.T0001.000')?.tactics).toEqual(['AML.TA0001']);
    expect(data.techniques.find((t) => t.id === 'AML.T0001')?.mitigations).toEqual([
      { id: 'AML.M0001', use: 'u' },
    ]);
  });
});
