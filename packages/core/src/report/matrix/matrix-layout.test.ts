import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { assessmentMatrix } from './assessment-matrix.js';
import { matrixLayout } from './matrix-layout.js';
import { fixtureAssessment } from './test-support/assessment-fixture.js';

describe('matrix layout', () => {
  const catalog = testCatalog('5.6.0');
  const layout = matrixLayout(catalog, (t) => t.maturity ?? 'none');

  it('has one column per tactic, in catalog order, with catalog shortnames', () => {
    expect(layout.columns.map((c) => c.tacticId)).toEqual(catalog.tactics.map((t) => t.id));
    expect(layout.columns.map((c) => c.shortname)).toEqual(catalog.tactics.map((t) => t.shortname));
    expect(layout.columns[0]?.shortname).toBe('reconnaissance');
    expect(layout.atlasVersion).toBe('5.6.0');
  });

  it('places every top-level technique under each of its tactics and nests every sub-technique', () => {
    for (const t of catalog.techniques.filter((x) => x.parent === undefined)) {
      const columns = layout.columns.filter((c) => c.cells.some((cell) => cell.techniqueId === t.id));
      expect(columns.map((c) => c.tacticId).sort(), t.id).toEqual([...t.tactics].sort());
    }
    const subs = new Set(
      layout.columns.flatMap((c) => c.cells.flatMap((cell) => cell.subtechniques.map((s) => s.techniqueId))),
    );
    expect(subs.size).toBe(69);
    for (const c of layout.columns)
      for (const cell of c.cells) {
        expect(catalog.technique(cell.techniqueId)?.parent).toBeUndefined();
        for (const s of cell.subtechniques)
          expect(catalog.technique(s.techniqueId)?.parent).toBe(cell.techniqueId);
      }
    expect(layout.rows).toBe(Math.max(...layout.columns.map((c) => c.cells.length)));
  });

  it('attaches the caller’s value to every cell', () => {
    const evade = layout.columns.flatMap((c) => c.cells).find((c) => c.techniqueId === 'AML.T0015');
    expect(evade?.value).toBe('realized');
    expect(evade?.name).toBe('Evade AI Model');
  });

  it('lays out older releases from their own data', () => {
    const older = testCatalog('5.4.0');
    const l = matrixLayout(older, () => null);
    expect(l.atlasVersion).toBe('5.4.0');
    expect(l.columns.map((c) => c.tacticId)).toEqual(older.tactics.map((t) => t.id));
  });
});

describe('assessment matrix', () => {
  const catalog = testCatalog('5.6.0');
  const assessment = fixtureAssessment(catalog);
  const cells = assessmentMatrix(assessment, catalog).columns.flatMap((c) =>
    c.cells.flatMap((cell) => [cell, ...cell.subtechniques]),
  );
  const cellOf = (id: string) => cells.find((c) => c.techniqueId === id)?.value;

  it('colours applicable techniques by residual level and marks the rest', () => {
    const residual = assessment.ledger.find((e) => e.techniqueId === 'AML.T0051')?.residual;
    expect(cellOf('AML.T0051')?.state).toBe(residual?.level);
    expect(cellOf('AML.T0051')?.residualScore).toBe(residual?.score);
    expect(cellOf('AML.T0000')?.state).toBe('not-applicable');
    expect(cellOf('AML.T0051')?.title).toContain('applies');
  });

  it('marks techniques missing from the ledger as not assessed', () => {
    const partial = { ...assessment, ledger: assessment.ledger.filter((e) => e.techniqueId !== 'AML.T0015') };
    const m = assessmentMatrix(partial, catalog).columns.flatMap((c) => c.cells);
    expect(m.find((c) => c.techniqueId === 'AML.T0015')?.value.state).toBe('not-assessed');
  });
});
