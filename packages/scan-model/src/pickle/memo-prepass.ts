import type { ByteSource } from '../source/byte-source.js';
import { decodeLatin1, parsePyInt } from './decode-text.js';

/** Memo indices below this live in a bitmap (at most 8 MiB); larger ones in a set. */
export const DENSE_INDEX = 1 << 26;
/** A read-ahead that collects more distinct large indices than this gives up (the memo stays whole). */
const MAX_SPARSE = 1 << 16;

/** A set of memo indices: a growable bitmap for the small ones, a set for the rest. */
export class IndexSet {
  private bits = new Uint32Array(0);
  private readonly big = new Set<number>();

  get sparseCount(): number {
    return this.big.size;
  }

  has(idx: number): boolean {
    if (idx >= 0 && idx < DENSE_INDEX && Number.isInteger(idx)) {
      const w = idx >>> 5;
      return w < this.bits.length && ((this.bits[w] ?? 0) & (1 << (idx & 31))) !== 0;
    }
    return this.big.has(idx);
  }

  add(idx: number): void {
    if (idx >= 0 && idx < DENSE_INDEX && Number.isInteger(idx)) {
      const w = idx >>> 5;
      if (w >= this.bits.length) {
        const grown = new Uint32Array(Math.min(DENSE_INDEX >>> 5, Math.max(w + 1, this.bits.length * 2, 64)));
        grown.set(this.bits);
        this.bits = grown;
      }
      this.bits[w] = (this.bits[w] ?? 0) | (1 << (idx & 31));
      return;
    }
    this.big.add(idx);
  }
}

const CHUNK = 1 << 20;

/** Operand sizes of opcodes with a fixed operand (0: none); -1 for the rest (handled one by one). */
const FIXED = new Int8Array(256).fill(-1);
for (const op of [
  0x28, 0x29, 0x30, 0x31, 0x32, 0x4e, 0x51, 0x52, 0x5d, 0x61, 0x62, 0x64, 0x65, 0x6c, 0x6f, 0x73, 0x74, 0x75,
  0x7d, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x98,
])
  FIXED[op] = 0;
for (const op of [0x4b, 0x71, 0x80, 0x82]) FIXED[op] = 1;
for (const op of [0x4d, 0x83]) FIXED[op] = 2;
for (const op of [0x4a, 0x72, 0x84]) FIXED[op] = 4;
for (const op of [0x47, 0x95]) FIXED[op] = 8;

/**
 * Skips the opcodes that carry no memo index and have a fixed operand, or a str/bytes operand with a 1- or
 * 4-byte length (SHORT_BINUNICODE, BINUNICODE, SHORT_BINBYTES, BINBYTES, SHORT_BINSTRING), from `i` while
 * each lies whole before `stop`; returns where it stopped (`i` when it skipped nothing). The same grammar
 * as the loop in fetchedIndices, which handles whatever this leaves.
 */
function skipCommon(buf: Uint8Array, i: number, stop: number): number {
  while (i < stop) {
    const op = buf[i] ?? 0;
    const fixed = FIXED[op] ?? -1;
    let next: number;
    if (fixed >= 0) next = i + 1 + fixed;
    else if (op === 0x58 || op === 0x42) {
      if (i + 5 > stop) return i;
      next =
        i +
        5 +
        (((buf[i + 1] ?? 0) | ((buf[i + 2] ?? 0) << 8) | ((buf[i + 3] ?? 0) << 16)) +
          (buf[i + 4] ?? 0) * 0x1000000);
    } else if (op === 0x8c || op === 0x43 || op === 0x55) {
      if (i + 2 > stop) return i;
      next = i + 2 + (buf[i + 1] ?? 0);
    } else return i;
    if (next > stop) return i;
    i = next;
  }
  return i;
}

/**
 * Reads a pickle stream ahead, from `start` to its STOP, and returns the memo indices that any GET,
 * BINGET or LONG_BINGET there fetches. Only opcode boundaries are decoded (no values), exactly as the VM
 * reads them, straight from the source's bytes. Undefined when the read-ahead cannot follow the stream to
 * its STOP (invalid or truncated data, an overlong text line, too many large indices, the deadline): then
 * nothing may be dropped.
 *
 * The set can be wrong only where the VM itself leaves the opcode grammar (bytes consumed after a joblib
 * array wrapper's BUILD); the VM detects that case when it fetches an index it did not keep, and reruns.
 */
