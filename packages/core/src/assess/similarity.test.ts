import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { caseStudyProfile, PROFILE_TRAITS, rankCaseStudies, TECHNIQUE_TRAITS } from './similarity.js';

describe('case-study similarity', () => {
  const catalog = testCatalog();

  it('names only ATLAS techniques that exist in 5.6.0', () => {
    expect(TECHNIQUE_TRAITS.map(([id]) => id).filter((id) => catalog.technique(id) === undefined)).toEqual(
      [],
    );
  });

  it('profiles case studies from their procedures and words', () => {
    const morris = catalog.caseStudy('AML.CS0024');
    const cylance = catalog.caseStudy('AML.CS0003');
    if (!morris || !cylance) throw new Error('case studies missing');
    expect(caseStudyProfile(morris)).toEqual(expect.arrayContaining(['llm', 'rag', 'agent', 'email']));
    expect(caseStudyProfile(cylance)).toEqual(expect.arrayContaining(['security-detector', 'predictive']));
    expect(caseStudyProfile(cylance)).not.toContain('llm');
  });

  it('ranks the studies most like the system first, scores within 0..1', () => {
    const llmApplies = new Set([
      'AML.T0051',
      'AML.T0051.000',
      'AML.T0051.001',
      'AML.T0053',
      'AML.T0040',
      'AML.T0057',
      'AML.T0061',
    ]);
    const ranked = rankCaseStudies(catalog, ['llm', 'rag', 'agent', 'email', 'api'], llmApplies);
    expect(ranked).toHaveLength(catalog.caseStudies.length);
    expect(ranked[0]?.study.id).toBe('AML.CS0024');
    for (const r of ranked) {
      expect(r.similarity).toBeGreaterThanOrEqual(0);
      expect(r.similarity).toBeLessThanOrEqual(1);
      for (const t of r.matched) expect(PROFILE_TRAITS).toContain(t);
    }
    const none = rankCaseStudies(catalog, [], new Set());
    expect(none.every((r) => r.similarity === 0)).toBe(true);
  });
});
