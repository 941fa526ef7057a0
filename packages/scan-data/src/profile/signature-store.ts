import { PERMUTATIONS } from '../text/minhash.js';
import { seededRandom } from '../stats/rng.js';

export const NO_LABEL = 0xffff;

/**
 * MinHash signatures, exact-text hashes, labels and row numbers of documents, in growable typed arrays.
 * With a cap, keeps a seeded uniform sample (reservoir) of the documents.
 */
export class SignatureStore {
  size = 0;
  seen = 0;
  sigs: Uint16Array;
  exact: Uint8Array;
  labels: Uint16Array;
  rows: Uint32Array;
  /** Two near-duplicate keys per document (tables; 48-bit integers), 0 when not computed. */
  near: Float64Array;
  private readonly random: () => number;

  constructor(
    readonly cap: number,
    seed: number,
    initial = 1024,
  ) {
    const n = Math.max(1, Math.min(initial, cap));
    this.sigs = new Uint16Array(n * PERMUTATIONS);
    this.exact = new Uint8Array(n * 8);
    this.labels = new Uint16Array(n);
    this.rows = new Uint32Array(n);
    this.near = new Float64Array(n * 2);
    this.random = seededRandom(seed ^ 0x51a7);
  }

  private grow(): void {
    const n = Math.min(this.cap, this.labels.length * 2);
    const sigs = new Uint16Array(n * PERMUTATIONS);
    sigs.set(this.sigs);
    const exact = new Uint8Array(n * 8);
    exact.set(this.exact);
    const labels = new Uint16Array(n);
    labels.set(this.labels);
    const rows = new Uint32Array(n);
    rows.set(this.rows);
    const near = new Float64Array(n * 2);
    near.set(this.near);
    this.near = near;
    this.sigs = sigs;
    this.exact = exact;
    this.labels = labels;
    this.rows = rows;
  }

  /** Adds a document; returns its slot, or -1 when the sample did not keep it. */
  add(
    sig: Uint16Array,
    exact: Uint8Array,
    label: number,
    row: number,
    near: readonly [number, number] = [0, 0],
  ): number {
    this.seen++;
    let slot: number;
    if (this.size < this.cap) {
      if (this.size === this.labels.length) this.grow();
      slot = this.size++;
    } else {
      const j = Math.floor(this.random() * this.seen);
      if (j >= this.cap) return -1;
      slot = j;
    }
    this.sigs.set(sig, slot * PERMUTATIONS);
    this.exact.set(exact.subarray(0, 8), slot * 8);
    this.labels[slot] = label;
    this.rows[slot] = row;
    this.near[slot * 2] = near[0];
    this.near[slot * 2 + 1] = near[1];
    return slot;
  }

  exactKey(slot: number): string {
    return Buffer.from(this.exact.buffer, this.exact.byteOffset + slot * 8, 8).toString('hex');
  }
}

/** Little-endian base64 of a Uint16Array prefix (platform-independent). */
export function u16ToBase64(values: Uint16Array, count: number): string {
  const buf = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) buf.writeUInt16LE(values[i] ?? 0, i * 2);
  return buf.toString('base64');
}

export function base64ToU16(text: string): Uint16Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Uint16Array(Math.floor(buf.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt16LE(i * 2);
  return out;
}

/** Pairs of 48-bit keys as 6-byte little-endian integers, base64. */
export function nearKeysToBase64(keys: Float64Array, count: number): string {
  const buf = Buffer.alloc(count * 12);
  for (let i = 0; i < count * 2; i++) buf.writeUIntLE(keys[i] ?? 0, i * 6, 6);
  return buf.toString('base64');
}

export function base64ToNearKeys(text: string): Float64Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Float64Array(Math.floor(buf.length / 6));
  for (let i = 0; i < out.length; i++) out[i] = buf.readUIntLE(i * 6, 6);
  return out;
}

export function f32ToBase64(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function base64ToF32(text: string): Float64Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Float64Array(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
