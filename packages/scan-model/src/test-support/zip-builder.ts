// Test helper: writes zip archives byte by byte, including malformed ones.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  flags?: number;
  localName?: string;
  /** Unix mode in the high 16 bits of the external attributes (e.g. 0o120777 for a symlink). */
  unixMode?: number;
  /** Override the declared uncompressed size (written as Zip64 when above 4 GiB). */
  declaredSize?: number;
  /** Write this CRC-32 instead of the real one. */
  crc?: number;
  /** Point this entry's central record at an earlier local header (overlap). */
  reuseLocalOf?: number;
}

export interface ZipSpec {
  prefix?: Uint8Array;
  suffix?: Uint8Array;
}

const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: number): number[] => [...u32(n % 0x100000000), ...u32(Math.floor(n / 0x100000000))];

export function makeZip(entries: readonly ZipEntrySpec[], spec: ZipSpec = {}): Uint8Array {
  const chunks: Buffer[] = [];
  let length = 0;
  const push = (b: ArrayLike<number>): void => {
    const buf = Buffer.from(Uint8Array.from(b));
    chunks.push(buf);
    length += buf.length;
  };
  const pushBytes = (b: Uint8Array): void => {
    chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    length += b.length;
  };
  if (spec.prefix) pushBytes(spec.prefix);
  const central: number[] = [];
  const offsets: number[] = [];
  for (const e of entries) {
    const method = e.method ?? 0;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const crc = e.crc ?? crc32(e.data);
    const flags = e.flags ?? 0;
    const name = Buffer.from(e.name, 'utf8');
    const localName = Buffer.from(e.localName ?? e.name, 'utf8');
    const size = e.declaredSize ?? e.data.length;
    const big = size >= 0xffffffff;
    let offset = length;
    if (e.reuseLocalOf !== undefined) offset = offsets[e.reuseLocalOf] ?? 0;
    else {
      push([...u32(0x04034b50), ...u16(20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21)]);
      push([
        ...u32(crc),
        ...u32(body.length),
        ...u32(big ? 0xffffffff : size),
        ...u16(localName.length),
        ...u16(0),
      ]);
      pushBytes(localName);
      pushBytes(body);
    }
    offsets.push(offset);
    const extra = big ? [...u16(1), ...u16(8), ...u64(size)] : [];
    const madeBy = e.unixMode !== undefined ? 0x0314 : 0x0014;
    central.push(
      ...u32(0x02014b50),
      ...u16(madeBy),
      ...u16(20),
      ...u16(flags),
      ...u16(method),
      ...u16(0),
      ...u16(0x21),
    );
    central.push(
      ...u32(crc),
      ...u32(body.length),
      ...u32(big ? 0xffffffff : size),
      ...u16(name.length),
      ...u16(extra.length),
      ...u16(0),
    );
    central.push(
      ...u16(0),
      ...u16(0),
      ...u32(e.unixMode !== undefined ? (e.unixMode << 16) >>> 0 : 0),
      ...u32(offset),
    );
    central.push(...name, ...extra);
  }
  const cdStart = length;
  push(central);
  push([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length)]);
  push([...u32(central.length), ...u32(cdStart), ...u16(0)]);
  if (spec.suffix) pushBytes(spec.suffix);
  return Uint8Array.from(Buffer.concat(chunks));
}

export function utf8(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'utf8'));
}
