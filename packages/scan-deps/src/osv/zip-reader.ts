import { inflateRawSync } from 'node:zlib';

/** Bounds for reading an OSV export zip (osv.dev exports hold small JSON records). */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries above 1 MiB (zip bombs). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 2_000_000,
  maxEntryBytes: 16 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u64(buf: Buffer, at: number): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('zip64 value out of range');
  return Number(value);
}

/**
 * Lists entries from the central directory (the authoritative index; local headers are only used to
 * find where data starts). Supports ZIP64, which exports with more than 65,535 records use.
 */
export function listZipEntries(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const minEocd = 22;
  if (buf.length < minEocd) throw new ZipError('not a zip file (too short)');
  let eocd = -1;
  for (let i = buf.length - minEocd; i >= Math.max(0, buf.length - minEocd - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new ZipError('not a zip file (no end of central directory)');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== EOCD64_LOCATOR)
      throw new ZipError('zip64 locator missing');
    const at = u64(buf, locator + 8);
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== EOCD64)
      throw new ZipError('zip64 end record missing');
    count = u64(buf, at + 32);
    cdSize = u64(buf, at + 40);
    cdOffset = u64(buf, at + 48);
  }
  if (count > limits.maxEntries) throw new ZipError(`too many entries (${String(count)})`);
  if (cdOffset + cdSize > buf.length) throw new ZipError('central directory outside the file');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new ZipError(`bad central directory entry ${String(n)}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > buf.length) throw new ZipError('central directory entry past the end');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: present fields follow in a fixed order for the values set to 0xFFFFFFFF.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) {
          size = u64(buf, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
          compressedSize = u64(buf, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) localOffset = u64(buf, q);
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    p = end;
  }
  return entries;
}

/** Uncompressed bytes of one entry (stored or deflate), with size, ratio and encryption checks. */
export function readZipEntry(buf: Buffer, entry: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Buffer {
  if ((entry.flags & 0x1) !== 0) throw new ZipError(`${entry.name}: encrypted entries are not read`);
  if (entry.size > limits.maxEntryBytes)
    throw new ZipError(`${entry.name}: entry larger than ${String(limits.maxEntryBytes)} bytes`);
  if (entry.size > 1024 * 1024 && entry.size > entry.compressedSize * limits.maxRatio) {
    throw new ZipError(`${entry.name}: compression ratio too high`);
  }
  const at = entry.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL)
    throw new ZipError(`${entry.name}: bad local header`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw new ZipError(`${entry.name}: data past the end of the file`);
  const data = buf.subarray(start, end);
  let out: Buffer;
  if (entry.method === 0) out = data;
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) + 1 });
    } catch (error) {
      throw new ZipError(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else throw new ZipError(`${entry.name}: compression method ${String(entry.method)} not supported`);
  if (out.length !== entry.size) throw new ZipError(`${entry.name}: size differs from the central directory`);
  return out;
}

/** Yields `name → bytes` for the entries that pass `filter`, enforcing the total-size bound. */
export function* zipEntries(
  buf: Buffer,
  filter: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Generator<{ name: string; data: Buffer }> {
  let total = 0;
  for (const entry of listZipEntries(buf, limits)) {
    if (!filter(entry.name)) continue;
    total += entry.size;
    if (total > limits.maxTotalBytes) throw new ZipError('archive expands beyond the total size limit');
    yield { name: entry.name, data: readZipEntry(buf, entry, limits) };
  }
}
