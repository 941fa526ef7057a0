import { describe, expect, it } from 'vitest';
import { BufferSource } from '../source/byte-source.js';
import { Reader } from './reader.js';
import { PackedStr } from './values.js';

// Short str operands are kept packed and built when read: the text must be the decoder's, byte for byte.

describe('PackedStr', () => {
  it('reads back as the Latin-1 decoding of its bytes, every byte value at every position', () => {
    for (let n = 0; n <= 12; n++) {
      for (let pass = 0; pass < 32; pass++) {
        const bytes = Buffer.from(
          Array.from({ length: n }, (_, k) => (pass * 37 + k * 101 + 7 * k * k) & 0xff),
        );
        if (pass === 0) bytes.fill(0xff);
        // A length byte first, as in the VM: reading it fills the reader's buffer (packedText never reads).
        const r = new Reader(new BufferSource(Buffer.concat([Buffer.from([n]), bytes])), 0);
        expect(r.u8()).toBe(n);
        const packed = r.packedText(n, 'latin1');
        expect(packed).toBeInstanceOf(PackedStr);
        expect(packed?.v).toBe(bytes.toString('latin1'));
        expect(packed?.len).toBe(n);
        expect(packed?.first).toBe(n > 0 ? bytes[0] : Number.NaN);
        expect(r.pos).toBe(1 + n);
      }
    }
  });

  it('packs the same words whether or not 12 bytes follow in the buffer (read whole, or byte by byte)', () => {
    for (let n = 0; n <= 12; n++) {
      for (let pass = 0; pass < 64; pass++) {
        const bytes = Buffer.from(
          Array.from(
            { length: n },
            (_, k) => (pass * 53 + k * 29 + 11 * k * k) & (pass % 2 === 0 ? 0x7f : 0xff),
          ),
        );
        // Trailing bytes with every high bit set: a whole-word read must mask them off, in value and in
        // the ASCII check.
        const trail = Buffer.alloc(16, 0xff);
        const atEnd = new Reader(new BufferSource(Buffer.concat([Buffer.from([n]), bytes])), 0);
        const inside = new Reader(new BufferSource(Buffer.concat([Buffer.from([n]), bytes, trail])), 0);
        atEnd.u8();
        inside.u8();
        for (const encoding of ['latin1', 'utf8'] as const) {
          const a = atEnd.packedText(n, encoding);
          const b = inside.packedText(n, encoding);
          expect(b).toEqual(a);
          const ascii = bytes.every((x) => x < 0x80);
          expect(b === undefined).toBe(encoding === 'utf8' && !ascii);
          if (b !== undefined) {
            expect(b.v).toBe(bytes.toString('latin1'));
            expect(inside.pos).toBe(1 + n);
            atEnd.pos = 1;
            inside.pos = 1;
          }
        }
      }
    }
  });

  it('is not made for UTF-8 beyond ASCII, over 12 bytes, or bytes past the end (nothing consumed)', () => {
    const utf = new Reader(new BufferSource(Buffer.from('abé', 'utf8')), 0);
    expect(utf.peek()).toBe(0x61);
    expect(utf.packedText(4, 'utf8')).toBeUndefined();
    expect(utf.pos).toBe(0);
    expect(utf.text(4, 'utf8')).toBe('abé');
    const long = new Reader(new BufferSource(Buffer.from('abcdefghijklm')), 0);
    expect(long.peek()).toBe(0x61);
    expect(long.packedText(13, 'utf8')).toBeUndefined();
    const short = new Reader(new BufferSource(Buffer.from('abc')), 0);
    expect(short.peek()).toBe(0x61);
    expect(short.packedText(4, 'latin1')).toBeUndefined();
    expect(short.packedText(3, 'latin1')?.v).toBe('abc');
    expect(short.pos).toBe(3);
  });
});
