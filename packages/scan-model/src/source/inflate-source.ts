import type { ByteSource } from './byte-source.js';

// A raw-deflate (RFC 1951) decoder that produces output on demand, so that a large deflated archive member is
// scanned with flat memory instead of being inflated whole. The compressed bytes are pulled from a ByteSource;
// the decoder keeps the 32 KiB history window and one output chunk. Reads go forward; a read behind the current
// position restarts decoding from the start (bounded by `maxRestarts`). Every byte produced, restarts included,
// is charged to the caller's budget.

export class InflateError extends Error {}

const WINDOW = 32 * 1024;
const CHUNK = 1024 * 1024;
const LEN_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Canonical Huffman code: counts per length, symbols sorted by code, and a lookup table for short codes. */
interface Huffman {
  readonly counts: Uint16Array;
  readonly symbols: Uint16Array;
  /** Indexed by the next FAST bits (LSB first): symbol << 4 | length, or 0 when the code is longer. */
  readonly fast: Uint16Array;
}

const FAST = 9;

function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < n; i++) {
    const len = lengths[i] ?? 0;
    counts[len] = (counts[len] ?? 0) + 1;
  }
  counts[0] = 0;
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - (counts[len] ?? 0);
    if (left < 0) throw new InflateError('over-subscribed Huffman code');
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = (offs[len] ?? 0) + (counts[len] ?? 0);
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const len = lengths[i] ?? 0;
    if (len !== 0) {
      const at = offs[len] ?? 0;
      symbols[at] = i;
      offs[len] = at + 1;
    }
  }
  // Canonical codes in order of (length, symbol); store bit-reversed (deflate sends codes MSB first).
  const fast = new Uint16Array(1 << FAST);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= FAST; len++) {
    for (let c = 0; c < (counts[len] ?? 0); c++) {
      const sym = symbols[k++] ?? 0;
      let rev = 0;
      for (let b = 0; b < len; b++) rev |= ((code >> b) & 1) << (len - 1 - b);
      for (let fill = rev; fill < 1 << FAST; fill += 1 << len) fast[fill] = (sym << 4) | len;
      code++;
    }
    code <<= 1;
  }
  return { counts, symbols, fast };
}

const FIXED_LIT = ((): Huffman => {
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  return huffman(l, 288);
})();
const FIXED_DIST = huffman(new Uint8Array(30).fill(5), 30);

/** Decoder state at a point of the output, so that a backward read resumes near it instead of at the start. */
interface Checkpoint {
  readonly produced: number;
  readonly inPos: number;
  readonly bitBuf: number;
  readonly bitCnt: number;
  readonly final: boolean;
  readonly mode: number;
  readonly stored: number;
  readonly lit: Huffman;
  readonly dist: Huffman;
  readonly copyLen: number;
  readonly copyDist: number;
  readonly window: Uint8Array;
}

/** Output distance between checkpoints: a backward read re-decodes at most this much. 32 KiB of memory each. */
const CHECKPOINT_EVERY = 8 * 1024 * 1024;

export class InflateSource implements ByteSource {
  private readonly checkpoints: Checkpoint[] = [];
  private inPos = 0;
  private bitBuf = 0;
  private bitCnt = 0;
  private inChunk: Uint8Array = new Uint8Array(0);
  private inChunkStart = 0;
  private final = false;
  private done = false;
  /** 0: need block header, 1: stored, 2: huffman. */
  private mode = 0;
  private stored = 0;
  private lit: Huffman = FIXED_LIT;
  private dist: Huffman = FIXED_DIST;
  private copyLen = 0;
  private copyDist = 0;
  private readonly window = new Uint8Array(WINDOW);
  private produced = 0;
  private out: Uint8Array = new Uint8Array(0);
  private outStart = 0;
  private restarts = 0;
  private nextCheckpoint = CHECKPOINT_EVERY;
  /** Bytes produced so far (restarts included). */
  total = 0;

  constructor(
    private readonly input: ByteSource,
    public size: number,
    private readonly charge: (bytes: number) => void,
    private readonly maxRestarts = 4096,
  ) {}

  read(offset: number, length: number): Uint8Array {
    if (offset >= this.size || length <= 0) return new Uint8Array(0);
    const end = Math.min(this.size, offset + length);
    if (offset >= this.outStart && end <= this.outStart + this.out.length)
      return this.out.subarray(offset - this.outStart, end - this.outStart);
    if (offset < this.outStart) this.seekBack(offset);
    // What is already decoded from `offset` on (the output buffer always ends where decoding stopped).
    let head =
      offset < this.outStart + this.out.length
        ? this.out.subarray(offset - this.outStart)
        : new Uint8Array(0);
    for (;;) {
      const from = head.length > 0 ? this.produced : offset;
      const chunk = this.produce(Math.max(CHUNK, end - offset - head.length), from);
      let bytes = chunk.bytes;
      let start = chunk.start;
      if (head.length > 0) {
        const joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        bytes = joined;
        start = offset;
      }
      this.out = bytes;
      this.outStart = start;
      if (offset >= start && end <= start + bytes.length) return bytes.subarray(offset - start, end - start);
      if (this.done) return offset >= start ? bytes.subarray(offset - start) : new Uint8Array(0);
      head = offset >= start ? bytes.subarray(offset - start) : new Uint8Array(0);
    }
  }

