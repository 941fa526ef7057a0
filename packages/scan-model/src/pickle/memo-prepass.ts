import type { ByteSource } from '../source/byte-source.js';
import { decodeLatin1, parsePyInt } from './decode-text.js';
import { PickleStop, Reader } from './reader.js';

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

/**
 * Reads a pickle stream ahead, from `start` to its STOP, and returns the memo indices that any GET,
 * BINGET or LONG_BINGET there fetches. Only opcode boundaries are decoded (no values), exactly as the VM
 * reads them. Undefined when the read-ahead cannot follow the stream to its STOP (invalid or truncated
 * data, an overlong text line, too many large indices, the deadline): then nothing may be dropped.
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
  const r = new Reader(src, start, end);
  const out = new IndexSet();
  let n = 0;
  try {
    for (;;) {
      if (r.pos >= r.end) return undefined;
      const op = r.u8();
      if ((++n & 0xffff) === 0 && Date.now() > deadline) return undefined;
      switch (op) {
        case 0x2e: // STOP
          return out;
        // No operand.
        case 0x28:
        case 0x29:
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x4e:
        case 0x51:
        case 0x52:
        case 0x5d:
        case 0x61:
        case 0x62:
        case 0x64:
        case 0x65:
        case 0x6c:
        case 0x6f:
        case 0x73:
        case 0x74:
        case 0x75:
        case 0x7d:
        case 0x81:
        case 0x85:
        case 0x86:
        case 0x87:
        case 0x88:
        case 0x89:
        case 0x8f:
        case 0x90:
        case 0x91:
        case 0x92:
        case 0x93:
        case 0x94:
        case 0x98:
          break;
        // One text line.
        case 0x46:
        case 0x49:
        case 0x4c:
        case 0x50:
        case 0x53:
        case 0x56:
        case 0x70:
          r.line(maxLine);
          break;
        // Two text lines.
        case 0x63:
        case 0x69:
          r.line(maxLine);
          r.line(maxLine);
          break;
        case 0x67: {
          // GET
          const idx = parsePyInt(decodeLatin1(r.line(maxLine)));
          if (idx === undefined) return undefined;
          out.add(Number(idx));
          break;
        }
        case 0x68: // BINGET
          out.add(r.u8());
          break;
        case 0x6a: // LONG_BINGET
          out.add(r.u32le());
          break;
        // Fixed-size operands.
        case 0x4b:
        case 0x71:
        case 0x80:
        case 0x82:
          r.skip(1);
          break;
        case 0x4d:
        case 0x83:
          r.skip(2);
          break;
        case 0x4a:
        case 0x72:
        case 0x84:
          r.skip(4);
          break;
        case 0x47:
        case 0x95:
          r.skip(8);
          break;
        // Length-prefixed operands.
        case 0x55: // SHORT_BINSTRING
        case 0x43: // SHORT_BINBYTES
        case 0x8c: // SHORT_BINUNICODE
        case 0x8a: // LONG1
          r.skip(r.u8());
          break;
        case 0x58: // BINUNICODE
        case 0x42: // BINBYTES
          r.skip(r.u32le());
          break;
        case 0x54: // BINSTRING
        case 0x8b: {
          // LONG4
          const len = r.i32le();
          if (len < 0) return undefined;
          r.skip(len);
          break;
        }
        case 0x8d: // BINUNICODE8
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          const lo = r.u32le();
          const len = lo + r.u32le() * 0x100000000;
          r.skip(len);
          break;
        }
        default:
          // NEXT_BUFFER, invalid opcodes: the VM stops there; nothing after it is fetched.
          return undefined;
      }
      if (out.sparseCount > MAX_SPARSE) return undefined;
    }
  } catch (error) {
    if (error instanceof PickleStop) return undefined;
    throw error;
  }
}
