import type { ByteSource } from '../source/byte-source.js';
import { findEocd } from '../scan/detect.js';

/** One central-directory entry cross-checked with its local header. */
export interface ZipEntry {
  readonly index: number;
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly madeBy: number;
  readonly externalAttrs: number;
  /** Where the member's data starts (after the local header), or undefined when the local header is bad. */
  readonly dataStart: number | undefined;
  readonly localName: string | undefined;
  readonly localFlags: number | undefined;
  readonly localMethod: number | undefined;
}

export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
  readonly eocd: number;
  readonly cdStart: number;
  readonly cdEnd: number;
  /** Bytes after the EOCD record and its comment. */
  readonly after: number;
  readonly comment: number;
}

export class ZipFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const dec = new TextDecoder('utf-8');
const latin = new TextDecoder('latin1');

function view(src: ByteSource, offset: number, length: number): DataView {
  const b = src.read(offset, length).slice();
  if (b.length < length)
    throw new ZipFormatError(`zip structure truncated at 0x${offset.toString(16)}`, offset);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function bytesAt(src: ByteSource, offset: number, length: number): Uint8Array {
  const b = src.read(offset, length).slice();
  if (b.length < length)
    throw new ZipFormatError(`zip structure truncated at 0x${offset.toString(16)}`, offset);
  return b;
}

const MAX_ENTRIES = 1_000_000;

/** Reads the central directory (with Zip64) and every local header it points at. Throws ZipFormatError. */
export function readZipDirectory(src: ByteSource, maxEntries = MAX_ENTRIES): ZipDirectory {
  const eocd = findEocd(src);
  if (eocd === undefined) throw new ZipFormatError('no end-of-central-directory record', src.size);
  const e = view(src, eocd, 22);
  let count = e.getUint16(10, true);
  let cdSize = e.getUint32(12, true);
  let cdStart = e.getUint32(16, true);
  const comment = e.getUint16(20, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdStart === 0xffffffff) {
    if (eocd < 20) throw new ZipFormatError('Zip64 locator missing', eocd);
    const loc = view(src, eocd - 20, 20);
    if (loc.getUint32(0, true) !== 0x07064b50) throw new ZipFormatError('Zip64 locator missing', eocd - 20);
    const z64 = Number(loc.getBigUint64(8, true));
    const rec = view(src, z64, 56);
    if (rec.getUint32(0, true) !== 0x06064b50) throw new ZipFormatError('bad Zip64 end record', z64);
    count = Number(rec.getBigUint64(32, true));
    cdSize = Number(rec.getBigUint64(40, true));
    cdStart = Number(rec.getBigUint64(48, true));
  }
  if (count > maxEntries)
    throw new ZipFormatError(`archive declares ${String(count)} entries (limit ${String(maxEntries)})`, eocd);
  if (cdStart + cdSize > src.size)
    throw new ZipFormatError('central directory lies outside the file', cdStart);
  const entries: ZipEntry[] = [];
  let p = cdStart;
  const cdEnd = cdStart + cdSize;
  for (let i = 0; i < count; i++) {
    const h = view(src, p, 46);
    if (h.getUint32(0, true) !== 0x02014b50)
      throw new ZipFormatError(`bad central directory entry ${String(i)}`, p);
    const madeBy = h.getUint16(4, true);
    const flags = h.getUint16(8, true);
    const method = h.getUint16(10, true);
    const crc = h.getUint32(16, true);
    let compressedSize = h.getUint32(20, true);
    let size = h.getUint32(24, true);
    const nameLen = h.getUint16(28, true);
    const extraLen = h.getUint16(30, true);
    const commentLen = h.getUint16(32, true);
    const externalAttrs = h.getUint32(38, true);
    let localOffset = h.getUint32(42, true);
    const nameBytes = bytesAt(src, p + 46, nameLen);
    const name = (flags & 0x800) !== 0 ? dec.decode(nameBytes) : latin.decode(nameBytes);
    if (extraLen > 0) {
      const extra = bytesAt(src, p + 46 + nameLen, extraLen);
      const ev = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
      let q = 0;
      while (q + 4 <= extra.length) {
        const id = ev.getUint16(q, true);
        const len = ev.getUint16(q + 2, true);
        if (id === 0x0001) {
          let r = q + 4;
          const take = (): number => {
            if (r + 8 > q + 4 + len || r + 8 > extra.length)
              throw new ZipFormatError('short Zip64 extra field', p);
            const v = Number(ev.getBigUint64(r, true));
            r += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localOffset === 0xffffffff) localOffset = take();
        }
        q += 4 + len;
      }
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (p > cdEnd) throw new ZipFormatError('central directory entry runs past its end', p);
    let dataStart: number | undefined;
    let localName: string | undefined;
    let localFlags: number | undefined;
    let localMethod: number | undefined;
    if (localOffset + 30 <= src.size) {
      const l = view(src, localOffset, 30);
      if (l.getUint32(0, true) === 0x04034b50) {
        localFlags = l.getUint16(6, true);
        localMethod = l.getUint16(8, true);
        const ln = l.getUint16(26, true);
        const le = l.getUint16(28, true);
        if (localOffset + 30 + ln + le <= src.size) {
          const lb = bytesAt(src, localOffset + 30, ln);
          localName = (localFlags & 0x800) !== 0 ? dec.decode(lb) : latin.decode(lb);
          dataStart = localOffset + 30 + ln + le;
        }
      }
    }
    entries.push({
      index: i,
      name,
      flags,
      method,
      crc,
      compressedSize,
      size,
      localOffset,
      madeBy,
      externalAttrs,
      dataStart,
      localName,
      localFlags,
      localMethod,
    });
  }
  return { entries, eocd, cdStart, cdEnd, after: src.size - (eocd + 22 + comment), comment };
}