export function fetchedIndices(
  src: ByteSource,
  start: number,
  end: number,
  maxLine: number,
  deadline: number,
): IndexSet | undefined {
  const out = new IndexSet();
  let base = start;
  let buf = src.read(start, Math.min(CHUNK, end - start));
  let i = 0;
  let n = 0;
  const u32 = (at: number): number =>
    ((buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8) | ((buf[at + 2] ?? 0) << 16)) +
    (buf[at + 3] ?? 0) * 0x1000000;
  for (;;) {
    // The opcode and any length or fixed operand (at most 8 bytes) are in the buffer, or the data ends.
    if (i + 9 > buf.length && base + buf.length < end) {
      // The deadline once a chunk too: skipCommon's opcodes do not count towards the check below.
      if (Date.now() > deadline) return undefined;
      base += i;
      buf = src.read(base, Math.min(CHUNK, end - base));
      i = 0;
    }
    // Most opcodes first, in a small loop that V8 optimises early; it stops before anything else.
    const at = skipCommon(buf, i, Math.min(buf.length, end - base));
    if (at !== i) {
      n += 1;
      i = at;
      continue;
    }
    if (i >= buf.length) return undefined;
    const op = buf[i++] ?? 0;
    if ((++n & 0xffff) === 0 && Date.now() > deadline) return undefined;
    const fixed = FIXED[op] ?? -1;
    if (fixed >= 0) {
      if (i + fixed > buf.length) return undefined;
      i += fixed;
      continue;
    }
    let skip: number;
    switch (op) {
      case 0x2e: // STOP
        return out;
      case 0x68: // BINGET
        if (i + 1 > buf.length) return undefined;
        out.add(buf[i] ?? 0);
        i += 1;
        continue;
      case 0x6a: // LONG_BINGET
        if (i + 4 > buf.length) return undefined;
        out.add(u32(i));
        i += 4;
        if (out.sparseCount > MAX_SPARSE) return undefined;
        continue;
      case 0x55: // SHORT_BINSTRING
      case 0x43: // SHORT_BINBYTES
      case 0x8c: // SHORT_BINUNICODE
      case 0x8a: // LONG1
        if (i + 1 > buf.length) return undefined;
        skip = 1 + (buf[i] ?? 0);
        break;
      case 0x58: // BINUNICODE
      case 0x42: // BINBYTES
        if (i + 4 > buf.length) return undefined;
        skip = 4 + u32(i);
        break;
      case 0x54: // BINSTRING
      case 0x8b: // LONG4
        if (i + 4 > buf.length || (buf[i + 3] ?? 0) >= 0x80) return undefined;
        skip = 4 + u32(i);
        break;
      case 0x8d: // BINUNICODE8
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        if (i + 8 > buf.length) return undefined;
        skip = 8 + u32(i) + u32(i + 4) * 0x100000000;
        break;
      case 0x46: // FLOAT
      case 0x49: // INT
      case 0x4c: // LONG
      case 0x50: // PERSID
      case 0x53: // STRING
      case 0x56: // UNICODE
      case 0x70: // PUT
      case 0x67: // GET
      case 0x63: // GLOBAL
      case 0x69: {
        // INST: text lines, each to its newline.
        for (let line = op === 0x63 || op === 0x69 ? 2 : 1; line > 0; line--) {
          let nl = buf.indexOf(0x0a, i);
          if (nl < 0) {
            // Not in this chunk: read again from the line's start, as much as the longest line allowed.
            base += i;
            buf = src.read(base, Math.min(maxLine + 1, end - base));
            i = 0;
            nl = buf.indexOf(0x0a);
            if (nl < 0) return undefined;
          }
          if (nl - i > maxLine) return undefined;
          if (op === 0x67) {
            const idx = parsePyInt(decodeLatin1(buf.subarray(i, nl)));
            if (idx === undefined) return undefined;
            out.add(Number(idx));
            if (out.sparseCount > MAX_SPARSE) return undefined;
          }
          i = nl + 1;
        }
        continue;
      }
      default:
        // NEXT_BUFFER, invalid opcodes: the VM stops there; nothing after it is fetched.
        return undefined;
    }
    if (base + i + skip > end) return undefined;
    i += skip;
  }
}