  /**
   * For streams without a trustworthy length (gzip, zlib wrappers): decodes to the end of the final block within
   * `size` (the budget), sets `size` to the real output length and returns how many input bytes the deflate data
   * used. Throws if the output would pass the budget.
   */
  measure(): { output: number; consumed: number } {
    const cap = this.size;
    // produce() marks the stream done at the end of the final block or once `size` bytes are out.
    while (!this.done) this.produce(CHUNK, this.produced);
    if (this.produced >= cap && this.overruns())
      throw new InflateError(`output passes ${String(cap)} bytes (the decompression budget)`);
    this.size = this.produced;
    const consumed = this.inPos - Math.floor(this.bitCnt / 8);
    this.restart();
    this.restarts--;
    return { output: this.size, consumed };
  }

  /**
   * Once the declared size has been produced: does the stream hold more output before its final end-of-block?
   * (Loaders stop at the declared size; the in-memory path treats such a member as inconclusive, and so must
   * this one.) Decodes at most one more symbol per block.
   */
  overruns(): boolean {
    if (this.produced < this.size) return false;
    if (this.copyLen > 0) return true;
    for (let blocks = 0; blocks < 100_000; blocks++) {
      if (this.mode === 0) {
        if (this.final) return false;
        this.header();
        continue;
      }
      if (this.mode === 1) {
        if (this.stored > 0) return true;
        this.mode = 0;
        continue;
      }
      if (this.decode(this.lit) !== 256) return true;
      this.mode = 0;
    }
    return true;
  }

  /** Resumes from the last checkpoint at or before `offset` (or the start). */
  private seekBack(offset: number): void {
    let best: Checkpoint | undefined;
    for (const cp of this.checkpoints) if (cp.produced <= offset) best = cp;
    this.restart();
    if (!best) return;
    this.produced = best.produced;
    this.inPos = best.inPos;
    this.bitBuf = best.bitBuf;
    this.bitCnt = best.bitCnt;
    this.final = best.final;
    this.mode = best.mode;
    this.stored = best.stored;
    this.lit = best.lit;
    this.dist = best.dist;
    this.copyLen = best.copyLen;
    this.copyDist = best.copyDist;
    this.window.set(best.window);
    this.outStart = best.produced;
    this.nextCheckpoint = best.produced;
  }

  private checkpoint(p: number): void {
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (p < (last ? last.produced : 0) + CHECKPOINT_EVERY) return;
    this.checkpoints.push({
      produced: p,
      inPos: this.inPos,
      bitBuf: this.bitBuf,
      bitCnt: this.bitCnt,
      final: this.final,
      mode: this.mode,
      stored: this.stored,
      lit: this.lit,
      dist: this.dist,
      copyLen: this.copyLen,
      copyDist: this.copyDist,
      window: this.window.slice(),
    });
  }

  private restart(): void {
    if (++this.restarts > this.maxRestarts)
      throw new InflateError(`deflated member read backwards more than ${String(this.maxRestarts)} times`);
    this.inPos = 0;
    this.bitBuf = 0;
    this.bitCnt = 0;
    this.inChunk = new Uint8Array(0);
    this.inChunkStart = 0;
    this.final = false;
    this.done = false;
    this.mode = 0;
    this.copyLen = 0;
    this.produced = 0;
    this.out = new Uint8Array(0);
    this.outStart = 0;
    this.nextCheckpoint = 0;
  }

