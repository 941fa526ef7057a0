import { describe, expect, it } from 'vitest';
import { questionById } from '@atlasguard/core';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { FINDINGS_EFFECTS, isClean, questionsEvidencedBy } from './findings-effects.js';

describe('findings effects (upload kind → questions and mitigations)', () => {
  const catalog = testCatalog();

  it('names only mitigations of the loaded ATLAS release', () => {
    for (const effect of FINDINGS_EFFECTS)
      for (const id of effect.reopens) expect(catalog.mitigation(id)?.id, `${effect.kind}: ${id}`).toBe(id);
  });

  it('gives every kind at least one question whose proof is that command, and none to other', () => {
    for (const effect of FINDINGS_EFFECTS) {
      const ids = questionsEvidencedBy(effect.kind);
      expect(ids.length, effect.kind).toBeGreaterThan(0);
      for (const id of ids) expect(questionById(id)?.command).toBe(effect.command);
    }
    expect(questionsEvidencedBy('other')).toEqual([]);
    expect(questionsEvidencedBy('scan-model')).toContain('Q-AML.M0014-1');
    // hard negative: a deps scan is no evidence for artifact verification
    expect(questionsEvidencedBy('scan-deps')).not.toContain('Q-AML.M0014-1');
  });

  it('counts an upload as clean only without critical and high findings', () => {
    const counts = { critical: 0, high: 0, medium: 3, low: 9, info: 1 };
    expect(isClean({ summary: counts })).toBe(true);
    expect(isClean({ summary: { ...counts, high: 1 } })).toBe(false);
    expect(isClean({ summary: { ...counts, critical: 1 } })).toBe(false);
  });
});
