import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { describeObject, displayName } from './object-view.js';
import { catalogStats } from './stats.js';

const catalog = testCatalog('5.6.0');

describe('describeObject', () => {
  it('technique AML.T0051: tactics, sub-techniques, mitigations with use, case studies', () => {
    const view = describeObject(catalog, 'AML.T0051');
    if (view?.kind !== 'technique') throw new Error('expected a technique');
    expect(view.url).toBe('https://atlas.mitre.org/techniques/AML.T0051');
    expect(view.maturity).toBe('realized');
    expect(view.tactics.map((t) => t.id)).toContain('AML.TA0005');
    expect(view.subtechniques.map((s) => s.id)).toEqual(['AML.T0051.000', 'AML.T0051.001', 'AML.T0051.002']);
    expect(view.subtechniques[0]?.name).toBe('LLM Prompt Injection: Direct');
    expect(view.mitigations.find((m) => m.id === 'AML.M0020')?.use).toMatch(/Guardrails/);
    const viaSubs = view.subtechniqueCaseStudies;
    expect(viaSubs.incidents.length + viaSubs.exercises.length).toBeGreaterThan(5);
  });

  it('sub-technique: parent and the parent mitigations', () => {
    const view = describeObject(catalog, 'AML.T0051.000');
    if (view?.kind !== 'technique') throw new Error('expected a technique');
    expect(view.parent).toEqual({ id: 'AML.T0051', name: 'LLM Prompt Injection' });
    expect(view.mitigations.length + view.parentMitigations.length).toBeGreaterThan(0);
  });

  it('tactic AML.TA0002', () => {
    const view = describeObject(catalog, 'AML.TA0002');
    if (view?.kind !== 'tactic') throw new Error('expected a tactic');
    expect(view.shortname).toBe('reconnaissance');
    expect(view.position).toBe(1);
    expect(view.attackReference?.id).toBe('TA0043');
    expect(view.techniques.map((t) => t.id)).toContain('AML.T0000');
  });

  it('mitigation AML.M0015 with its techniques and their use', () => {
    const view = describeObject(catalog, 'AML.M0015');
    if (view?.kind !== 'mitigation') throw new Error('expected a mitigation');
    expect(view.name).toBe('Adversarial Input Detection');
    expect(view.techniques.length).toBeGreaterThan(0);
    expect(view.techniques.every((t) => t.name !== '(unknown ID)')).toBe(true);
  });

  it('case study AML.CS0009 with its procedure resolved', () => {
    const view = describeObject(catalog, 'AML.CS0009');
    if (view?.kind !== 'case-study') throw new Error('expected a case study');
    expect(view.type).toBe('incident');
    expect(view.procedure.length).toBeGreaterThan(0);
    expect(
      view.procedure.every((s) => s.technique.name !== '(unknown ID)' && s.tactic.name !== '(unknown ID)'),
    ).toBe(true);
    expect(view.url).toBe('https://atlas.mitre.org/studies/AML.CS0009');
  });

  it('unknown IDs', () => {
    expect(describeObject(catalog, 'AML.T9999')).toBeUndefined();
    expect(displayName(catalog, 'AML.T9999')).toBe('(unknown ID)');
  });
});

describe('catalogStats', () => {
  it('gives the 5.6.0 facts', () => {
    expect(catalogStats(catalog)).toEqual({
      tactics: 16,
      techniques: 170,
      topLevelTechniques: 101,
      subtechniques: 69,
      mitigations: 35,
      caseStudies: 57,
      incidents: 17,
      exercises: 40,
      maturity: { realized: 64, demonstrated: 89, feasible: 17, unspecified: 0 },
      techniquesWithoutMitigation: 95,
      techniquesWithoutAnyMitigation: 82,
      warnings: 2,
    });
  });
});
