// Test helper: the seeded mutations the format fuzz tests apply to a valid file.

/** How a mutant was made: cut short, a few bits flipped, or a huge length written over some bytes. */
export type MutationKind = 'truncated' | 'flipped' | 'huge-length';

/**
 * One mutant of `seed` (the seed itself is not changed): a truncation, 1–6 bit flips, or the bytes of
 * `hugeLength` (e.g. an all-ones little-endian integer or varint) written at a random offset.
 */
export function mutate(
  seed: Uint8Array,
  rnd: () => number,
  hugeLength: readonly number[],
): { kind: MutationKind; bytes: Uint8Array } {
  const bytes = Uint8Array.from(seed);
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) return { kind: 'truncated', bytes: bytes.subarray(0, Math.floor(rnd() * bytes.length)) };
  if (kind === 1) {
    for (let f = 0; f < 1 + Math.floor(rnd() * 6); f++) {
      const at = Math.floor(rnd() * bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
    }
    return { kind: 'flipped', bytes };
  }
  const at = Math.floor(rnd() * Math.max(1, bytes.length - hugeLength.length));
  bytes.set(hugeLength.slice(0, bytes.length - at), at);
  return { kind: 'huge-length', bytes };
}
