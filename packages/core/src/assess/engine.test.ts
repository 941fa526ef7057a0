import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { assessmentSchema, type Assessment } from './assessment-types.js';
import { diffBaseline } from './baseline.js';
import { explainTechnique } from './explain.js';
import { evaluateGate } from './gate.js';
import { DEFAULT_POLICY, parsePolicyText, policySchema } from './policy.js';
import { APPLICABILITY_RULES } from './rules/applicability-rules.js';
import {
  assessModel,
  cloneModel,
  exampleModel,
  EXAMPLES,
  type ExampleName,
} from './test-support/examples.js';

const catalog = testCatalog();
const cache = new Map<ExampleName, Assessment>();
const assessed = (name: ExampleName): Assessment => {
  let a = cache.get(name);
  if (!a) {
    a = assessModel(exampleModel(name), catalog);
    cache.set(name, a);
  }
  return a;
};
const entry = (a: Assessment, id: string) => {
  const e = a.ledger.find((x) => x.techniqueId === id);
  if (!e) throw new Error(`no ledger entry for ${id}`);
  return e;
};
const rankOf = (a: Assessment, id: string): number =>
  a.risks.find((r) => r.id === id)?.rank ?? Number.POSITIVE_INFINITY;
const topIds = (a: Assessment, n: number): string[] => a.risks.slice(0, n).map((r) => r.id);

describe('assess: the ledger', () => {
  it.each(EXAMPLES)(
    '%s: decides all 170 techniques of 5.6.0, each with a reason, in catalog order',
    (name) => {
      const a = assessed(name);
      expect(() => assessmentSchema.parse(a)).not.toThrow();
      expect(a.ledger.map((e) => e.techniqueId)).toEqual(catalog.techniques.map((t) => t.id));
      for (const e of a.ledger) {
        expect(e.reason.trim().length, e.techniqueId).toBeGreaterThan(15);
        expect(e.reason, e.techniqueId).not.toMatch(/no rule matched/);
        if (e.decision === 'unknown') expect(e.decidingQuestion, e.techniqueId).toBeTruthy();
        if (e.decision === 'applies') {
          expect(e.trace.length, e.techniqueId).toBeGreaterThan(0);
          expect(e.inherent && e.residual, e.techniqueId).toBeTruthy();
        }
        if (e.decision === 'not-applicable') expect(e.residual, e.techniqueId).toBeUndefined();
      }
      const c = a.coverage;
      expect(c.applies + c.notApplicable + c.unknown).toBe(170);
      expect(c.unknownToRules).toEqual([]);
      expect(c.decided).toBeGreaterThan(0.9);
    },
  );

  it('is precise: no example has everything applicable, and each has many concrete not-applicable decisions', () => {
    for (const name of EXAMPLES) {
      const c = assessed(name).coverage;
      expect(c.notApplicable, name).toBeGreaterThanOrEqual(30);
      expect(c.applies, name).toBeLessThan(130);
    }
  });

  it('is deterministic', () => {
    const model = exampleModel('citizen-llm-assistant');
    expect(JSON.stringify(assessModel(model, catalog))).toBe(JSON.stringify(assessModel(model, catalog)));
  });

  it('reports techniques no rule knows as unknown, never dropped (a newer release)', () => {
    const rules = APPLICABILITY_RULES.map((r) => ({
      ...r,
      techniques: r.techniques.filter((t) => t !== 'AML.T0051'),
    }));
    const a = assessModel(exampleModel('citizen-llm-assistant'), catalog, { rules });
    const e = entry(a, 'AML.T0051');
    expect(e.decision).toBe('unknown');
    expect(e.reason).toMatch(/no AtlasGuard applicability rule/);
    expect(e.decidingQuestion).toContain('LLM Prompt Injection');
    expect(a.coverage.unknownToRules).toEqual(['AML.T0051']);
    expect(a.ledger).toHaveLength(170);
  });

  it('works release-independently: an older release gets one entry per technique it has', () => {
    const old = testCatalog('5.4.0');
    const a = assessModel(exampleModel('internal-coding-agent'), old);
    expect(a.ledger).toHaveLength(old.techniques.length);
    expect(a.atlas.version).toBe(old.version);
  });
});

