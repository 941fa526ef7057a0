/**
 * PRADA's nearest-stored-query search: the minimum L2 distance of a query to the vectors stored (flattened,
 * float32) for its class.
 */

/**
 * Squared L2 distance of stored vector `offset` to `b`, or any value ≥ `bound` once the partial sum reaches
 * `bound` (the terms are non-negative, so the full sum could not be smaller: an exact early exit).
 */
function l2sqBelow(
  a: Float32Array,
  offset: number,
  b: readonly number[],
  dim: number,
  bound: number,
): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const diff = (a[offset + i] ?? 0) - (b[i] ?? 0);
    s += diff * diff;
    if (s >= bound) return s;
  }
  return s;
}

/**
 * Minimum L2 distance of `x` to the first `n` vectors of `store` (Infinity when n is 0): the minimum of the
 * squared distances, then one square root — sqrt is monotone, so this is exactly the minimum of the distances
 * (`prada-search.test.ts` checks it against the direct computation) — with the early exit above.
 */
export function minDistance(store: Float32Array, n: number, x: readonly number[], dim: number): number {
  let best = Infinity;
  for (let off = 0; off < n * dim; off += dim) {
    const d = l2sqBelow(store, off, x, dim, best);
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}
