// Test helper: safetensors, GGUF, NPY and tar files written byte by byte.

export function safetensors(
  tensors: Record<string, { dtype: string; shape: number[]; offsets: [number, number] }>,
  dataSize: number,
  rawHeader?: string,
): Uint8Array {
  const header =
    rawHeader ??
    JSON.stringify(
      Object.fromEntries(
        Object.entries(tensors).map(([k, v]) => [
          k,
          { dtype: v.dtype, shape: v.shape, data_offsets: v.offsets },
        ]),
      ),
    );
  const h = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(8 + h.length + dataSize);
  out.writeBigUInt64LE(BigInt(h.length), 0);
  h.copy(out, 8);
  return Uint8Array.from(out);
}

export function gguf(
  kv: Record<string, string | number>,
  tensors: Array<{ name: string; dims: number[]; offset: number }> = [],
  dataSize = 64,
): Uint8Array {
  const parts: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const str = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([u64(b.length), b]);
  };
  parts.push(Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(Object.keys(kv).length));
  for (const [k, v] of Object.entries(kv)) {
    parts.push(str(k));
    if (typeof v === 'string') parts.push(u32(8), str(v));
    else parts.push(u32(4), u32(v));
  }
  for (const t of tensors) {
    parts.push(str(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(0), u64(t.offset));
  }
  let head = Buffer.concat(parts);
  const pad = (32 - (head.length % 32)) % 32;
  head = Buffer.concat([head, Buffer.alloc(pad), Buffer.alloc(dataSize)]);
  return Uint8Array.from(head);
}

export function npy(descr: string, shape: number[], data: Uint8Array): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length, 8);
  return Uint8Array.from(Buffer.concat([head, Buffer.from(dict, 'latin1'), data]));
}

/** A ustar archive; `type` '0' file, '2' symlink (data = target). */
export function tar(entries: Array<{ name: string; data: Uint8Array; type?: string }>): Uint8Array {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    const type = e.type ?? '0';
    const size = type === '2' ? 0 : e.data.length;
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write(type, 156);
    if (type === '2') h.write(Buffer.from(e.data).toString('utf8'), 157, 100);
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h);
    if (type !== '2') {
      blocks.push(Buffer.from(e.data));
      blocks.push(Buffer.alloc((512 - (e.data.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Uint8Array.from(Buffer.concat(blocks));
}

/** Protobuf wire-format helpers for ONNX test models. */
export const pb = {
  varint(n: number): number[] {
    const out: number[] = [];
    let v = n;
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      out.push(b);
    } while (v > 0);
    return out;
  },
  uint(no: number, v: number): number[] {
    return [...pb.varint(no * 8), ...pb.varint(v)];
  },
  msg(no: number, payload: ArrayLike<number>): number[] {
    return [...pb.varint(no * 8 + 2), ...pb.varint(payload.length), ...Array.from(payload)];
  },
  str(no: number, s: string): number[] {
    return pb.msg(no, Buffer.from(s, 'utf8'));
  },
};

/** An ONNX ModelProto with one node, one initializer stored as external data, and the given opset domain. */
export function onnxModel(location: string, domain = '', subgraphLocation?: string): Uint8Array {
  const external = (loc: string): number[] =>
    pb.msg(5, [
      ...pb.str(8, 'w'),
      ...pb.uint(2, 1),
      ...pb.msg(13, [...pb.str(1, 'location'), ...pb.str(2, loc)]),
      ...pb.uint(14, 1),
    ]);
  const sub =
    subgraphLocation === undefined
      ? []
      : pb.msg(5, [...pb.str(1, 'then_branch'), ...pb.msg(6, [...external(subgraphLocation)])]);
  const node = pb.msg(1, [
    ...pb.str(1, 'x'),
    ...pb.str(2, 'y'),
    ...pb.str(4, domain === '' ? 'If' : 'Evil'),
    ...pb.str(7, domain),
    ...sub,
  ]);
  const graph = pb.msg(7, [...node, ...pb.str(2, 'g'), ...external(location)]);
  const opset = pb.msg(8, [...pb.str(1, domain), ...pb.uint(2, 17)]);
  return Uint8Array.from([...pb.uint(1, 8), ...pb.str(2, 'test'), ...graph, ...opset]);
}
