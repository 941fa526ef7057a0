import { BANDS, PERMUTATIONS, bandKey, signatureSimilarity } from '../text/minhash.js';

/** Estimated Jaccard similarity at which two documents count as near-duplicates (Lee et al. 2022 use 0.8). */
export const NEAR_DUP_JACCARD = 0.8;
const MAX_RUN = 64;
const ID_BITS = 2 ** 21;

export interface DocSet {
  sigs: Uint16Array;
  labels: Uint16Array;
  size: number;
}

export interface NearDuplicateResult {
  /** Union-find parent per batch document (root = cluster id). */
  clusterOf: Int32Array;
  /** Best baseline match per batch document (-1 none) and its similarity. */
  baselineMatch: Int32Array;
  baselineSimilarity: Float32Array;
  /** Distinct baseline documents matched by each cluster root. */
  baselineMatchesByRoot: Map<number, Set<number>>;
}

function find(parent: Int32Array, i: number): number {
  let r = i;
  while ((parent[r] ?? r) !== r) r = parent[r] ?? r;
  let c = i;
  while ((parent[c] ?? c) !== r) {
    const next = parent[c] ?? c;
    parent[c] = r;
    c = next;
  }
  return r;
}

/**
 * Near-duplicate search with LSH banding (16 bands × 4 rows; candidate threshold ≈ (1/16)^(1/4) ≈ 0.5),
 * then each candidate pair is confirmed on the whole signature (similarity ≥ `threshold`).
 * Within the batch: clusters by union-find. Against the baseline: best match per batch document.
 */
export function findNearDuplicates(
  batch: DocSet,
  baseline: DocSet | undefined,
  threshold = NEAR_DUP_JACCARD,
): NearDuplicateResult {
  const nA = batch.size;
  const nB = baseline?.size ?? 0;
  if (nA + nB >= ID_BITS) throw new Error('too many documents for near-duplicate search');
  const parent = new Int32Array(nA);
  for (let i = 0; i < nA; i++) parent[i] = i;
  const baselineMatch = new Int32Array(nA).fill(-1);
  const baselineSimilarity = new Float32Array(nA);
  const packed = new Float64Array(nA + nB);
  const aMembers: number[] = [];
  const bMembers: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    for (let i = 0; i < nA; i++) packed[i] = bandKey(batch.sigs, i * PERMUTATIONS, band) * ID_BITS + i;
    for (let j = 0; j < nB; j++)
      packed[nA + j] =
        bandKey(baseline?.sigs ?? new Uint16Array(0), j * PERMUTATIONS, band) * ID_BITS + nA + j;
    packed.sort();
    let k = 0;
    const total = nA + nB;
    while (k < total) {
      const key = Math.floor((packed[k] ?? 0) / ID_BITS);
      let end = k + 1;
      while (end < total && Math.floor((packed[end] ?? 0) / ID_BITS) === key) end++;
      if (end - k > 1) {
        aMembers.length = 0;
        bMembers.length = 0;
        for (let t = k; t < end; t++) {
          const id = (packed[t] ?? 0) % ID_BITS;
          if (id < nA) aMembers.push(id);
          else if (bMembers.length < MAX_RUN) bMembers.push(id - nA);
        }
        const lead = aMembers[0];
        if (lead !== undefined) {
          for (let t = 1; t < aMembers.length; t++) {
            const m = aMembers[t] ?? 0;
            if (find(parent, m) === find(parent, lead)) continue;
            const prev = aMembers[t - 1] ?? lead;
            if (
              signatureSimilarity(batch.sigs, m * PERMUTATIONS, batch.sigs, lead * PERMUTATIONS) >=
                threshold ||
              signatureSimilarity(batch.sigs, m * PERMUTATIONS, batch.sigs, prev * PERMUTATIONS) >= threshold
            ) {
              parent[find(parent, m)] = find(parent, lead);
            }
          }
        }
        if (baseline && bMembers.length > 0) {
          for (const m of aMembers) {
            for (const b of bMembers.slice(0, 8)) {
              const s = signatureSimilarity(batch.sigs, m * PERMUTATIONS, baseline.sigs, b * PERMUTATIONS);
              if (s >= threshold && s > (baselineSimilarity[m] ?? 0)) {
                baselineSimilarity[m] = s;
                baselineMatch[m] = b;
              }
            }
          }
        }
      }
      k = end;
    }
  }
  for (let i = 0; i < nA; i++) find(parent, i);
  const baselineMatchesByRoot = new Map<number, Set<number>>();
  for (let i = 0; i < nA; i++) {
    const b = baselineMatch[i] ?? -1;
    if (b < 0) continue;
    const root = parent[i] ?? i;
    let set = baselineMatchesByRoot.get(root);
    if (!set) {
      set = new Set();
      baselineMatchesByRoot.set(root, set);
    }
    set.add(b);
  }
  return { clusterOf: parent, baselineMatch, baselineSimilarity, baselineMatchesByRoot };
}
