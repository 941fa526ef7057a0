import { fnv1a, mix32 } from './simhash.js';

export const MINHASH_SIZE = 64;

/** Word 3-gram shingles of normalised text, hashed. */
function shingles(text: string): number[] {
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  const out: number[] = [];
  if (words.length < 3) {
    for (const w of words) out.push(fnv1a(w));
    return out;
  }
  for (let i = 0; i + 3 <= words.length && out.length < 4096; i++) {
    out.push(fnv1a(`${words[i] ?? ''} ${words[i + 1] ?? ''} ${words[i + 2] ?? ''}`));
  }
  return out;
}

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => mix32(0x9e3779b9 * (i + 1)));

/** MinHash signature (Broder 1997): per seed, the minimum of the seeded shingle hashes. */
export function minhash(text: string): Uint32Array {
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const h of shingles(text)) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const v = mix32(h ^ (SEEDS[i] ?? 0));
      if (v < (sig[i] ?? 0)) sig[i] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the shingle sets behind two signatures. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i] && a[i] !== 0xffffffff) same++;
  return same / MINHASH_SIZE;
}
