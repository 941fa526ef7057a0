// Test helper: minimal HDF5 files written byte by byte, shaped like h5py's output for a Keras 2 model (root group
// attributes only, no datasets). Layouts: superblock 0 with a version-1 object header (h5py's default, libver
// "earliest"), optionally with the attributes in a continuation block; or superblock 2 with a version-2 OHDR
// header (libver "latest") with lookup3 checksums. The root is an empty new-style group (Link Info + Group Info),
// so the files open in the HDF5 library itself (checked with h5py while writing this builder).

export interface H5Attr {
  name: string;
  value: string;
  /** Fixed-length string (numpy bytes_) or variable-length string in a global heap collection (h5py str). */
  kind?: 'fixed' | 'vlen';
}

export interface H5Options {
  layout?: 'v0' | 'v0-continuation' | 'v2';
}

const le = (n: number, size: number): number[] => {
  const out: number[] = [];
  let v = n;
  for (let i = 0; i < size; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
};
const pad8 = (b: number[]): number[] => [...b, ...new Array<number>((8 - (b.length % 8)) % 8).fill(0)];
const UNDEF = new Array<number>(8).fill(0xff);

/** Bob Jenkins' lookup3 hashlittle, the checksum HDF5 puts on version-2 metadata. */
export function lookup3(data: ArrayLike<number>, initval = 0): number {
  const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  let a = (0xdeadbeef + data.length + initval) >>> 0;
  let b = a;
  let c = a;
  const at = (i: number): number => data[i] ?? 0;
  const word = (i: number): number =>
    (at(i) | (at(i + 1) << 8) | (at(i + 2) << 16) | (at(i + 3) << 24)) >>> 0;
  let i = 0;
  let length = data.length;
  while (length > 12) {
    a = (a + word(i)) >>> 0;
    b = (b + word(i + 4)) >>> 0;
    c = (c + word(i + 8)) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    i += 12;
    length -= 12;
  }
  if (length === 0) return c;
  const tail = (k: number): number => (k < length ? at(i + k) : 0);
  a = (a + (tail(0) | (tail(1) << 8) | (tail(2) << 16) | (tail(3) << 24))) >>> 0;
  b = (b + (tail(4) | (tail(5) << 8) | (tail(6) << 16) | (tail(7) << 24))) >>> 0;
  c = (c + (tail(8) | (tail(9) << 8) | (tail(10) << 16) | (tail(11) << 24))) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return c;
}

/** An empty new-style group: Link Info (no dense links) and Group Info messages. */
const LINK_INFO = [0, 0, ...UNDEF, ...UNDEF];
const GROUP_INFO = [0, 0];

/** Attribute message body (version 1, padded parts), with `heapAddr` for variable-length values. */
function attributeV1(a: H5Attr, heapAddr: number, heapIndex: number): number[] {
  const name = [...Buffer.from(a.name, 'utf8'), 0];
  const value = Buffer.from(a.value, 'utf8');
  const vlen = a.kind !== 'fixed';
  // vlen string of 1-byte unsigned chars (class 9, type string) or fixed string, null-terminated
  const dtype = vlen
    ? [0x19, 0x01, 0, 0, ...le(16, 4), 0x10, 0, 0, 0, ...le(1, 4), ...le(0, 2), ...le(8, 2)]
    : [0x13, 0x00, 0, 0, ...le(value.length + 1, 4)];
  const dspace = [1, 0, 0, 0, 0, 0, 0, 0];
  const data = vlen ? [...le(value.length, 4), ...le(heapAddr, 8), ...le(heapIndex, 4)] : [...value, 0];
  return [
    1,
    0,
    ...le(name.length, 2),
    ...le(dtype.length, 2),
    ...le(dspace.length, 2),
    ...pad8(name),
    ...pad8(dtype),
    ...pad8(dspace),
    ...data,
  ];
}

function globalHeap(values: Buffer[]): number[] {
  const objects = values.flatMap((v, i) =>
    pad8([...le(i + 1, 2), ...le(1, 2), 0, 0, 0, 0, ...le(v.length, 8), ...v]),
  );
  const size = Math.max(4096, 16 + objects.length + 16);
  // Object 0 is the collection's free space: its size counts its own header.
  const free = size - 16 - objects.length;
  const body = [...objects, ...le(0, 8), ...le(free, 8), ...new Array<number>(free - 16).fill(0)];
  return [0x47, 0x43, 0x4f, 0x4c, 1, 0, 0, 0, ...le(size, 8), ...body];
}

const v1Message = (type: number, body: number[]): number[] => {
  const b = pad8(body);
  return [...le(type, 2), ...le(b.length, 2), 0, 0, 0, 0, ...b];
};

export function hdf5(attrs: H5Attr[], options: H5Options = {}): Uint8Array {
  const layout = options.layout ?? 'v0';
  const vlen = attrs.filter((a) => a.kind !== 'fixed');
  if (layout === 'v2') {
    const header = 48;
    const build = (heapAddr: number): number[] => {
      let index = 0;
      const messages = [
        ...[0x02, ...le(LINK_INFO.length, 2), 0, ...LINK_INFO],
        ...[0x0a, ...le(GROUP_INFO.length, 2), 0, ...GROUP_INFO],
        ...attrs.flatMap((a) => {
          const body = attributeV1(a, heapAddr, a.kind !== 'fixed' ? ++index : 0);
          return [0x0c, ...le(body.length, 2), 0, ...body];
        }),
      ];
      const ohdr = [0x4f, 0x48, 0x44, 0x52, 2, 0x02, ...le(messages.length, 4), ...messages];
      return [...ohdr, ...le(lookup3(ohdr), 4)];
    };
    const ohdr0 = build(0);
    const heapAt = header + ohdr0.length;
    const ohdr = build(heapAt);
    const heap = globalHeap(vlen.map((a) => Buffer.from(a.value, 'utf8')));
    const eof = heapAt + heap.length;
    const sb = [
      0x89,
      0x48,
      0x44,
      0x46,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      2,
      8,
      8,
      0,
      ...le(0, 8),
      ...UNDEF,
      ...le(eof, 8),
      ...le(header, 8),
    ];
    return Uint8Array.from([...sb, ...le(lookup3(sb), 4), ...ohdr, ...heap]);
  }
  // Superblock 0: 24 fixed bytes, 4 addresses, then the root symbol table entry (40 bytes) = 96 bytes.
  const ohdrAt = 96;
  const build = (heapAddr: number, contAddr: number): { header: number[]; cont: number[] } => {
    let index = 0;
    const attrMessages = attrs.flatMap((a) =>
      v1Message(0x0c, attributeV1(a, heapAddr, a.kind !== 'fixed' ? ++index : 0)),
    );
    const continued = layout === 'v0-continuation';
    const group = [...v1Message(0x02, LINK_INFO), ...v1Message(0x0a, GROUP_INFO)];
    const inHeader = continued
      ? [...v1Message(0x10, [...le(contAddr, 8), ...le(attrMessages.length, 8)]), ...group]
      : [...group, ...attrMessages];
    const count = (continued ? 1 : 0) + 2 + attrs.length;
    const header = [1, 0, ...le(count, 2), ...le(1, 4), ...le(inHeader.length, 4), 0, 0, 0, 0, ...inHeader];
    return { header, cont: continued ? attrMessages : [] };
  };
  const first = build(0, 0);
  const contAt = ohdrAt + first.header.length;
  const heapAt = contAt + first.cont.length;
  const { header, cont } = build(heapAt, contAt);
  const heap = vlen.length > 0 ? globalHeap(vlen.map((a) => Buffer.from(a.value, 'utf8'))) : [];
  const eof = heapAt + heap.length;
  const sb = [
    0x89,
    0x48,
    0x44,
    0x46,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    0,
    0,
    8,
    8,
    0,
    ...le(4, 2),
    ...le(16, 2),
    ...le(0, 4),
    ...le(0, 8),
    ...UNDEF,
    ...le(eof, 8),
    ...UNDEF,
    // root symbol table entry: link name offset, object header address, cache type 0, reserved, scratch
    ...le(0, 8),
    ...le(ohdrAt, 8),
    ...le(0, 4),
    ...le(0, 4),
    ...new Array<number>(16).fill(0),
  ];
  return Uint8Array.from([...sb, ...header, ...cont, ...heap]);
}
