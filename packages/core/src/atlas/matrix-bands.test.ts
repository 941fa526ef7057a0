import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { layoutMatrixBands, matrixColumns } from './matrix-bands.js';

describe('matrixColumns', () => {
  const catalog = testCatalog('5.6.0');

  it('has every tactic in matrix order with its top-level techniques', () => {
    const columns = matrixColumns(catalog);
    expect(columns.map((c) => c.tactic.id)).toEqual(catalog.tactics.map((t) => t.id));
    expect(columns[0]?.tactic).toEqual({
      id: 'AML.TA0002',
      name: 'Reconnaissance',
      shortname: 'reconnaissance',
    });
    const all = columns.flatMap((c) => c.techniques);
    expect(all.every((t) => !t.id.includes('.', 5) && t.subtechniques.length === 0)).toBe(true);
  });

  it('nests sub-techniques when asked', () => {
    const columns = matrixColumns(catalog, { subtechniques: true });
    const t0051 = columns.flatMap((c) => c.techniques).find((t) => t.id === 'AML.T0051');
    expect(t0051?.subtechniques.map((s) => s.id)).toEqual([
      'AML.T0051.000',
      'AML.T0051.001',
      'AML.T0051.002',
    ]);
  });
});

describe('layoutMatrixBands', () => {
  it('fits 16 tactics in 4 balanced bands of 4 at 120 columns', () => {
    expect(layoutMatrixBands(16, { width: 120 })).toEqual({
      columnWidth: 28,
      gap: 2,
      bands: [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
        [12, 13, 14, 15],
      ],
    });
  });

  it.each([40, 80, 100, 120, 160, 200, 400])('never exceeds the width (%i columns)', (width) => {
    const layout = layoutMatrixBands(16, { width });
    for (const band of layout.bands) {
      expect(band.length * layout.columnWidth + (band.length - 1) * layout.gap).toBeLessThanOrEqual(width);
    }
    expect(layout.columnWidth).toBeGreaterThanOrEqual(20);
    expect(layout.bands.flat()).toEqual([...Array(16).keys()]);
  });

  it('handles degenerate input', () => {
    expect(layoutMatrixBands(0, { width: 120 }).bands).toEqual([]);
    expect(layoutMatrixBands(3, { width: 5 }).bands).toEqual([[0], [1], [2]]);
  });
});
