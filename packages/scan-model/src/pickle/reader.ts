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

/** The decoders `Buffer#toString` dispatches to, called directly (one call per string operand). */
interface SliceDecoders {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
type DecodingBuffer = Buffer & SliceDecoders;

const DIRECT_SLICES =
  typeof (Buffer.prototype as Partial<SliceDecoders>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as Partial<SliceDecoders>).latin1Slice === 'function';

/** Sequential reader over a byte source with a bounded buffer: the VM never holds the whole stream. */
export class Reader {
  pos: number;
  private buf: Uint8Array = new Uint8Array(0);
  /** The same bytes as `buf`, as a Buffer: string operands decode in place, without a view per string. */
  private view = Buffer.alloc(0) as DecodingBuffer;
  private bufStart = 0;

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
    this.buf = new Uint8Array(0);
    this.view = Buffer.alloc(0) as DecodingBuffer;
    this.bufStart = 0;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private fill(): void {
    this.buf = this.src.read(this.pos, Math.min(CHUNK, this.end - this.pos));
    this.view = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength) as DecodingBuffer;
    this.bufStart = this.pos;
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
      if (!DIRECT_SLICES) return this.view.toString(encoding, i, i + n);
      return encoding === 'utf8' ? this.view.utf8Slice(i, i + n) : this.view.latin1Slice(i, i + n);
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
    for (let k = 0; k < n; k++) {
      const x = b[i + k] ?? 0;
      or |= x;
      if (k < 4) w0 |= x << (k << 3);
      else if (k < 8) w1 |= x << ((k - 4) << 3);
      else w2 |= x << ((k - 8) << 3);
    }
    if (encoding === 'utf8' && or >= 0x80) return undefined;
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
