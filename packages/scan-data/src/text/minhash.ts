// MinHash signatures for near-duplicate search, written for this project.
// One-permutation hashing (Li, Owen & Zhang, NIPS 2012): each shingle is hashed once and falls into one of
// PERMUTATIONS bins; a bin keeps its smallest value. Empty bins are filled by rotation densification
// (Shrivastava & Li, ICML 2014) so signatures of short texts stay comparable. Values are stored as 16 bits
// (b-bit MinHash, Li & König 2010): the chance that two different minima agree by accident is 1/65536.

export const PERMUTATIONS = 64;
export const BANDS = 16;
export const ROWS_PER_BAND = PERMUTATIONS / BANDS;
export const SHINGLE_WORDS = 5;
export const MINHASH_SEED = 0x5eed_a7a5;

export function fmix32(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then finalised. */
export function hashString(s: string, seed = MINHASH_SEED): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** MinHash signature (PERMUTATIONS 16-bit values) of word `SHINGLE_WORDS`-gram shingles. */
export function minhashSignature(tokens: readonly string[], seed = MINHASH_SEED): Uint16Array {
  const mins = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  const filled = new Uint8Array(PERMUTATIONS);
  const k = Math.min(SHINGLE_WORDS, Math.max(1, tokens.length));
  const th = tokens.map((t) => hashString(t, seed));
  const count = Math.max(1, tokens.length - k + 1);
  for (let i = 0; i < count; i++) {
    let h = seed >>> 0;
    for (let j = 0; j < k; j++) h = fmix32((Math.imul(h, 31) + (th[i + j] ?? 0)) >>> 0);
    const bin = h >>> 26; // top 6 bits: 64 bins
    const value = fmix32(h ^ 0x9e3779b9);
    if (value < (mins[bin] ?? 0) || filled[bin] === 0) {
      mins[bin] = value;
      filled[bin] = 1;
    }
  }
  const out = new Uint16Array(PERMUTATIONS);
  for (let b = 0; b < PERMUTATIONS; b++) {
    let src = b;
    let step = 0;
    while (filled[src] === 0 && step < PERMUTATIONS) {
      src = (src + 1) % PERMUTATIONS;
      step++;
    }
    const base = filled[src] === 0 ? 0 : (mins[src] ?? 0);
    // densified bins get a distance-dependent offset so they do not simply copy the neighbour
    out[b] = (step === 0 ? base : fmix32(base + Math.imul(step, 0x27d4eb2f))) & 0xffff;
  }
  return out;
}

/** Share of equal positions: an estimate of the Jaccard similarity of the shingle sets. */
export function signatureSimilarity(
  a: Uint16Array,
  aOffset: number,
  b: Uint16Array,
  bOffset: number,
): number {
  let same = 0;
  for (let i = 0; i < PERMUTATIONS; i++) if (a[aOffset + i] === b[bOffset + i]) same++;
  return same / PERMUTATIONS;
}

/** 32-bit key of band `band` of the signature stored at `offset`. */
export function bandKey(sig: Uint16Array, offset: number, band: number): number {
  let h = band + 1;
  const start = offset + band * ROWS_PER_BAND;
  for (let i = 0; i < ROWS_PER_BAND; i++)
    h = fmix32((Math.imul(h, 0x9e3779b1) + (sig[start + i] ?? 0)) >>> 0);
  return h;
}
