import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { compensatingControlById } from '../compensating-controls/control-catalog.js';
import { QUESTIONS } from './question-bank.js';
import {
  foundingQuestion,
  questionById,
  questionsForMitigation,
  questionsForPersona,
  questionsForTechnique,
} from './question-lookup.js';
import { FOUNDING_TOPICS, PERSONAS, questionSchema, type Question } from './question-schema.js';
import { specificityProblem } from './text-specificity.js';

const catalog = testCatalog('5.6.0');

function namesOf(q: Question): string[] {
  return [
    ...q.techniques.map((id) => catalog.technique(id)?.name ?? ''),
    ...q.mitigations.map((id) => catalog.mitigation(id)?.name ?? ''),
  ];
}

describe('question bank', () => {
  it('validates against the schema with unique IDs', () => {
    for (const q of QUESTIONS) expect(() => questionSchema.parse(q), q.id).not.toThrow();
    const ids = QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names only IDs of the ATLAS 5.6.0 catalog', () => {
    for (const q of QUESTIONS) {
      for (const t of q.techniques) expect(catalog.technique(t), `${q.id} ${t}`).toBeDefined();
      for (const m of q.mitigations) expect(catalog.mitigation(m), `${q.id} ${m}`).toBeDefined();
    }
  });

  it('covers every technique (170) and every mitigation (35) of 5.6.0', () => {
    const techniques = new Set(QUESTIONS.flatMap((q) => q.techniques));
    const mitigations = new Set(QUESTIONS.flatMap((q) => q.mitigations));
    const missingT = catalog.techniques.filter((t) => !techniques.has(t.id)).map((t) => t.id);
    const missingM = catalog.mitigations.filter((m) => !mitigations.has(m.id)).map((m) => m.id);
    expect(missingT).toEqual([]);
    expect(missingM).toEqual([]);
    expect(catalog.techniques).toHaveLength(170);
    expect(catalog.mitigations).toHaveLength(35);
  });

  it('derives its ID from the mitigation or technique it is grouped under', () => {
    for (const q of QUESTIONS) {
      const subject = /^Q-(AML\.[MT][\d.]+)-\d+$/.exec(q.id)?.[1];
      expect(subject, q.id).toBeDefined();
      if (subject?.startsWith('AML.M')) expect(q.mitigations, q.id).toContain(subject);
      else {
        expect(q.techniques, q.id).toContain(subject);
        expect(q.mitigations, q.id).toEqual([]);
      }
    }
  });

  it('lists, under a mitigation, only techniques ATLAS links to that mitigation (or to their parent)', () => {
    for (const q of QUESTIONS.filter((x) => x.mitigations.length > 0)) {
      for (const t of q.techniques) {
        const technique = catalog.technique(t);
        const linked = (id: string | undefined) =>
          id !== undefined &&
          (catalog.technique(id)?.mitigations.some((m) => q.mitigations.includes(m.id)) ?? false);
        expect(linked(t) || linked(technique?.parent), `${q.id} ${t}`).toBe(true);
      }
    }
  });

  it('takes the lifecycle stage from the mitigation’s ml-lifecycle', () => {
    for (const q of QUESTIONS.filter((x) => x.mitigations.length > 0)) {
      const stages = q.mitigations.flatMap((m) => catalog.mitigation(m)?.mlLifecycle ?? []);
      expect(stages, q.id).toContain(q.lifecycle);
    }
  });

  it('asks specific questions, not restated technique names', () => {
    const problems = QUESTIONS.flatMap((q) => {
      const problem = specificityProblem(q.text, namesOf(q));
      return problem === undefined ? [] : [`${q.id}: ${problem}`];
    });
    expect(problems).toEqual([]);
    for (const q of QUESTIONS) {
      expect(q.text.trimEnd().endsWith('?'), q.id).toBe(true);
      expect(q.passCriteria).not.toBe(q.text);
    }
  });

  it('rejects questions that only restate the technique name (hard negatives)', () => {
    const names = (ids: string[]) => ids.map((id) => catalog.get(id)?.value.name ?? '');
    expect(specificityProblem('Is LLM Prompt Injection mitigated?', names(['AML.T0051']))).toBeDefined();
    expect(
      specificityProblem(
        'Have you implemented Verify AI Artifacts so that AI Supply Chain Compromise of AI artifacts, AI ' +
          'models, AI software and AI data supply chain is verified and compromise of the AI supply chain is addressed?',
        names(['AML.M0014', 'AML.T0010', 'AML.T0010.001', 'AML.T0010.002', 'AML.T0010.003']),
      ),
    ).toMatch(/restate/);
    expect(
      specificityProblem('Is AI Model Inference API Access restricted?', names(['AML.T0040', 'AML.M0019'])),
    ).toBeDefined();
    // A specific question about the same technique passes.
    expect(
      specificityProblem(questionById('Q-AML.M0019-1')?.text ?? '', names(['AML.T0040', 'AML.M0019'])),
    ).toBeUndefined();
  });

  it('answers the three founding questions concretely, each with the command that produces the evidence', () => {
    const expected = {
      'poisoned-data': 'scan data',
      'inference-anomalies': 'monitor',
      'framework-updates': 'scan deps',
    } as const;
    for (const topic of FOUNDING_TOPICS) {
      const matches = QUESTIONS.filter((q) => q.founding === topic);
      expect(matches, topic).toHaveLength(1);
      const q = foundingQuestion(topic);
      expect(q?.command).toBe(expected[topic]);
      expect(q?.evidence).toContain(`atlasguard ${expected[topic]}`);
    }
    expect(foundingQuestion('poisoned-data')?.text).toMatch(/^How is poisoned data kept out of production\?/);
    expect(foundingQuestion('inference-anomalies')?.text).toMatch(
      /^Which logs and metrics detect anomalies in inference\?/,
    );
    expect(foundingQuestion('framework-updates')?.text).toMatch(
      /^How is a framework update checked for new vulnerabilities\?/,
    );
  });

  it('names the AtlasGuard command in the evidence wherever it sets one', () => {
    const missing = QUESTIONS.filter(
      (q) => q.command !== undefined && !q.evidence.includes(`atlasguard ${q.command}`),
    ).map((q) => q.id);
    expect(missing).toEqual([]);
  });

  it('references existing compensating controls that cover its techniques', () => {
    for (const q of QUESTIONS) {
      for (const id of q.controls ?? []) {
        const control = compensatingControlById(id);
        expect(control, `${q.id} ${id}`).toBeDefined();
        expect(
          q.techniques.some((t) => control?.techniques.includes(t)),
          `${q.id} shares no technique with ${id}`,
        ).toBe(true);
      }
    }
  });

  it('is spread over all four elements and all personas', () => {
    for (const persona of PERSONAS) expect(questionsForPersona(persona).length, persona).toBeGreaterThan(2);
    const elements = new Set(QUESTIONS.map((q) => q.element));
    expect([...elements].sort()).toEqual(['data', 'environment', 'model', 'platform']);
  });

  it('looks questions up by technique and mitigation', () => {
    expect(questionsForTechnique('AML.T0020').map((q) => q.id)).toContain('Q-AML.M0007-1');
    expect(questionsForMitigation('AML.M0014').map((q) => q.id)).toEqual(['Q-AML.M0014-1', 'Q-AML.M0014-2']);
    expect(questionsForTechnique('AML.T9999')).toEqual([]);
    expect(questionById('Q-AML.T0070-1')?.element).toBe('data');
    expect(questionById('nope')).toBeUndefined();
  });
});
