import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Random access to the bytes of a file, a file range or an in-memory buffer. Reads are synchronous and
 * bounded by the caller; nothing here loads a whole file unless it is already in memory.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). The result may share memory: do not keep it. */
  read(offset: number, length: number): Uint8Array;
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    if (offset >= this.size || length <= 0) return new Uint8Array(0);
    return this.bytes.subarray(offset, Math.min(this.size, offset + length));
  }
}

/** A window of another source, e.g. a stored zip member. */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Uint8Array {
    if (offset >= this.size || length <= 0) return new Uint8Array(0);
    return this.parent.read(this.start + offset, Math.min(length, this.size - offset));
  }
}

const WINDOW = 4 * 1024 * 1024;

/**
 * A file read through one cached window of 4 MiB: memory stays flat whatever the file size. Reads return
 * plain Uint8Array views of the window, never Buffers: callers copy what they keep with `slice()`, which on a
 * Buffer would share the window's memory and change under them when the window moves (a text line read in
 * two pieces, a constant kept for later, a zip directory).
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;
  private window = Buffer.alloc(0);
  /** The same memory as `window`, as a plain Uint8Array. */
  private bytes = new Uint8Array(0);
  private windowStart = 0;
  private windowLen = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset >= this.size || length <= 0) return new Uint8Array(0);
    const end = Math.min(this.size, offset + length);
    const wEnd = this.windowStart + this.windowLen;
    if (offset >= this.windowStart && end <= wEnd) {
      return this.bytes.subarray(offset - this.windowStart, end - this.windowStart);
    }
    const want = end - offset;
    if (want > WINDOW) {
      const out = Buffer.alloc(want);
      readFully(this.fd, out, offset);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    const size = Math.min(WINDOW, this.size - offset);
    // Small files get a small window: allocating 4 MiB per tiny file dominates directory scans.
    if (this.window.length < size) {
      this.window = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(size, 64 * 1024)));
      this.bytes = new Uint8Array(this.window.buffer, this.window.byteOffset, this.window.byteLength);
    }
    readFully(this.fd, this.window.subarray(0, size), offset);
    this.windowStart = offset;
    this.windowLen = size;
    return this.bytes.subarray(0, want);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readFully(fd: number, into: Buffer, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
}