describe('assess: top risks differ sensibly between the examples', () => {
  it('LLM prompt injection (AML.T0051) ranks high for the citizen assistant', () => {
    expect(rankOf(assessed('citizen-llm-assistant'), 'AML.T0051')).toBeLessThanOrEqual(5);
  });

  it('evasion (AML.T0015) and exfiltration via the inference API (AML.T0024) rank high for the fraud model', () => {
    const a = assessed('card-fraud-scoring');
    expect(rankOf(a, 'AML.T0015')).toBeLessThanOrEqual(5);
    expect(rankOf(a, 'AML.T0024')).toBeLessThanOrEqual(5);
  });

  it('AI supply chain compromise of the model (AML.T0010.003) ranks high for the imaging classifier', () => {
    expect(rankOf(assessed('hospital-imaging-classifier'), 'AML.T0010.003')).toBeLessThanOrEqual(5);
  });

  it('agent tool invocation (AML.T0053) ranks high for the coding agent', () => {
    expect(rankOf(assessed('internal-coding-agent'), 'AML.T0053')).toBeLessThanOrEqual(5);
  });

  it('the top five of any two examples are different', () => {
    const tops = EXAMPLES.map((n) => topIds(assessed(n), 5).join(','));
    expect(new Set(tops).size).toBe(EXAMPLES.length);
  });
});

describe('assess: hard negatives', () => {
  it('no LLM → every LLM technique is not applicable, with the reason', () => {
    for (const name of ['card-fraud-scoring', 'hospital-imaging-classifier'] as const) {
      const a = assessed(name);
      for (const id of [
        'AML.T0051',
        'AML.T0051.000',
        'AML.T0051.001',
        'AML.T0054',
        'AML.T0056',
        'AML.T0057',
        'AML.T0065',
        'AML.T0070',
      ]) {
        const e = entry(a, id);
        expect(e.decision, `${name} ${id}`).toBe('not-applicable');
        expect(e.reason, `${name} ${id}`).toMatch(/no language model/);
        expect(
          e.trace.some((t) => t.value === 'no model.llm'),
          `${name} ${id}`,
        ).toBe(true);
      }
    }
  });

  it('weights never leave the building → white-box and full-model access are not applicable', () => {
    const a = assessed('card-fraud-scoring');
    for (const id of ['AML.T0044', 'AML.T0043.000']) {
      expect(entry(a, id).decision).toBe('not-applicable');
      expect(entry(a, id).reason).toMatch(/internal-only/);
    }
  });

  it('a safe artifact format → no code-on-load techniques; trained in-house → no model supply chain', () => {
    const a = assessed('card-fraud-scoring');
    expect(entry(a, 'AML.T0011.000').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0018.002').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0010.003').decision).toBe('not-applicable');
  });

  it('internal-only model → no inference API access, no reputational harm to the public', () => {
    const a = assessed('hospital-imaging-classifier');
    expect(entry(a, 'AML.T0040').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0048.001').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0034').decision).toBe('not-applicable');
  });

  it('hosted third-party LLM without training → no training-data poisoning or membership inference', () => {
    const a = assessed('citizen-llm-assistant');
    expect(entry(a, 'AML.T0020').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0024.000').decision).toBe('not-applicable');
    expect(entry(a, 'AML.T0024.000').reason).toMatch(/trains nothing/);
    expect(entry(a, 'AML.T0010.003').decision).toBe('not-applicable');
  });

  it('no camera or sensor → physical-world techniques are not applicable', () => {
    for (const name of EXAMPLES) {
      expect(entry(assessed(name), 'AML.T0041').decision, name).toBe('not-applicable');
      expect(entry(assessed(name), 'AML.T0008.003').decision, name).toBe('not-applicable');
    }
  });

  it('labels-only API → inversion not applicable and extraction less likely than with scores', () => {
    const model = cloneModel(exampleModel('card-fraud-scoring'));
    const scorer = model.model[0];
    if (!scorer) throw new Error('no model');
    scorer.outputs = ['labels'];
    const labels = assessModel(model, catalog);
    const scores = assessed('card-fraud-scoring');
    expect(entry(labels, 'AML.T0024.001').decision).toBe('not-applicable');
    expect(entry(labels, 'AML.T0024.001').reason).toMatch(/labels only/);
    expect(entry(scores, 'AML.T0024.001').decision).toBe('applies');
    const l = entry(labels, 'AML.T0024.002').inherent?.likelihoodRaw ?? 1;
    const s = entry(scores, 'AML.T0024.002').inherent?.likelihoodRaw ?? 0;
    expect(l).toBeLessThan(s);
  });

  it('the same technique applies once the model gains the trait (positive control)', () => {
    const model = cloneModel(exampleModel('card-fraud-scoring'));
    const scorer = model.model[0];
    if (!scorer) throw new Error('no model');
    scorer.weightsDistribution = 'public';
    const a = assessModel(model, catalog);
    expect(entry(a, 'AML.T0044').decision).toBe('applies');
    expect(entry(a, 'AML.T0043.000').decision).toBe('applies');
  });
});