  /**
   * Decodes up to `want` bytes. Output before `keepFrom` is only passed through the window; the returned chunk
   * starts at max(keepFrom, the position decoding started from).
   */
  private produce(want: number, keepFrom: number): { start: number; bytes: Uint8Array } {
    const begin = this.produced;
    const start = Math.max(begin, keepFrom);
    const stop = Math.min(this.size, start + want);
    const keep = new Uint8Array(Math.max(0, stop - start));
    const win = this.window;
    const mask = WINDOW - 1;
    let p = this.produced;
    while (p < stop && !this.done) {
      if (p >= this.nextCheckpoint) {
        this.produced = p;
        this.checkpoint(p);
        this.nextCheckpoint = p - (p % CHECKPOINT_EVERY) + CHECKPOINT_EVERY;
      }
      if (this.copyLen > 0) {
        const dist = this.copyDist;
        let len = Math.min(this.copyLen, stop - p);
        this.copyLen -= len;
        while (len-- > 0) {
          const b = win[(p - dist) & mask] ?? 0;
          win[p & mask] = b;
          if (p >= start) keep[p - start] = b;
          p++;
        }
        continue;
      }
      if (this.mode === 0) {
        if (this.final) {
          this.done = true;
          break;
        }
        this.header();
        continue;
      }
      if (this.mode === 1) {
        if (this.stored === 0) {
          this.mode = 0;
          continue;
        }
        let len = Math.min(this.stored, stop - p);
        this.stored -= len;
        while (len-- > 0) {
          const b = this.byte();
          win[p & mask] = b;
          if (p >= start) keep[p - start] = b;
          p++;
        }
        continue;
      }
      const sym = this.decode(this.lit);
      if (sym < 256) {
        win[p & mask] = sym;
        if (p >= start) keep[p - start] = sym;
        p++;
      } else if (sym === 256) this.mode = 0;
      else {
        const li = sym - 257;
        if (li >= 29) throw new InflateError('invalid length symbol');
        this.copyLen = (LEN_BASE[li] ?? 0) + this.bits(LEN_EXTRA[li] ?? 0);
        const di = this.decode(this.dist);
        if (di >= 30) throw new InflateError('invalid distance symbol');
        this.copyDist = (DIST_BASE[di] ?? 0) + this.bits(DIST_EXTRA[di] ?? 0);
        if (this.copyDist > p) throw new InflateError('distance too far back');
      }
    }
    const n = p - begin;
    this.produced = p;
    this.total += n;
    this.charge(n);
    if (this.produced >= this.size) this.done = true;
    return { start, bytes: keep.subarray(0, Math.max(0, p - start)) };
  }

  private byte(): number {
    // Stored blocks are byte-aligned: bits left in the buffer were dropped at the block header.
    if (this.bitCnt >= 8) {
      const b = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCnt -= 8;
      return b;
    }
    return this.nextInput();
  }

  private nextInput(): number {
    let i = this.inPos - this.inChunkStart;
    if (i < 0 || i >= this.inChunk.length) {
      if (this.inPos >= this.input.size) throw new InflateError('compressed data ends early');
      this.inChunk = this.input.read(this.inPos, 64 * 1024);
      this.inChunkStart = this.inPos;
      i = 0;
    }
    this.inPos++;
    return this.inChunk[i] ?? 0;
  }

  private bits(n: number): number {
    while (this.bitCnt < n) {
      this.bitBuf |= this.nextInput() << this.bitCnt;
      this.bitCnt += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  private decode(h: Huffman): number {
    // Top up to FAST bits when the input allows; near the end fall back to bit-by-bit decoding.
    while (this.bitCnt < FAST && this.inPos < this.input.size) {
      this.bitBuf |= this.nextInput() << this.bitCnt;
      this.bitCnt += 8;
    }
    if (this.bitCnt >= FAST) {
      const e = h.fast[this.bitBuf & ((1 << FAST) - 1)] ?? 0;
      if (e !== 0) {
        const len = e & 15;
        this.bitBuf >>>= len;
        this.bitCnt -= len;
        return e >> 4;
      }
    }
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.counts[len] ?? 0;
      if (code - count < first) return h.symbols[index + (code - first)] ?? 0;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new InflateError('invalid Huffman code');
  }

  private header(): void {
    this.final = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) {
      this.bitBuf = 0;
      this.bitCnt = 0;
      const len = this.nextInput() | (this.nextInput() << 8);
      const nlen = this.nextInput() | (this.nextInput() << 8);
      if ((len ^ 0xffff) !== nlen) throw new InflateError('stored block length check failed');
      this.stored = len;
      this.mode = 1;
    } else if (type === 1) {
      this.lit = FIXED_LIT;
      this.dist = FIXED_DIST;
      this.mode = 2;
    } else if (type === 2) {
      const nlen = this.bits(5) + 257;
      const ndist = this.bits(5) + 1;
      const ncode = this.bits(4) + 4;
      if (nlen > 286 || ndist > 30) throw new InflateError('bad dynamic block counts');
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[CL_ORDER[i] ?? 0] = this.bits(3);
      const clh = huffman(cl, 19);
      const lengths = new Uint8Array(nlen + ndist);
      let i = 0;
      while (i < nlen + ndist) {
        const sym = this.decode(clh);
        if (sym < 16) lengths[i++] = sym;
        else {
          if (sym === 16 && i === 0) throw new InflateError('repeat with no previous length');
          const val = sym === 16 ? (lengths[i - 1] ?? 0) : 0;
          const rep = sym === 16 ? 3 + this.bits(2) : sym === 17 ? 3 + this.bits(3) : 11 + this.bits(7);
          if (i + rep > nlen + ndist) throw new InflateError('too many code lengths');
          lengths.fill(val, i, i + rep);
          i += rep;
        }
      }
      if ((lengths[256] ?? 0) === 0) throw new InflateError('no end-of-block code');
      this.lit = huffman(lengths.subarray(0, nlen), nlen);
      this.dist = huffman(lengths.subarray(nlen), ndist);
      this.mode = 2;
    } else throw new InflateError('invalid block type 3');
  }
}
