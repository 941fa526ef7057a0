import type { Collector } from '../scan/collector.js';
import { hex, type ScanNode } from '../scan/node.js';
import type { ByteSource } from '../source/byte-source.js';
import { checkKerasJson } from './json-meta.js';

// Keras 2 `.h5` models are HDF5 files whose root group carries the model architecture as a JSON string attribute
// (`model_config`, also `training_config`). This reads just enough HDF5 to get those attributes: the superblock
// (versions 0-3), the root group's object header (version 1, or 2 with OHDR/OCHK chunks), its attribute messages
// (versions 1-3) with fixed-length strings or variable-length strings in a global heap collection. Datasets are
// never read. Everything is bounded; anything this reader cannot follow ends as inconclusive, never as clean.

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_MESSAGES = 10_000;
const MAX_CHUNKS = 256;
const MAX_CHUNK = 16 * 1024 * 1024;
const MAX_STRING = 64 * 1024 * 1024;
const KERAS_ATTRS = new Set(['model_config', 'training_config']);
const INFO_ATTRS = new Set(['keras_version', 'backend']);

export class H5Error extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Message {
  readonly type: number;
  readonly flags: number;
  readonly start: number;
  readonly size: number;
}

class H5 {
  sizeOfOffsets = 8;
  sizeOfLengths = 8;
  base = 0;

  constructor(readonly src: ByteSource) {}

  bytes(at: number, n: number): Uint8Array {
    if (at < 0 || n < 0 || at + n > this.src.size)
      throw new H5Error(`read of ${String(n)} bytes at ${hex(at)} runs past the end of the file`, at);
    return this.src.read(at, n).slice();
  }

