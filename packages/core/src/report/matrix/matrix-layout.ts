import type { Catalog } from '../../atlas/catalog.js';
import type { Technique } from '../../atlas/catalog-types.js';

/** One technique cell of the ATLAS matrix, carrying a caller-chosen value (e.g. its residual risk). */
export interface MatrixCell<T> {
  techniqueId: string;
  name: string;
  value: T;
  /** Sub-techniques of a top-level technique, in catalog order (always empty for sub-techniques). */
  subtechniques: Array<MatrixCell<T>>;
}

/** One tactic column, in the catalog's matrix order. */
export interface MatrixColumn<T> {
  tacticId: string;
  name: string;
  shortname: string;
  cells: Array<MatrixCell<T>>;
}

export interface MatrixLayout<T> {
  atlasVersion: string;
  columns: Array<MatrixColumn<T>>;
  /** Largest number of top-level techniques in one column (the matrix height). */
  rows: number;
}

/**
 * Lays the catalog out as the ATLAS matrix: tactics as columns in matrix order, top-level techniques as
 * cells (a technique under several tactics appears in each), sub-techniques nested under their parent.
 * `valueOf` attaches the caller's data to every cell; the layout itself knows nothing of assessments.
 */
export function matrixLayout<T>(catalog: Catalog, valueOf: (technique: Technique) => T): MatrixLayout<T> {
  const cellOf = (technique: Technique, withSubs: boolean): MatrixCell<T> => ({
    techniqueId: technique.id,
    name: technique.name,
    value: valueOf(technique),
    subtechniques: withSubs ? catalog.subtechniquesOf(technique.id).map((s) => cellOf(s, false)) : [],
  });
  const columns = catalog.tactics.map((tactic) => ({
    tacticId: tactic.id,
    name: tactic.name,
    shortname: tactic.shortname,
    cells: catalog
      .techniquesOfTactic(tactic.id)
      .filter((t) => t.parent === undefined)
      .map((t) => cellOf(t, true)),
  }));
  return {
    atlasVersion: catalog.version,
    columns,
    rows: columns.reduce((max, c) => Math.max(max, c.cells.length), 0),
  };
}
