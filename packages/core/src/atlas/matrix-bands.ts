import type { Catalog } from './catalog.js';
import type { Maturity } from './catalog-types.js';

export interface AtlasMatrixTechnique {
  id: string;
  name: string;
  maturity: Maturity | null;
  /** Sub-techniques, when asked for; empty otherwise. */
  subtechniques: Array<{ id: string; name: string; maturity: Maturity | null }>;
}

export interface AtlasMatrixColumn {
  tactic: { id: string; name: string; shortname: string };
  techniques: AtlasMatrixTechnique[];
}

/** The ATLAS matrix as data: tactics in matrix order, each with its top-level techniques. */
export function matrixColumns(
  catalog: Catalog,
  options: { subtechniques?: boolean } = {},
): AtlasMatrixColumn[] {
  return catalog.tactics.map((tactic) => ({
    tactic: { id: tactic.id, name: tactic.name, shortname: tactic.shortname },
    techniques: catalog.techniquesOfTactic(tactic.id).map((t) => ({
      id: t.id,
      name: t.name,
      maturity: t.maturity ?? null,
      subtechniques: options.subtechniques
        ? catalog.subtechniquesOf(t.id).map((s) => ({ id: s.id, name: s.name, maturity: s.maturity ?? null }))
        : [],
    })),
  }));
}

export interface MatrixBandOptions {
  /** Total width in characters. */
  width: number;
  /** Spaces between columns; default 2. */
  gap?: number;
  /** Narrowest readable column; default 20. */
  minColumnWidth?: number;
}

export interface MatrixBandLayout {
  columnWidth: number;
  gap: number;
  /** Column indices of each band; bands are printed one below the other. */
  bands: number[][];
}

/**
 * Splits `count` columns into bands that fit `width`, balanced so every band has about the same number of
 * columns (16 tactics at 120 characters: 4 bands of 4 columns, 28 characters wide).
 */
export function layoutMatrixBands(count: number, options: MatrixBandOptions): MatrixBandLayout {
  const gap = options.gap ?? 2;
  const minColumnWidth = options.minColumnWidth ?? 20;
  const width = Math.max(minColumnWidth, Math.floor(options.width));
  if (count <= 0) return { columnWidth: width, gap, bands: [] };
  const fit = Math.max(1, Math.floor((width + gap) / (minColumnWidth + gap)));
  const bandCount = Math.ceil(count / fit);
  const perBand = Math.ceil(count / bandCount);
  const columnWidth = Math.floor((width - gap * (perBand - 1)) / perBand);
  const bands: number[][] = [];
  for (let start = 0; start < count; start += perBand) {
    bands.push(Array.from({ length: Math.min(perBand, count - start) }, (_, i) => start + i));
  }
  return { columnWidth, gap, bands };
}
