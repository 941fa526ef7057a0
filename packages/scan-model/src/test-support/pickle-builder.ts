// Test helper: assembles pickle opcodes byte by byte (never produced by Python, never loaded).

export class PickleBuilder {
  private readonly parts: number[] = [];

  private u32(n: number): this {
    this.parts.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
    return this;
  }

  raw(bytes: ArrayLike<number> | string): this {
    if (typeof bytes === 'string') for (const b of Buffer.from(bytes, 'latin1')) this.parts.push(b);
    else for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i] ?? 0);
    return this;
  }
  op(code: number): this {
    this.parts.push(code);
    return this;
  }
  proto(n: number): this {
    return this.op(0x80).op(n);
  }
  frame(size: number): this {
    this.op(0x95).u32(size);
    return this.u32(0);
  }
  /** GLOBAL: protocol-0 text form `c<module>\n<name>\n`. */
  global(module: string, name: string): this {
    return this.raw(`c${module}\n${name}\n`);
  }
  inst(module: string, name: string): this {
    return this.raw(`i${module}\n${name}\n`);
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    if (b.length < 256) return this.op(0x8c).op(b.length).raw(b);
    return this.op(0x58).u32(b.length).raw(b);
  }
  /** Protocol-0 UNICODE line. */
  unicode0(s: string): this {
    return this.raw(`V${s}\n`);
  }
  bytes(b: ArrayLike<number>): this {
    if (b.length < 256) return this.op(0x43).op(b.length).raw(b);
    return this.op(0x42).u32(b.length).raw(b);
  }
  stackGlobal(module: string, name: string): this {
    return this.str(module).str(name).op(0x93);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b).op(n);
    return this.op(0x4a).u32(n);
  }
  mark(): this {
    return this.op(0x28);
  }
  tuple(): this {
    return this.op(0x74);
  }
  tuple1(): this {
    return this.op(0x85);
  }
  tuple2(): this {
    return this.op(0x86);
  }
  tuple3(): this {
    return this.op(0x87);
  }
  emptyTuple(): this {
    return this.op(0x29);
  }
  emptyDict(): this {
    return this.op(0x7d);
  }
  emptyList(): this {
    return this.op(0x5d);
  }
  reduce(): this {
    return this.op(0x52);
  }
  build(): this {
    return this.op(0x62);
  }
  setitem(): this {
    return this.op(0x73);
  }
  setitems(): this {
    return this.op(0x75);
  }
  appends(): this {
    return this.op(0x65);
  }
  append(): this {
    return this.op(0x61);
  }
  memoize(): this {
    return this.op(0x94);
  }
  binput(i: number): this {
    return this.op(0x71).op(i);
  }
  binget(i: number): this {
    return this.op(0x68).op(i);
  }
  pop(): this {
    return this.op(0x30);
  }
  none(): this {
    return this.op(0x4e);
  }
  newTrue(): this {
    return this.op(0x88);
  }
  newFalse(): this {
    return this.op(0x89);
  }
  stop(): this {
    return this.op(0x2e);
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const P = (): PickleBuilder => new PickleBuilder();

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `os.system(cmd)` via the protocol-0 text opcodes. */
export function osSystemP0(cmd = 'echo pwned'): Uint8Array {
  return P().global('os', 'system').raw(`(V${cmd}\ntR.`).done();
}

/** `module.name(arg)` via STACK_GLOBAL (protocol 4). */
export function callP4(module: string, name: string, arg = 'id'): Uint8Array {
  return P().proto(4).stackGlobal(module, name).str(arg).tuple1().reduce().stop().done();
}

/** A benign protocol-2 state_dict-like OrderedDict with one tensor reference (PyTorch layout). */
export function torchDataPkl(keys: readonly string[] = ['0'], numel = 4): Uint8Array {
  const b = P().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().binput(0).mark();
  for (const [i, key] of keys.entries()) {
    b.str(`layer${String(i)}.weight`);
    b.global('torch._utils', '_rebuild_tensor_v2');
    b.mark()
      .mark()
      .str('storage')
      .global('torch', 'FloatStorage')
      .str(key)
      .str('cpu')
      .int(numel)
      .tuple()
      .op(0x51);
    b.int(0)
      .int(numel)
      .tuple1()
      .int(1)
      .tuple1()
      .newFalse()
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce();
  }
  return b.setitems().stop().done();
}
