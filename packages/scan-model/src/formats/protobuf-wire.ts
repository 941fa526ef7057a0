import type { ByteSource } from '../source/byte-source.js';

// A bounded protobuf wire-format walker shared by the ONNX and TensorFlow readers: no generated code, no schema
// library, no recursion of its own. Callers decide which fields to descend into; every field counts against one
// budget per file so a message of millions of tiny fields ends as an error, not a hang.

export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface Field {
  readonly no: number;
  readonly wire: number;
  /** Value for varints; start of the payload for length-delimited fields. */
  readonly value: number;
  readonly length: number;
  /** Offset of the field's key. */
  readonly at: number;
}

export class Wire {
  fields = 0;
  constructor(
    readonly src: ByteSource,
    private readonly maxFields = 5_000_000,
  ) {}

  private varint(pos: number, end: number): [number, number] {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new WireError('varint runs past its message', pos);
      const b = this.src.read(pos, 1)[0] ?? 0;
      pos++;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return [result, pos];
      mul *= 128;
    }
    throw new WireError('varint longer than 10 bytes', pos);
  }

  *fieldsOf(start: number, end: number): Generator<Field> {
    let pos = start;
    while (pos < end) {
      if (++this.fields > this.maxFields) throw new WireError('field limit reached', pos);
      const at = pos;
      const [key, p1] = this.varint(pos, end);
      const no = Math.floor(key / 8);
      const wire = key % 8;
      if (no === 0) throw new WireError('field number 0', pos);
      if (wire === 0) {
        const [v, p2] = this.varint(p1, end);
        yield { no, wire, value: v, length: 0, at };
        pos = p2;
      } else if (wire === 2) {
        const [len, p2] = this.varint(p1, end);
        if (p2 + len > end) throw new WireError(`field ${String(no)} runs past its message`, p1);
        yield { no, wire, value: p2, length: len, at };
        pos = p2 + len;
      } else if (wire === 1) pos = p1 + 8;
      else if (wire === 5) pos = p1 + 4;
      else throw new WireError(`unsupported wire type ${String(wire)}`, pos);
      if (pos > end) throw new WireError('field runs past its message', pos);
    }
  }

  /** The field's bytes as UTF-8, cut at `max` bytes. */
  text(f: Field, max = 4096): string {
    return Buffer.from(this.src.read(f.value, Math.min(f.length, max))).toString('utf8');
  }

  /** Fields of a length-delimited field's payload. */
  inner(f: Field): Generator<Field> {
    return this.fieldsOf(f.value, f.value + f.length);
  }
}