describe('assess: scoring, mitigations, questions', () => {
  it('every score carries its factor breakdown and levels follow the policy thresholds', () => {
    for (const r of assessed('card-fraud-scoring').risks) {
      const e = entry(assessed('card-fraud-scoring'), r.id);
      const inh = e.inherent;
      expect(inh?.factors.map((f) => f.factor)).toEqual(
        expect.arrayContaining([
          'maturity',
          'case-studies',
          'exposure',
          'attractiveness',
          'sensitivity',
          'criticality',
          'sector',
          'dimension',
        ]),
      );
      expect(inh?.score).toBe((inh?.likelihood ?? 0) * (inh?.impact ?? 0));
      const score = e.residual?.score ?? 0;
      const t = DEFAULT_POLICY.thresholds;
      const expected =
        score >= t.critical ? 'critical' : score >= t.high ? 'high' : score >= t.medium ? 'medium' : 'low';
      expect(e.residual?.level).toBe(expected);
    }
  });

  it('risks are ranked by residual risk', () => {
    const risks = assessed('internal-coding-agent').risks;
    for (let i = 1; i < risks.length; i++) {
      expect(risks[i - 1]?.residual.score ?? 0).toBeGreaterThanOrEqual(risks[i]?.residual.score ?? 0);
      expect(risks[i]?.rank).toBe(i + 1);
    }
  });

  it('implemented mitigations lower residual risk; removing them raises it', () => {
    const model = exampleModel('citizen-llm-assistant');
    const bare = cloneModel(model);
    bare.mitigations = [];
    const withControls = entry(assessModel(model, catalog), 'AML.T0051');
    const without = entry(assessModel(bare, catalog), 'AML.T0051');
    expect(without.residual?.likelihoodRaw).toBe(without.inherent?.likelihoodRaw);
    expect(withControls.residual?.likelihoodRaw ?? 1).toBeLessThan(without.residual?.likelihoodRaw ?? 0);
    const inPlace = withControls.mitigations.filter(
      (m) => m.status === 'implemented' || m.status === 'partial',
    );
    expect(inPlace.length).toBeGreaterThan(0);
    for (const m of inPlace) {
      expect(withControls.residual?.factors.some((f) => f.factor === `mitigation:${m.id}`)).toBe(true);
    }
    expect(withControls.mitigations.every((m) => m.use.length > 0)).toBe(true);
  });

  it('a yes answer marks the mitigation implemented (source: answers) and counts as coverage', () => {
    const model = cloneModel(exampleModel('citizen-llm-assistant'));
    model.answers = [
      { question: 'Q-AML.M0020-1', answer: 'yes', evidence: 'output filter config', date: '2026-11-01' },
    ];
    model.mitigations = model.mitigations.filter((m) => m.id !== 'AML.M0020');
    const a = assessModel(model, catalog);
    const m = entry(a, 'AML.T0054').mitigations.find((x) => x.id === 'AML.M0020');
    expect(m?.status).toBe('implemented');
    expect(m?.source).toBe('answers');
    expect(a.questions.find((q) => q.id === 'Q-AML.M0020-1')?.answer).toBe('yes');
    expect(a.coverage.questions.passed).toBe(1);
  });

  it('per asset, a mitigation scoped to some assets counts only on those assets', () => {
    // card-fraud-scoring: AML.M0005 is implemented with scope [mlflow, transactions-2y]
    const e = entry(assessed('card-fraud-scoring'), 'AML.T0020');
    expect(e.mitigations.find((m) => m.id === 'AML.M0005')?.status).toBe('implemented');
    const row = (asset: string) => e.assetDecisions.find((d) => d.asset === asset);
    const scoped = row('transactions-2y');
    const other = row('chargeback-labels');
    expect(scoped?.decision).toBe('applies');
    expect(other?.decision).toBe('applies');
    expect(scoped?.mitigations.find((m) => m.id === 'AML.M0005')?.status).toBe('implemented');
    expect(other?.mitigations.find((m) => m.id === 'AML.M0005')?.status).toBe('not-implemented');
    expect(scoped?.residual?.score ?? 25).toBeLessThan(other?.residual?.score ?? 0);
    expect(scoped?.inherent?.score).toBe(other?.inherent?.score);
  });

  describe('verification answers check what the model claims', () => {
    // The citizen assistant claims AML.M0004 (query limits) implemented; Q-AML.M0004-1 verifies it.
    const withAnswer = (answer: 'yes' | 'no' | 'partial'): Assessment => {
      const model = cloneModel(exampleModel('citizen-llm-assistant'));
      model.answers = [{ question: 'Q-AML.M0004-1', answer, evidence: 'gateway review', date: '2026-11-20' }];
      return assessModel(model, catalog);
    };
    const m0004 = (a: Assessment, technique: string) =>
      entry(a, technique).mitigations.find((m) => m.id === 'AML.M0004');

    it('a no answer contradicts an implemented claim: no credit, the reason names the question, residual rises', () => {
      const claimed = assessed('citizen-llm-assistant');
      const no = withAnswer('no');
      for (const technique of ['AML.T0029', 'AML.T0034', 'AML.T0024']) {
        expect(m0004(claimed, technique)?.status, technique).toBe('implemented');
        const m = m0004(no, technique);
        expect(m?.status, technique).toBe('contradicted');
        expect(m?.claimed).toBe('implemented');
        expect(m?.verifiedBy).toEqual(['Q-AML.M0004-1']);
        expect(m?.reason).toMatch(
          /claimed implemented, but verification question Q-AML\.M0004-1 answered no/,
        );
        const before = entry(claimed, technique).residual;
        const after = entry(no, technique).residual;
        expect(after?.factors.some((f) => f.factor === 'mitigation:AML.M0004')).toBe(false);
        expect(after?.likelihoodRaw ?? 0).toBeGreaterThan(before?.likelihoodRaw ?? 1);
        // nothing else changed: the inherent score is the same
        expect(entry(no, technique).inherent?.likelihoodRaw).toBe(
          entry(claimed, technique).inherent?.likelihoodRaw,
        );
      }
      // Cost Harvesting (AML.T0034) has two applicable mitigations, AML.M0004 and AML.M0019 (not implemented):
      // the claim removes 0.7 / 2 = 0.35 of the inherent likelihood 0.61 → 0.397 (score 6, medium); contradicted,
      // the likelihood stays 0.61 and the risk is high (score 12).
      const cost = (a: Assessment) => entry(a, 'AML.T0034');
      expect(cost(claimed).inherent?.likelihoodRaw).toBeCloseTo(0.61, 3);
      expect(cost(claimed).residual?.likelihoodRaw).toBeCloseTo(0.397, 3);
      expect(cost(claimed).residual?.score).toBe(6);
      expect(cost(claimed).residual?.level).toBe('medium');
      expect(cost(no).residual?.likelihoodRaw).toBeCloseTo(0.61, 3);
      expect(cost(no).residual?.score).toBe(12);
      expect(cost(no).residual?.level).toBe('high');
      const risk = no.risks.find((r) => r.id === 'AML.T0029');
      expect(risk?.mitigationsInPlace).not.toContain('AML.M0004');
      expect(risk?.mitigationsMissing).toContain('AML.M0004');
    });

    it('a partial answer downgrades an implemented claim to partial (half the credit)', () => {
      const claimed = assessed('citizen-llm-assistant');
      const partial = withAnswer('partial');
      const no = withAnswer('no');
      const m = m0004(partial, 'AML.T0034');
      expect(m?.status).toBe('partial');
      expect(m?.claimed).toBe('implemented');
      expect(m?.reason).toMatch(/Q-AML\.M0004-1 answered partial/);
      // Cost Harvesting: half the mitigation credit (0.175) and the partial verification (×0.95):
      // 0.61 × (1 − (1 − (1 − 0.175) × 0.95)) = 0.478 (score 9, medium) — between 0.397 (claimed) and 0.61 (no).
      const residual = entry(partial, 'AML.T0034').residual;
      expect(residual?.factors.find((f) => f.factor === 'mitigation:AML.M0004')?.value).toBeCloseTo(0.175, 3);
      expect(residual?.likelihoodRaw).toBeCloseTo(0.478, 3);
      expect(residual?.score).toBe(9);
      expect(entry(claimed, 'AML.T0034').residual?.likelihoodRaw ?? 1).toBeLessThan(
        residual?.likelihoodRaw ?? 0,
      );
      expect(residual?.likelihoodRaw ?? 1).toBeLessThan(entry(no, 'AML.T0034').residual?.likelihoodRaw ?? 0);
    });

    it('a yes answer leaves the claim as it is', () => {
      const m = m0004(withAnswer('yes'), 'AML.T0029');
      expect(m?.status).toBe('implemented');
      expect(m?.claimed).toBeUndefined();
    });
  });

  it('attaches questions of the bank by technique and mitigation, and flags ATLAS gaps with compensating controls', () => {
    const a = assessed('citizen-llm-assistant');
    const injection = entry(a, 'AML.T0051');
    expect(injection.questions.length).toBeGreaterThan(0);
    expect(injection.questions.some((q) => q.via === 'mitigation')).toBe(true);
    const gap = a.ledger.find((e) => e.decision === 'applies' && e.gap && e.compensatingControls.length > 0);
    expect(gap).toBeDefined();
    expect(gap?.mitigations).toEqual([]);
  });

  it('case studies come most similar first, with type and year', () => {
    const e = entry(assessed('citizen-llm-assistant'), 'AML.T0051.001');
    expect(e.caseStudies.length).toBeGreaterThan(3);
    for (let i = 1; i < e.caseStudies.length; i++) {
      expect(e.caseStudies[i - 1]?.similarity ?? 0).toBeGreaterThanOrEqual(e.caseStudies[i]?.similarity ?? 0);
    }
    expect(e.caseStudies[0]?.year).toBeGreaterThan(2015);
    expect(['incident', 'exercise']).toContain(e.caseStudies[0]?.type);
  });

  it('scenarios chain applicable techniques across tactics, seeded by similar case studies, with breakers', () => {
    for (const name of EXAMPLES) {
      const a = assessed(name);
      expect(a.scenarios.length, name).toBeGreaterThan(0);
      for (const s of a.scenarios) {
        expect(new Set(s.steps.map((x) => x.tacticId)).size).toBeGreaterThanOrEqual(2);
        for (const step of s.steps) expect(entry(a, step.techniqueId).decision).toBe('applies');
        expect(catalog.caseStudy(s.seed.caseStudyId)).toBeDefined();
        expect(s.breakers.length).toBeGreaterThan(0);
        expect(s.narrative).toContain(s.seed.caseStudyId);
      }
    }
  });

  it('a tuned policy changes the scores and is validated', () => {
    const policy = policySchema.parse({ name: 'strict', thresholds: { critical: 12, high: 8, medium: 4 } });
    const a = assessModel(exampleModel('hospital-imaging-classifier'), catalog, { policy });
    expect(a.policy.name).toBe('strict');
    expect(a.risks.filter((r) => r.residual.level === 'critical').length).toBeGreaterThan(
      assessed('hospital-imaging-classifier').risks.filter((r) => r.residual.level === 'critical').length,
    );
    const bad = parsePolicyText('thresholds:\n  critical: 3\n  high: 8\n', 'policy.yaml');
    expect(bad.ok).toBe(false);
    const typo = parsePolicyText('likelyhood:\n  maturity: 2\n', 'policy.yaml');
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.issues[0]?.hint).toMatch(/likelihood/);
  });

  it('--explain renders the decision trace and every factor', () => {
    const text = explainTechnique(assessed('card-fraud-scoring'), 'AML.T0015') ?? '';
    expect(text).toContain('decision: applies');
    expect(text).toContain('model[0].purpose = fraud-detection');
    for (const f of [
      'maturity',
      'case-studies',
      'exposure',
      'attractiveness',
      'sensitivity',
      'dimension',
      'mitigation:AML.M0003',
    ]) {
      expect(text).toContain(f);
    }
    expect(explainTechnique(assessed('card-fraud-scoring'), 'AML.T9999')).toBeUndefined();
  });
});

