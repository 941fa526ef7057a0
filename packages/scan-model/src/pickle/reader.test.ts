import { describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../source/byte-source.js';
import { Reader } from './reader.js';

// The reader's fast paths read whole words from its buffer; near the end of the stream, or of the buffer,
// they fall back to byte-by-byte reads. Both must give what CPython's unpickler reads.

function operand(op: number, v: number): Buffer {
  const b = Buffer.alloc(op === 0x4b ? 1 : op === 0x4d ? 2 : 4);
  if (op === 0x4b) b.writeUInt8(v);
  else if (op === 0x4d) b.writeUInt16LE(v);
  else b.writeInt32LE(v);
  return b;
}

/** A source that counts its reads and how long each was. */
function counted(bytes: Buffer): ByteSource & { reads: number[] } {
  const inner = new BufferSource(bytes);
  const reads: number[] = [];
  return {
    size: inner.size,
    reads,
    read(offset, length) {
      const out = inner.read(offset, length);
      reads.push(out.length);
      return out;
    },
  };
}

describe('Reader', () => {
  it('reads BININT1, BININT2 and BININT operands alike, inside the buffer and at the end of the stream', () => {
    const values: Array<[number, number]> = [
      [0x4b, 0],
      [0x4b, 255],
      [0x4d, 256],
      [0x4d, 0xffff],
      [0x4a, 0],
      [0x4a, 65536],
      [0x4a, -1],
      [0x4a, -0x80000000],
      [0x4a, 0x7fffffff],
    ];
    for (const [op, v] of values) {
      const bytes = Buffer.concat([Buffer.from([op]), operand(op, v)]);
      // Inside: more bytes follow (all 0xff, to be masked off); at the end: the operand is the last thing.
      for (const tail of [Buffer.alloc(8, 0xff), Buffer.alloc(0)]) {
        const r = new Reader(new BufferSource(Buffer.concat([bytes, tail])), 0);
        expect(r.u8()).toBe(op);
        expect(r.intOperand(op)).toBe(v);
        expect(r.pos).toBe(bytes.length);
      }
    }
  });

  it('refills before an opcode whose 9-byte operand would cross the buffer, never in the middle of it', () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 0x4e);
    const src = counted(bytes);
    const r = new Reader(src, 0);
    let midOperand = 0;
    while (r.end - r.pos >= 9) {
      r.ahead();
      const reads = src.reads.length;
      r.bytes(9);
      if (src.reads.length !== reads) midOperand += 1;
    }
    expect(midOperand).toBe(0);
    // A small first chunk, then chunks of at most 1 MiB.
    expect(src.reads[0]).toBe(4096);
    expect(src.reads.length).toBeGreaterThan(3);
    expect(src.reads.slice(1).every((n) => n > 4096 && n <= 1024 * 1024)).toBe(true);
  });
});
