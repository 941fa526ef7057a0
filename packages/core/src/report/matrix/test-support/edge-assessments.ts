import type { Assessment } from '../../../assess/assessment-types.js';
import type { Catalog } from '../../../atlas/catalog.js';
import { fixtureAssessment } from './assessment-fixture.js';

/** Nothing applies: no risks, scenarios or questions — writers must still produce a sensible document. */
export function emptyAssessment(catalog: Catalog): Assessment {
  const base = fixtureAssessment(catalog);
  return {
    ...base,
    system: { ...base.system, name: 'Empty', assets: [], actors: [], traits: [], owners: [] },
    ledger: base.ledger.map((e) => ({
      techniqueId: e.techniqueId,
      name: e.name,
      tactics: e.tactics,
      ...(e.parent !== undefined ? { parent: e.parent } : {}),
      maturity: e.maturity,
      decision: 'not-applicable' as const,
      reason: 'Nothing in the model',
      rules: [],
      trace: [],
      assets: [],
      elements: [],
      mitigations: [],
      gap: e.gap,
      compensatingControls: [],
      questions: [],
      caseStudies: [],
      assetDecisions: [],
    })),
    risks: [],
    scenarios: [],
    questions: [],
    warnings: [],
    coverage: { ...base.coverage, applies: 0, unknown: 0, notApplicable: base.ledger.length, gaps: 0 },
  };
}

/**
 * An assessment holding IDs this catalog and content do not know (as if made with a newer ATLAS release
 * or content version): writers must not crash and must not invent names for them.
 */
export function foreignIdsAssessment(catalog: Catalog): Assessment {
  const base = fixtureAssessment(catalog);
  const first = base.ledger.find((e) => e.decision === 'applies');
  if (first === undefined) throw new Error('fixture has no applicable technique');
  const foreign = {
    ...first,
    techniqueId: 'AML.T0999',
    name: 'Future Technique',
    tactics: ['AML.TA0099'],
    questions: [{ id: 'Q-AML.T0999-1', answer: 'unanswered' as const, via: 'technique' as const }],
    caseStudies: [
      { id: 'AML.CS0999', name: 'Future case', type: 'unknown' as const, similarity: 0.5, matched: [] },
    ],
    compensatingControls: [{ id: 'CC-FUTURE', title: 'Future control' }],
  };
  const risk = base.risks[0];
  if (risk === undefined) throw new Error('fixture has no risk');
  return {
    ...base,
    ledger: [...base.ledger, foreign],
    risks: [
      ...base.risks,
      {
        ...risk,
        id: 'AML.T0999',
        techniqueId: 'AML.T0999',
        name: 'Future Technique',
        tactics: ['AML.TA0099'],
        rank: base.risks.length + 1,
        status: 'open',
        decision: 'applies',
        mitigationsMissing: [],
      },
    ],
    questions: [
      ...base.questions,
      { id: 'Q-AML.T0999-1', answer: 'unanswered', techniques: ['AML.T0999'], mitigations: [] },
    ],
    coverage: { ...base.coverage, unknownToRules: ['AML.T0999'] },
  };
}

/** Freezes a value deeply, so a writer that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
