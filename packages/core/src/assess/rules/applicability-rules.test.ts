import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { TRAITS } from '../traits.js';
import { APPLICABILITY_RULES } from './applicability-rules.js';

describe('applicability rules', () => {
  const catalog = testCatalog();

  it('name every technique of ATLAS 5.6.0 (170 of 170): none falls through undecided', () => {
    const named = new Set(APPLICABILITY_RULES.flatMap((r) => r.techniques));
    const missing = catalog.techniques.filter((t) => !named.has(t.id)).map((t) => t.id);
    expect(missing).toEqual([]);
    expect(catalog.techniques).toHaveLength(170);
  });

  it('name only ATLAS IDs that exist in 5.6.0', () => {
    const unknown = APPLICABILITY_RULES.flatMap((r) => r.techniques).filter(
      (id) => catalog.technique(id) === undefined,
    );
    expect(unknown).toEqual([]);
    // IDs quoted in reasons and questions too.
    const quoted = APPLICABILITY_RULES.flatMap((r) =>
      [r.because, r.question, r.otherwise.reason, ...(r.notApplicable ?? []).map((n) => n.reason)].flatMap(
        (text) => text.match(/AML\.[A-Z]+\d{4}(\.\d{3})?/g) ?? [],
      ),
    );
    expect(quoted.length).toBeGreaterThan(0);
    expect(quoted.filter((id) => !catalog.has(id))).toEqual([]);
  });

  it('have unique IDs, use only known traits and explain every outcome', () => {
    const ids = APPLICABILITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const traits = new Set<string>(TRAITS);
    for (const rule of APPLICABILITY_RULES) {
      const used = [
        ...(rule.applies.all ?? []),
        ...(rule.applies.any ?? []),
        ...(rule.applies.none ?? []),
        ...(rule.notApplicable ?? []).flatMap((n) => [
          ...(n.when.all ?? []),
          ...(n.when.any ?? []),
          ...(n.when.none ?? []),
        ]),
        ...(rule.adjust ?? []).map((a) => a.trait),
        ...(rule.targets ?? []),
      ];
      expect(
        used.filter((t) => !traits.has(t)),
        rule.id,
      ).toEqual([]);
      expect(rule.because.length, rule.id).toBeGreaterThan(20);
      expect(rule.question.endsWith('?') || rule.question.endsWith(')'), rule.id).toBe(true);
      for (const n of rule.notApplicable ?? []) expect(n.reason.length, rule.id).toBeGreaterThan(20);
      expect(
        rule.applies.all?.length ?? rule.applies.any?.length ?? 0,
        `${rule.id} has an empty condition`,
      ).toBeGreaterThan(0);
    }
  });

  it('are data: JSON round-trips them without loss (no functions, no eval)', () => {
    expect(JSON.parse(JSON.stringify(APPLICABILITY_RULES))).toEqual(APPLICABILITY_RULES);
  });
});
