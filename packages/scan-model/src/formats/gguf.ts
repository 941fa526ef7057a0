import type { Collector } from '../scan/collector.js';
import { hex, type ScanNode } from '../scan/node.js';
import type { ByteSource } from '../source/byte-source.js';
import { checkChatTemplate } from './chat-template.js';

const MAX_KV = 1_000_000;
const MAX_TENSORS = 10_000_000;
const MAX_STRING = 64 * 1024 * 1024;
const MAX_ARRAY = 50_000_000;
const FIXED: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

class GgufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class Cursor {
  constructor(
    private readonly src: ByteSource,
    public pos: number,
  ) {}
  take(n: number): DataView {
    if (this.pos + n > this.src.size) throw new GgufError('header runs past the end of the file', this.pos);
    const b = this.src.read(this.pos, n).slice();
    this.pos += n;
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u32(): number {
    return this.take(4).getUint32(0, true);
  }
  u64(): number {
    const v = this.take(8).getBigUint64(0, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufError('64-bit count too large', this.pos - 8);
    return Number(v);
  }
  str(keep: boolean): string {
    const at = this.pos;
    const n = this.u64();
    if (n > MAX_STRING) throw new GgufError(`string of ${String(n)} bytes exceeds the limit`, at);
    if (!keep) {
      if (this.pos + n > this.src.size) throw new GgufError('string runs past the end of the file', at);
      this.pos += n;
      return '';
    }
    const v = this.take(n);
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  }
}

/** GGUF: bounded header parse, tensor table checks, chat templates checked for template injection. */
export function scanGguf(node: ScanNode, c: Collector): string {
  const where = { member: node.member };
  try {
    const cur = new Cursor(node.src, 4);
    const version = cur.u32();
    if (version < 2 || version > 3) throw new GgufError(`unsupported GGUF version ${String(version)}`, 4);
    const tensors = cur.u64();
    const kvs = cur.u64();
    if (tensors > MAX_TENSORS || kvs > MAX_KV)
      throw new GgufError(`implausible counts: ${String(tensors)} tensors, ${String(kvs)} metadata keys`, 8);
    let alignment = 32;
    for (let i = 0; i < kvs; i++) {
      if (c.outOfTime()) throw new GgufError('time budget exhausted in the header', cur.pos);
      const key = cur.str(true);
      const type = cur.u32();
      const template = key.startsWith('tokenizer.chat_template');
      if (type === 8) {
        const v = cur.str(template);
        if (template) checkChatTemplate(v, c, node.member, key);
      } else if (type === 9) {
        const itemType = cur.u32();
        const n = cur.u64();
        if (n > MAX_ARRAY)
          throw new GgufError(`array "${key}" of ${String(n)} items exceeds the limit`, cur.pos);
        if (itemType === 8) for (let j = 0; j < n; j++) cur.str(false);
        else {
          const size = FIXED[itemType];
          if (size === undefined)
            throw new GgufError(`array "${key}" has item type ${String(itemType)}`, cur.pos);
          cur.take(0);
          if (cur.pos + n * size > node.src.size)
            throw new GgufError('array runs past the end of the file', cur.pos);
          cur.pos += n * size;
        }
      } else {
        const size = FIXED[type];
        if (size === undefined)
          throw new GgufError(`metadata "${key}" has unknown type ${String(type)}`, cur.pos);
        const v = cur.take(size);
        if (key === 'general.alignment' && type === 4) alignment = v.getUint32(0, true);
      }
    }
    if (alignment === 0 || (alignment & (alignment - 1)) !== 0)
      throw new GgufError(`alignment ${String(alignment)} is not a power of two`, cur.pos);
    const offsets: number[] = [];
    for (let i = 0; i < tensors; i++) {
      cur.str(false);
      const dims = cur.u32();
      if (dims > 8) throw new GgufError(`tensor ${String(i)} has ${String(dims)} dimensions`, cur.pos);
      for (let d = 0; d < dims; d++) cur.u64();
      cur.u32();
      const off = cur.u64();
      if (off % alignment !== 0)
        throw new GgufError(`tensor ${String(i)} offset ${String(off)} is not aligned`, cur.pos);
      offsets.push(off);
    }
    const dataStart = Math.ceil(cur.pos / alignment) * alignment;
    for (const off of offsets) {
      if (dataStart + off > node.src.size)
        throw new GgufError(`tensor data offset ${hex(off)} lies past the end of the file`, cur.pos);
    }
  } catch (error) {
    const at = error instanceof GgufError ? error.offset : 0;
    c.add(
      'AG-MODEL-GGUF-HEADER',
      'medium',
      'Invalid GGUF header',
      error instanceof Error ? error.message : String(error),
      { ...where, offset: at },
    );
    c.inconclusive = true;
  }
  return 'gguf';
}