  uint(at: number, n: number): number {
    const b = this.bytes(at, n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + (b[i] ?? 0);
    return v;
  }

  /** An address field; undefined for the "undefined address" (all bits set). */
  addr(at: number): number | undefined {
    const b = this.bytes(at, this.sizeOfOffsets);
    if (b.every((x) => x === 0xff)) return undefined;
    const v = this.uint(at, this.sizeOfOffsets);
    if (!Number.isSafeInteger(v) || v + this.base > this.src.size)
      throw new H5Error(`address ${hex(v)} lies outside the file`, at);
    return v + this.base;
  }

  length(at: number): number {
    const v = this.uint(at, this.sizeOfLengths);
    if (!Number.isSafeInteger(v)) throw new H5Error('length field too large', at);
    return v;
  }

  /** Superblock: returns the root group's object header address. */
  superblock(): number {
    const sig = this.bytes(0, 8);
    if (!SIGNATURE.every((b, i) => sig[i] === b)) throw new H5Error('no HDF5 signature', 0);
    const version = this.uint(8, 1);
    if (version === 0 || version === 1) {
      this.sizeOfOffsets = this.uint(13, 1);
      this.sizeOfLengths = this.uint(14, 1);
      this.checkSizes();
      const fixed = version === 0 ? 24 : 28;
      const o = this.sizeOfOffsets;
      this.base = this.uint(fixed, o);
      if (this.base > this.src.size) throw new H5Error('base address outside the file', fixed);
      const root = this.addr(fixed + 4 * o + o);
      if (root === undefined) throw new H5Error('no root group', fixed + 4 * o);
      return root;
    }
    if (version === 2 || version === 3) {
      this.sizeOfOffsets = this.uint(9, 1);
      this.sizeOfLengths = this.uint(10, 1);
      this.checkSizes();
      const o = this.sizeOfOffsets;
      this.base = this.uint(12, o);
      if (this.base > this.src.size) throw new H5Error('base address outside the file', 12);
      const root = this.addr(12 + 3 * o);
      if (root === undefined) throw new H5Error('no root group', 12 + 3 * o);
      return root;
    }
    throw new H5Error(`superblock version ${String(version)} is not supported`, 8);
  }

  private checkSizes(): void {
    for (const s of [this.sizeOfOffsets, this.sizeOfLengths])
      if (![2, 4, 8].includes(s)) throw new H5Error(`field size ${String(s)} is not 2, 4 or 8`, 13);
  }

  /** Every message of an object header, following continuation blocks. */
  messages(at: number): Message[] {
    const out: Message[] = [];
    const pending: Array<[number, number, number]> = []; // [start, length, header version]
    const seen = new Set<number>();
    const first = this.bytes(at, 4);
    if (first[0] === 0x4f && first[1] === 0x48 && first[2] === 0x44 && first[3] === 0x52) {
      const version = this.uint(at + 4, 1);
      if (version !== 2) throw new H5Error(`object header version ${String(version)}`, at + 4);
      const flags = this.uint(at + 5, 1);
      let p = at + 6;
      if (flags & 0x20) p += 16;
      if (flags & 0x10) p += 4;
      const sizeBytes = 1 << (flags & 3);
      const size = this.uint(p, sizeBytes);
      p += sizeBytes;
      pending.push([p, size, 2]);
      this.v2Flags = flags;
    } else {
      const version = first[0] ?? 0;
      if (version !== 1) throw new H5Error(`object header version ${String(version)}`, at);
      const size = this.uint(at + 8, 4);
      pending.push([at + 16, size, 1]);
    }
    while (pending.length > 0) {
      const next = pending.shift();
      if (!next) break;
      const [start, size, version] = next;
      if (seen.has(start)) throw new H5Error('object header continuation loops', start);
      seen.add(start);
      if (seen.size > MAX_CHUNKS) throw new H5Error('too many object header continuation blocks', start);
      if (size > MAX_CHUNK) throw new H5Error(`object header chunk of ${String(size)} bytes`, start);
      if (start + size > this.src.size) throw new H5Error('object header chunk runs past the end', start);
      const found = version === 1 ? this.v1Messages(start, size) : this.v2Messages(start, size);
      for (const m of found) {
        if (out.length >= MAX_MESSAGES) throw new H5Error('too many object header messages', m.start);
        if (m.type === 0x10) {
          const target = this.addr(m.start);
          const length = this.length(m.start + this.sizeOfOffsets);
          if (target === undefined) throw new H5Error('continuation to an undefined address', m.start);
          if (version === 2) {
            const sig = this.bytes(target, 4);
            if (!(sig[0] === 0x4f && sig[1] === 0x43 && sig[2] === 0x48 && sig[3] === 0x4b))
              throw new H5Error('continuation block without OCHK signature', target);
            pending.push([target + 4, length - 8, 2]);
          } else pending.push([target, length, 1]);
        } else out.push(m);
      }
    }
    return out;
  }

  private v2Flags = 0;

  private v1Messages(start: number, size: number): Message[] {
    const out: Message[] = [];
    let p = start;
    const end = start + size;
    while (p + 8 <= end) {
      const type = this.uint(p, 2);
      const msize = this.uint(p + 2, 2);
      const flags = this.uint(p + 4, 1);
      if (p + 8 + msize > end) throw new H5Error('object header message runs past its chunk', p);
      out.push({ type, flags, start: p + 8, size: msize });
      p += 8 + msize;
      if (out.length > MAX_MESSAGES) throw new H5Error('too many object header messages', p);
    }
    return out;
  }

  private v2Messages(start: number, size: number): Message[] {
    const out: Message[] = [];
    let p = start;
    const head = this.v2Flags & 0x04 ? 6 : 4;
    const end = start + size;
    while (p + head <= end) {
      const type = this.uint(p, 1);
      const msize = this.uint(p + 1, 2);
      const flags = this.uint(p + 3, 1);
      if (p + head + msize > end) throw new H5Error('object header message runs past its chunk', p);
      out.push({ type, flags, start: p + head, size: msize });
      p += head + msize;
      if (out.length > MAX_MESSAGES) throw new H5Error('too many object header messages', p);
    }
    return out;
  }

  /** Reads a string-valued attribute message; returns its name and value (undefined value if not a string). */
  attribute(m: Message): { name: string; value: string | undefined; why?: string } {
    if (m.flags & 0x02) throw new H5Error('shared attribute message (not read)', m.start);
    const at = m.start;
    const end = m.start + m.size;
    const version = this.uint(at, 1);
    if (version < 1 || version > 3) throw new H5Error(`attribute message version ${String(version)}`, at);
    const flags = this.uint(at + 1, 1);
    const nameSize = this.uint(at + 2, 2);
    const dtSize = this.uint(at + 4, 2);
    const dsSize = this.uint(at + 6, 2);
    let p = at + (version === 3 ? 9 : 8);
    const pad = (n: number): number => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    if (p + pad(nameSize) + pad(dtSize) + pad(dsSize) > end)
      throw new H5Error('attribute message parts run past the message', at);
    const nameBytes = this.bytes(p, nameSize);
    const nul = nameBytes.indexOf(0);
    const name = Buffer.from(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes).toString('utf8');
    p += pad(nameSize);
    const dt = p;
    p += pad(dtSize);
    const ds = p;
    p += pad(dsSize);
    const data = p;
    if (flags & 0x03) return { name, value: undefined, why: 'its datatype or dataspace is a shared message' };
    const count = this.elements(ds);
    const cls = this.uint(dt, 1) & 0x0f;
    const bits = this.uint(dt + 1, 1);
    const size = this.uint(dt + 4, 4);
    if (cls === 3) {
      if (count > 1) return { name, value: undefined, why: 'it is an array of strings' };
      if (count === 0) return { name, value: '' };
      if (size > MAX_STRING) throw new H5Error(`string attribute of ${String(size)} bytes`, dt);
      if (data + size > end) throw new H5Error('attribute data runs past the message', data);
      return { name, value: fixedString(this.bytes(data, size), bits & 0x0f) };
    }
    if (cls === 9 && (bits & 0x0f) === 1) {
      if (count > 1) return { name, value: undefined, why: 'it is an array of strings' };
      if (count === 0) return { name, value: '' };
      const o = this.sizeOfOffsets;
      if (data + 8 + o > end) throw new H5Error('attribute data runs past the message', data);
      const length = this.uint(data, 4);
      const collection = this.addr(data + 4);
      const index = this.uint(data + 4 + o, 4);
      if (collection === undefined) return { name, value: '' };
      return { name, value: this.globalHeapString(collection, index, length) };
    }
    return { name, value: undefined, why: `its datatype class is ${String(cls)}, not a string` };
  }

  private elements(ds: number): number {
    const version = this.uint(ds, 1);
    const rank = this.uint(ds + 1, 1);
    if (rank > 32) throw new H5Error(`dataspace rank ${String(rank)}`, ds);
    if (version === 2 && this.uint(ds + 3, 1) === 2) return 0;
    const dims = ds + (version === 1 ? 8 : 4);
    let n = 1;
    for (let i = 0; i < rank; i++) {
      n *= this.length(dims + i * this.sizeOfLengths);
      if (n > 1e12) throw new H5Error('dataspace too large', ds);
    }
    return n;
  }

  /** Object `index` of the global heap collection at `at` (GCOL). */
  private globalHeapString(at: number, index: number, length: number): string {
    const sig = this.bytes(at, 4);
    if (!(sig[0] === 0x47 && sig[1] === 0x43 && sig[2] === 0x4f && sig[3] === 0x4c))
      throw new H5Error('variable-length string points at no global heap collection', at);
    const size = this.length(at + 8);
    if (size > MAX_STRING + 4096) throw new H5Error(`global heap collection of ${String(size)} bytes`, at);
    const end = Math.min(at + size, this.src.size);
    let p = at + 8 + this.sizeOfLengths;
    for (let i = 0; i < MAX_MESSAGES && p + 8 + this.sizeOfLengths <= end; i++) {
      const id = this.uint(p, 2);
      if (id === 0) break;
      const objSize = this.length(p + 8);
      const body = p + 8 + this.sizeOfLengths;
      if (body + objSize > end) throw new H5Error('global heap object runs past its collection', p);
      if (id === index) {
        if (length > objSize) throw new H5Error('string longer than its global heap object', p);
        return Buffer.from(this.bytes(body, length)).toString('utf8');
      }
      p = body + Math.ceil(objSize / 8) * 8;
    }
    throw new H5Error(`global heap object ${String(index)} not found`, at);
  }
}

function fixedString(b: Uint8Array, padding: number): string {
  let end = b.length;
  if (padding === 0) {
    const nul = b.indexOf(0);
    if (nul >= 0) end = nul;
  } else {
    const fill = padding === 2 ? 0x20 : 0;
    while (end > 0 && b[end - 1] === fill) end--;
  }
  return Buffer.from(b.subarray(0, end)).toString('utf8');
}

/** Scans an HDF5 file: Keras model_config / training_config on the root group get the Keras checks. */
export function scanHdf5(node: ScanNode, c: Collector): string {
  const where = { member: node.member };
  const h5 = new H5(node.src);
  let keras = false;
  try {
    const root = h5.superblock();
    const messages = h5.messages(root);
    for (const m of messages) {
      if (m.type > 0x18)
        throw new H5Error(`object header message type ${String(m.type)} is not defined by HDF5`, m.start);
      if (m.type === 0x15) {
        // Attribute info: attributes beyond the compact ones live in a fractal heap this reader does not follow.
        const flags = h5.uint(m.start + 1, 1);
        const heap = h5.addr(m.start + 2 + (flags & 1 ? 2 : 0));
        if (heap !== undefined)
          throw new H5Error('root attributes in dense storage (fractal heap) are not read', m.start);
        continue;
      }
      if (m.type !== 0x0c) continue;
      const attr = h5.attribute(m);
      if (!KERAS_ATTRS.has(attr.name)) {
        if (INFO_ATTRS.has(attr.name)) keras = true;
        continue;
      }
      keras = true;
      if (attr.value === undefined) {
        c.inconclusiveBecause(`HDF5 attribute ${attr.name} cannot be read: ${attr.why ?? 'unsupported'}`, {
          ...where,
          offset: m.start,
        });
        continue;
      }
      let json: unknown;
      try {
        json = JSON.parse(attr.value) as unknown;
      } catch {
        c.inconclusiveBecause(`HDF5 attribute ${attr.name} is not valid JSON`, { ...where, offset: m.start });
        continue;
      }
      checkKerasJson(json, c, { ...where, offset: m.start }, attr.name);
    }
  } catch (error) {
    c.inconclusiveBecause(
      `HDF5 file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { ...where, offset: error instanceof H5Error ? error.offset : 0 },
    );
    return 'hdf5';
  }
  return keras ? 'keras-h5' : 'hdf5';
}