describe('assess: gate and baseline', () => {
  it('fails on residual risks at or above the level; unexpired acceptances excuse, expired ones do not', () => {
    const fraud = assessed('card-fraud-scoring');
    const dos = fraud.risks.find((r) => r.id === 'AML.T0029');
    expect(dos?.status).toBe('transferred');
    const gate = evaluateGate(fraud, 'low');
    expect(gate.failed).toBe(true);
    expect(gate.excused).toContain('AML.T0029');
    expect(gate.blocking).not.toContain('AML.T0029');
    const assistant = assessed('citizen-llm-assistant');
    const cost = entry(assistant, 'AML.T0034');
    expect(cost.treatment?.active).toBe(false);
    expect(assistant.risks.find((r) => r.id === 'AML.T0034')?.status).not.toBe('accepted');
    expect(evaluateGate(assistant, 'none')).toEqual({
      failOn: 'none',
      failed: false,
      blocking: [],
      excused: [],
    });
  });

  it('an acceptance stops counting the day after it expires', () => {
    const model = exampleModel('card-fraud-scoring');
    const before = assessModel(model, catalog, { assessedOn: '2027-06-30' });
    const after = assessModel(model, catalog, { assessedOn: '2027-07-01' });
    expect(before.risks.find((r) => r.id === 'AML.T0029')?.status).toBe('transferred');
    expect(after.risks.find((r) => r.id === 'AML.T0029')?.status).toBe('open');
  });

  it('baseline diff shows new, resolved and changed risks', () => {
    const base = assessed('citizen-llm-assistant');
    const changed = cloneModel(exampleModel('citizen-llm-assistant'));
    changed.mitigations = [];
    const llm = changed.model[0];
    if (!llm) throw new Error('no model');
    llm.rag = [];
    llm.onlineLearning = true;
    const now = assessModel(changed, catalog);
    const diff = diffBaseline(now, JSON.parse(JSON.stringify(base)) as never, 'prev.json');
    expect(diff.resolved.map((r) => r.id)).toContain('AML.T0070');
    expect(diff.new.map((r) => r.id)).toContain('AML.T0031');
    expect(diff.changed.length).toBeGreaterThan(0);
    const same = diffBaseline(base, JSON.parse(JSON.stringify(base)) as never, 'prev.json');
    expect(same).toEqual({ baseline: 'prev.json', new: [], resolved: [], changed: [] });
  });
});
