import { seededRandom } from '../stats/rng.js';

/** Rows whose projection on the class's top direction is this many baseline standard deviations out. */
export const SPECTRAL_Z = 5;

/**
 * Spectral-signature-style scoring (after Tran, Li & Madry, NeurIPS 2018): centre the class's batch
 * embeddings, find the top right singular vector by power iteration, project every row on it. Unlike the
 * paper (which removes a fixed share), the projection is scored against the spread of the *baseline*
 * sample of the same class along the same direction, so a clean batch flags (almost) nothing.
 */
export function spectralScores(
  vectors: readonly Float64Array[],
  baselineMean: readonly number[],
  baselineSample: readonly Float64Array[],
  seed: number,
): { scores: Float64Array; batchVariance: number; baselineVariance: number } {
  const n = vectors.length;
  const d = baselineMean.length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let i = 0; i < d; i++) mean[i] = (mean[i] ?? 0) + (v[i] ?? 0) / n;
  const random = seededRandom(seed);
  let dir = Float64Array.from({ length: d }, () => random() - 0.5);
  const tmp = new Float64Array(n);
  for (let iter = 0; iter < 60; iter++) {
    for (let r = 0; r < n; r++) {
      const v = vectors[r] ?? new Float64Array(d);
      let dot = 0;
      for (let i = 0; i < d; i++) dot += ((v[i] ?? 0) - (mean[i] ?? 0)) * (dir[i] ?? 0);
      tmp[r] = dot;
    }
    const next = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const v = vectors[r] ?? new Float64Array(d);
      const t = tmp[r] ?? 0;
      for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) + ((v[i] ?? 0) - (mean[i] ?? 0)) * t;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += (next[i] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) / norm;
    dir = next;
  }
  const project = (v: Float64Array): number => {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += ((v[i] ?? 0) - (baselineMean[i] ?? 0)) * (dir[i] ?? 0);
    return dot;
  };
  const base = baselineSample.map(project);
  const bm = base.reduce((s, x) => s + x, 0) / Math.max(1, base.length);
  const baselineVariance = base.reduce((s, x) => s + (x - bm) ** 2, 0) / Math.max(1, base.length - 1);
  const proj = vectors.map(project);
  const pm = proj.reduce((s, x) => s + x, 0) / Math.max(1, n);
  const batchVariance = proj.reduce((s, x) => s + (x - pm) ** 2, 0) / Math.max(1, n - 1);
  const sd = Math.sqrt(baselineVariance) || 1e-12;
  return { scores: Float64Array.from(proj, (x) => Math.abs(x - bm) / sd), batchVariance, baselineVariance };
}
