import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { QUESTIONS } from '../questions/question-bank.js';
import {
  COMPENSATING_CONTROLS,
  compensatingControlById,
  compensatingControlsFor,
  hasNoAtlasMitigation,
  noControlNeededFor,
  unmitigatedTechniques,
} from './control-catalog.js';
import { compensatingControlSchema, noControlNeededSchema } from './control-schema.js';
import { NO_CONTROL_NEEDED } from './no-control-needed.js';

const catalog = testCatalog('5.6.0');
const unmitigated = new Set(unmitigatedTechniques(catalog).map((t) => t.id));

describe('compensating controls', () => {
  it('validates and has unique IDs', () => {
    for (const c of COMPENSATING_CONTROLS)
      expect(() => compensatingControlSchema.parse(c), c.id).not.toThrow();
    for (const n of NO_CONTROL_NEEDED)
      expect(() => noControlNeededSchema.parse(n), n.technique).not.toThrow();
    const ids = COMPENSATING_CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('finds the 82 techniques of 5.6.0 without any ATLAS mitigation, even through the parent', () => {
    expect(unmitigated.size).toBe(82);
    expect(unmitigated.has('AML.T0070')).toBe(true);
    // A sub-technique whose parent has a mitigation is not a gap.
    expect(unmitigated.has('AML.T0010.005')).toBe(false);
    expect(hasNoAtlasMitigation(catalog, catalog.technique('AML.T0051')!)).toBe(false);
  });

  it('names only techniques of the 5.6.0 catalog', () => {
    for (const c of COMPENSATING_CONTROLS)
      for (const t of c.techniques) expect(catalog.technique(t), `${c.id} ${t}`).toBeDefined();
    for (const n of NO_CONTROL_NEEDED) {
      expect(catalog.technique(n.technique), n.technique).toBeDefined();
      for (const t of n.watchInstead) expect(catalog.technique(t), `${n.technique} → ${t}`).toBeDefined();
    }
  });

  it('covers every unmitigated technique, or says why it needs none — never both', () => {
    const covered = new Set(COMPENSATING_CONTROLS.flatMap((c) => c.techniques));
    const none = new Set(NO_CONTROL_NEEDED.map((n) => n.technique));
    const missing = [...unmitigated].filter((t) => !covered.has(t) && !none.has(t));
    expect(missing).toEqual([]);
    expect([...none].filter((t) => covered.has(t))).toEqual([]);
    expect([...none].filter((t) => !unmitigated.has(t))).toEqual([]);
  });

  it('targets gaps: every control covers at least one technique ATLAS leaves unmitigated', () => {
    for (const c of COMPENSATING_CONTROLS)
      expect(
        c.techniques.some((t) => unmitigated.has(t)),
        c.id,
      ).toBe(true);
  });

  it('is verified by at least one question of the bank', () => {
    const verified = new Set(QUESTIONS.flatMap((q) => q.controls ?? []));
    expect(COMPENSATING_CONTROLS.map((c) => c.id).filter((id) => !verified.has(id))).toEqual([]);
  });

  it('every unmitigated technique has a technique question of its own', () => {
    const asked = new Set(QUESTIONS.filter((q) => q.mitigations.length === 0).flatMap((q) => q.techniques));
    expect([...unmitigated].filter((t) => !asked.has(t))).toEqual([]);
  });

  it('looks controls up', () => {
    expect(compensatingControlsFor('AML.T0070').map((c) => c.id)).toEqual([
      'CC-RAG-INGEST-TRUST',
      'CC-RAG-TRACEABILITY',
    ]);
    expect(compensatingControlById('CC-SECRETS')?.techniques).toContain('AML.T0055');
    expect(noControlNeededFor('AML.T0016')?.reason).toMatch(/attacker/);
    expect(noControlNeededFor('AML.T0070')).toBeUndefined();
  });

  it('works on an older release: gaps are computed from the catalog, not hard-coded', () => {
    const older = testCatalog('5.4.0');
    const gaps = unmitigatedTechniques(older);
    expect(gaps.length).toBeGreaterThan(0);
    for (const t of gaps) expect(hasNoAtlasMitigation(older, t)).toBe(true);
  });
});
