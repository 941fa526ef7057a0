/** 32-bit FNV-1a over a string slice with a seed. */
export function fnv1a(text: string, start = 0, end = text.length, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes a 32-bit value (murmur3 finaliser) — a second, independent hash from the first. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface SimHash64 {
  hi: number;
  lo: number;
}

const MAX_CHARS = 2048;
const SHINGLE = 4;

/**
 * 64-bit SimHash (Charikar 2002) of lower-cased, whitespace-collapsed text over character 4-gram shingles:
 * near-identical texts (a few characters edited) get fingerprints a few bits apart.
 */
export function simhash64(text: string): SimHash64 {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, MAX_CHARS);
  const counts = new Int32Array(64);
  const n = Math.max(1, t.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    const h1 = fnv1a(t, i, Math.min(t.length, i + SHINGLE));
    const h2 = mix32(h1 ^ 0x9e3779b9);
    for (let b = 0; b < 32; b++) {
      counts[b] = (counts[b] ?? 0) + ((h1 >>> b) & 1 ? 1 : -1);
      counts[b + 32] = (counts[b + 32] ?? 0) + ((h2 >>> b) & 1 ? 1 : -1);
    }
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if ((counts[b] ?? 0) > 0) lo |= 1 << b;
    if ((counts[b + 32] ?? 0) > 0) hi |= 1 << b;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Fingerprint from up to 16 hex digits (the low 8 are `lo`); read in place, no substrings. */
export function simhashFromHex(hex: string): SimHash64 {
  const n = hex.length;
  if (n <= 16) {
    let hi = 0;
    let lo = 0;
    let ok = true;
    for (let i = 0; i < n; i++) {
      const v = hexValue(hex.charCodeAt(i));
      if (v < 0) {
        ok = false;
        break;
      }
      if (n - i > 8) hi = ((hi << 4) | v) >>> 0;
      else lo = ((lo << 4) | v) >>> 0;
    }
    if (ok) return { hi, lo };
  }
  const padded = hex.padStart(16, '0');
  return { hi: parseInt(padded.slice(0, 8), 16) >>> 0, lo: parseInt(padded.slice(8), 16) >>> 0 };
}

export function simhashToHex(s: SimHash64): string {
  return s.hi.toString(16).padStart(8, '0') + s.lo.toString(16).padStart(8, '0');
}

/**
 * Bits that differ between two 64-bit fingerprints given as 32-bit halves: the popcount of both XORs at once
 * (2-bit and 4-bit counts per half, one byte-wise sum of at most 16 per byte, folded by shifts instead of a
 * multiply). Int32 arithmetic throughout (`| 0`), so the optimising compiler keeps it in integer registers.
 */
export function hamming(aHi: number, aLo: number, bHi: number, bLo: number): number {
  let a = (aHi ^ bHi) | 0;
  let b = (aLo ^ bLo) | 0;
  a = (a - ((a >>> 1) & 0x55555555)) | 0;
  b = (b - ((b >>> 1) & 0x55555555)) | 0;
  a = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  b = (b & 0x33333333) + ((b >>> 2) & 0x33333333);
  let v = ((a + (a >>> 4)) & 0x0f0f0f0f) + ((b + (b >>> 4)) & 0x0f0f0f0f);
  v += v >>> 8;
  v += v >>> 16;
  return v & 0x7f;
}
