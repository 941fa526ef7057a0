import { describe, expect, it } from 'vitest';
import { Rng } from '../stats/rng.js';
import { minDistance } from './prada-search.js';

/** The direct computation the search must reproduce bit for bit: every distance, then the minimum. */
function direct(store: Float32Array, n: number, x: readonly number[], dim: number): number {
  let best = Infinity;
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const diff = (store[v * dim + i] ?? 0) - (x[i] ?? 0);
      s += diff * diff;
    }
    best = Math.min(best, Math.sqrt(s));
  }
  return best;
}

describe('PRADA nearest-query search', () => {
  it('equals the direct minimum of the distances exactly (5,000 seeded cases with ties, repeats and scales)', () => {
    const rng = new Rng(2024);
    for (let c = 0; c < 5_000; c++) {
      const dim = 1 + rng.int(40);
      const n = rng.int(60);
      const scale = [1e-6, 1, 1e3, 1e12][rng.int(4)] ?? 1;
      const store = new Float32Array(Math.max(1, n) * dim);
      for (let i = 0; i < n * dim; i++) store[i] = rng.gauss() * scale;
      // exact repeats of stored vectors (distance 0) and duplicated stored vectors (ties)
      if (n > 1 && rng.next() < 0.3) store.copyWithin(0, (n - 1) * dim, n * dim);
      let x = Array.from({ length: dim }, () => rng.gauss() * scale);
      if (n > 0 && rng.next() < 0.2) {
        const v = rng.int(n);
        x = Array.from(store.subarray(v * dim, v * dim + dim));
      }
      const got = minDistance(store, n, x, dim);
      const want = direct(store, n, x, dim);
      expect(Object.is(got, want), `case ${String(c)}: ${String(got)} vs ${String(want)}`).toBe(true);
    }
  });

  it('is Infinity with nothing stored and 0 for a stored query', () => {
    expect(minDistance(new Float32Array(3), 0, [1, 2, 3], 3)).toBe(Infinity);
    const store = Float32Array.from([0.5, 1.5, 4, 2, 2, 2]);
    expect(minDistance(store, 2, [2, 2, 2], 3)).toBe(0);
  });
});
