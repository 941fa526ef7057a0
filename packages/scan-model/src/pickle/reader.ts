import type { ByteSource } from '../source/byte-source.js';
import { PackedStr } from './values.js';

/** Why a pickle stream stopped before STOP. */
export type StopKind = 'eof' | 'invalid' | 'limit';

export class PickleStop extends Error {
  constructor(
    readonly kind: StopKind,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const CHUNK = 1 << 20;
const FIRST_CHUNK = 4096;
/** Bytes `ahead` keeps buffered past the next opcode: the opcode, an 8-byte operand, a SHORT_TEXT string. */
const HEADROOM = 32;

/** The decoders `Buffer#toString` dispatches to, called directly (one call per string operand). */
interface SliceDecoders {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
type DecodingBuffer = Buffer & SliceDecoders;

const EMPTY = Buffer.alloc(0) as DecodingBuffer;

const DIRECT_SLICES =
  typeof (Buffer.prototype as Partial<SliceDecoders>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as Partial<SliceDecoders>).latin1Slice === 'function';

/** Sequential reader over a byte source with a bounded buffer: the VM never holds the whole stream. */
export class Reader {
  pos: number;
  /**
   * The buffered bytes, always a Buffer view (string operands decode in place, without a view per string).
   * One kind of object only, also when emptied: a field that held a Buffer and then a plain Uint8Array made
   * V8 discard the VM's optimised code mid-stream (dense_dict_50: after the memo read-ahead).
   */
  private buf: DecodingBuffer = EMPTY;
  private bufStart = 0;
  /**
   * How much the next fill reads: a small first chunk, then CHUNK. The second fill then comes a few hundred
   * opcodes in, after V8 started collecting type feedback: the refill path has feedback when the VM's loop
   * is optimised, instead of being first taken a megabyte in (which made V8 drop that code again).
   */
  private chunk = FIRST_CHUNK;

  constructor(
    readonly src: ByteSource,
    start: number,
    readonly end: number = src.size,
  ) {
    this.pos = start;
  }

  /**
   * Forgets the buffered bytes: the next read goes back to the source. Needed after anything else read
   * the same source, since a file source reuses one window and the buffer is a view of it.
   */
  invalidate(): void {
    this.buf = EMPTY;
    this.bufStart = 0;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private fill(): void {
    const b = this.src.read(this.pos, Math.min(this.chunk, this.end - this.pos));
    this.chunk = CHUNK;
    this.buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength) as DecodingBuffer;
    this.bufStart = this.pos;
  }

  /**
   * Called before each opcode: refills when fewer than HEADROOM bytes are left in the buffer (and the stream
   * has more), so that an opcode, its fixed operand and a short string operand always lie in the buffer.
   * Their reads then never take the path for an operand that crosses the buffer's end, which would run for
   * the first time deep into a large pickle and make V8 drop the VM's optimised code there.
   */
  ahead(): void {
    const have = this.bufStart + this.buf.length;
    if (this.pos + HEADROOM > have && have < this.end) this.fill();
  }

  u8(): number {
    let i = this.pos - this.bufStart;
    if (i < 0 || i >= this.buf.length) {
      if (this.pos >= this.end) throw new PickleStop('eof', 'pickle data was truncated', this.pos);
      this.fill();
      i = 0;
    }
    this.pos++;
    return this.buf[i] ?? 0;
  }

  peek(): number | undefined {
    if (this.pos >= this.end) return undefined;
    let i = this.pos - this.bufStart;
    if (i < 0 || i >= this.buf.length) {
      this.fill();
      i = 0;
    }
    return this.buf[i];
  }

  /** Skips an operand of `n` bytes without making a view of it (BINFLOAT is one in every few opcodes). */
  skip(n: number): void {
    if (n > this.end - this.pos) throw new PickleStop('eof', 'pickle data was truncated', this.end);
    this.pos += n;
  }

  /**
   * Consumes a run of BINFLOAT opcodes (0x47 and 8 bytes each) that lies whole in the buffer and before
   * `limit` (a frame end), at most `max` of them; returns how many. A list of floats is one such run after
   * another, and none of them does anything but push a float.
   */
  floatRun(limit: number, max: number): number {
    const i0 = this.pos - this.bufStart;
    if (i0 < 0) return 0;
    const b = this.buf;
    const stop = Math.min(b.length, limit - this.bufStart, this.end - this.bufStart);
    let i = i0;
    let n = 0;
    while (n < max && i + 9 <= stop && b[i] === 0x47) {
      i += 9;
      n++;
    }
    this.pos += i - i0;
    return n;
  }

  /** A 4-byte little-endian operand, unsigned, read in place when it lies in the buffer. */
  u32le(): number {
    const i = this.pos - this.bufStart;
    if (i >= 0 && i + 4 <= this.buf.length && this.end - this.pos >= 4) {
      const b = this.buf;
      this.pos += 4;
      return ((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16)) + (b[i + 3] ?? 0) * 0x1000000;
    }
    const b = this.bytes(4);
    return ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16)) + (b[3] ?? 0) * 0x1000000;
  }

  /**
   * The operand of BININT1 (0x4b, 1 byte), BININT2 (0x4d, 2 bytes, unsigned) or BININT (0x4a, 4 bytes,
   * signed): one word read and masked by the operand's size, the same operations for all three.
   */
  intOperand(op: number): number {
    const size = INT_SIZES[op] ?? 4;
    const i = this.pos - this.bufStart;
    if (i >= 0 && i + 4 <= this.buf.length) {
      this.pos += size;
      return word(this.buf, i) & (INT_MASKS[size] ?? 0);
    }
    // Fewer than four bytes left in the buffer: the end of the stream.
    if (size === 1) return this.u8();
    if (size === 2) return this.u8() | (this.u8() << 8);
    return this.i32le();
  }

  /** A 4-byte little-endian operand, signed. */
  i32le(): number {
    return this.u32le() | 0;
  }

  /** Exactly `n` bytes (copied only when they cross the buffer). Callers use the result at once. */
  bytes(n: number): Uint8Array {
    if (n > this.end - this.pos) {
      throw new PickleStop('eof', 'pickle data was truncated', this.end);
    }
    const i = this.pos - this.bufStart;
    if (i >= 0 && i + n <= this.buf.length) {
      this.pos += n;
      return this.buf.subarray(i, i + n);
    }
    if (n <= CHUNK) {
      this.fill();
      this.pos += n;
      return this.buf.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const part = this.src.read(this.pos + done, Math.min(CHUNK, n - done));
      if (part.length === 0) throw new PickleStop('eof', 'pickle data was truncated', this.pos + done);
      out.set(part, done);
      done += part.length;
    }
    this.pos += n;
    return out;
  }

  /**
   * Exactly `n` bytes decoded as UTF-8 (invalid sequences become U+FFFD) or Latin-1: read in place when they
   * lie in the buffer (string operands are most of a dict-heavy pickle), through `bytes` when they cross it.
   */
  text(n: number, encoding: 'utf8' | 'latin1'): string {
    if (n > this.end - this.pos) {
      throw new PickleStop('eof', 'pickle data was truncated', this.end);
    }
    const i = this.pos - this.bufStart;
    if (i >= 0 && i + n <= this.buf.length) {
      this.pos += n;
      // Short strings (keys, names) are most of a dict's: built in JavaScript from their bytes when they are
      // ASCII or Latin-1 (half the time of a call into the decoder).
      if (n <= SHORT_TEXT && (encoding === 'latin1' || isAscii(this.buf, i, n)))
        return shortText(this.buf, i, n);
      // Through toString, each call first normalises the encoding and the range: ~30% of a dict's strings.
      if (!DIRECT_SLICES) return this.buf.toString(encoding, i, i + n);
      return encoding === 'utf8' ? this.buf.utf8Slice(i, i + n) : this.buf.latin1Slice(i, i + n);
    }
    const b = this.bytes(n);
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(encoding);
  }

  /**
   * A str operand of `n` bytes as a PackedStr when it is short (SHORT_TEXT bytes at most), lies in the
   * buffer and is Latin-1 or ASCII (then UTF-8 decodes it one character per byte); undefined, and nothing
   * consumed, otherwise (`text` reads it then).
   */
  packedText(n: number, encoding: 'utf8' | 'latin1'): PackedStr | undefined {
    const i = this.pos - this.bufStart;
    if (n > SHORT_TEXT || i < 0 || i + n > this.buf.length || n > this.end - this.pos) return undefined;
    const b = this.buf;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let or = 0;
    if (i + SHORT_TEXT <= b.length) {
      // SHORT_TEXT bytes lie in the buffer (`ahead` sees to that but at the end of the stream): three words
      // read whole, then the bytes past `n` masked off. The same operations whatever `n` (masks from a
      // table): a branch first taken by a longer string deep into a file would cost V8's optimised code.
      const m = n * 3;
      w0 = word(b, i) & (WORD_MASKS[m] ?? 0);
      w1 = word(b, i + 4) & (WORD_MASKS[m + 1] ?? 0);
      w2 = word(b, i + 8) & (WORD_MASKS[m + 2] ?? 0);
      or = (w0 | w1 | w2) & HIGH_BITS;
    } else {
      for (let k = 0; k < n; k++) {
        const x = b[i + k] ?? 0;
        or |= x & 0x80;
        if (k < 4) w0 |= x << (k << 3);
        else if (k < 8) w1 |= x << ((k - 4) << 3);
        else w2 |= x << ((k - 8) << 3);
      }
    }
    if (encoding === 'utf8' && or !== 0) return undefined;
    this.pos += n;
    return new PackedStr(n, w0, w1, w2);
  }

  /** Skips `n` bytes, returning a copy of at most `keep` leading bytes. */
  skipKeeping(n: number, keep: number): Uint8Array {
    if (n > this.end - this.pos) throw new PickleStop('eof', 'pickle data was truncated', this.end);
    const head = this.src.read(this.pos, Math.min(n, keep)).slice();
    this.pos += n;
    return head;
  }

  /** A line without its `\n`, as CPython's readline for text opcodes; bounded by `max`. */
  line(max: number): Uint8Array {
    const start = this.pos;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (this.pos >= this.end) throw new PickleStop('eof', 'pickle data was truncated', this.pos);
      let i = this.pos - this.bufStart;
      if (i < 0 || i >= this.buf.length) {
        this.fill();
        i = 0;
      }
      const nl = this.buf.indexOf(0x0a, i);
      const stop = nl < 0 ? this.buf.length : nl;
      const piece = this.buf.subarray(i, stop);
      total += piece.length;
      if (total > max) throw new PickleStop('limit', `text operand longer than ${String(max)} bytes`, start);
      this.pos += piece.length;
      if (nl >= 0) {
        this.pos++;
        if (parts.length === 0) return piece;
        parts.push(piece);
        return concat(parts, total);
      }
      // A copy: the buffer is a view of the source's memory, which the next fill may overwrite.
      parts.push(new Uint8Array(piece));
    }
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Longest string `shortText` builds. */
const SHORT_TEXT = 12;
/** The top bit of each byte of a word: set in any byte of a string that is not ASCII. */
const HIGH_BITS = 0x80808080 | 0;

/** For a string of n bytes (0 to SHORT_TEXT), at 3n, 3n + 1, 3n + 2: the masks of its bytes in each word. */
const WORD_MASKS = Int32Array.from({ length: 3 * (SHORT_TEXT + 1) }, (_, j) => {
  const bytes = Math.max(0, Math.min(4, Math.floor(j / 3) - 4 * (j % 3)));
  return bytes === 4 ? -1 : (1 << (bytes << 3)) - 1;
});

/** Operand sizes of BININT1, BININT2 and BININT (4 for anything else: callers pass only these three). */
const INT_SIZES = new Uint8Array(256).fill(4);
INT_SIZES[0x4b] = 1;
INT_SIZES[0x4d] = 2;

/** By operand size (1, 2 or 4 bytes): the mask of its bytes in a word. */
const INT_MASKS = Int32Array.of(0, 0xff, 0xffff, 0, -1);

/** Four bytes from `i` as a little-endian int32 (all four must lie in `b`). */
function word(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
}

function isAscii(b: Uint8Array, i: number, n: number): boolean {
  let or = 0;
  for (let j = i; j < i + n; j++) or |= b[j] ?? 0;
  return or < 0x80;
}

const fc = String.fromCharCode;

/**
 * `n` (at most SHORT_TEXT) bytes from `i` as one character each: Latin-1, or ASCII as UTF-8. The bytes are
 * read inline (a helper closure here was not inlined: one allocation and call per byte, ~25% of the time).
 */
function shortText(b: Uint8Array, i: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return fc(b[i] ?? 0);
    case 2:
      return fc(b[i] ?? 0, b[i + 1] ?? 0);
    case 3:
      return fc(b[i] ?? 0, b[i + 1] ?? 0, b[i + 2] ?? 0);
    case 4:
      return fc(b[i] ?? 0, b[i + 1] ?? 0, b[i + 2] ?? 0, b[i + 3] ?? 0);
    case 5:
      return fc(b[i] ?? 0, b[i + 1] ?? 0, b[i + 2] ?? 0, b[i + 3] ?? 0, b[i + 4] ?? 0);
    case 6:
      return fc(b[i] ?? 0, b[i + 1] ?? 0, b[i + 2] ?? 0, b[i + 3] ?? 0, b[i + 4] ?? 0, b[i + 5] ?? 0);
    case 7:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
      );
    case 8:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
        b[i + 7] ?? 0,
      );
    case 9:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
        b[i + 7] ?? 0,
        b[i + 8] ?? 0,
      );
    case 10:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
        b[i + 7] ?? 0,
        b[i + 8] ?? 0,
        b[i + 9] ?? 0,
      );
    case 11:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
        b[i + 7] ?? 0,
        b[i + 8] ?? 0,
        b[i + 9] ?? 0,
        b[i + 10] ?? 0,
      );
    default:
      return fc(
        b[i] ?? 0,
        b[i + 1] ?? 0,
        b[i + 2] ?? 0,
        b[i + 3] ?? 0,
        b[i + 4] ?? 0,
        b[i + 5] ?? 0,
        b[i + 6] ?? 0,
        b[i + 7] ?? 0,
        b[i + 8] ?? 0,
        b[i + 9] ?? 0,
        b[i + 10] ?? 0,
        b[i + 11] ?? 0,
      );
  }
}
