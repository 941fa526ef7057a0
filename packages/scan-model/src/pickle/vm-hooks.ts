import { BufferSource } from '../source/byte-source.js';
import { PickleStop, type Reader } from './reader.js';
import { constBytes, PackedStr, pseudo, type Val } from './values.js';
import type { FileState } from './vm.js';
import { runStream } from './vm.js';
import type { VmContext, VmFinding } from './vm-types.js';
import { scanPickleStreams } from './scan-streams.js';

type Report = (f: VmFinding, key?: string) => VmFinding;

/** Callables that deserialise their argument: a constant handed to them is a second payload. */
const LOADERS = new Set([
  'pickle.loads',
  'pickle.load',
  '_pickle.loads',
  '_pickle.load',
  'dill.loads',
  'cloudpickle.loads',
  'torch.load',
  'torch.storage._load_from_bytes',
  'numpy.loads',
  'joblib.load',
  'pandas.read_pickle',
  'pickle._loads',
]);

/** Decoders whose output may feed a loader: `pickle.loads(base64.b64decode('gAS...'))`. */
const DECODERS: Record<string, (input: Uint8Array) => Uint8Array | undefined> = {
  'base64.b64decode': fromBase64,
  'base64.decodebytes': fromBase64,
  'base64.standard_b64decode': fromBase64,
  'binascii.a2b_base64': fromBase64,
  'binascii.unhexlify': fromHex,
  'binascii.a2b_hex': fromHex,
  'builtins.bytes.fromhex': fromHex,
  'codecs.decode': fromBase64,
  'zlib.decompress': () => undefined,
};

const MAX_EMBEDDED = 16 * 1024 * 1024;

function fromBase64(input: Uint8Array): Uint8Array | undefined {
  const text = Buffer.from(input).toString('latin1').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length < 8) return undefined;
  return Buffer.from(text, 'base64');
}

function fromHex(input: Uint8Array): Uint8Array | undefined {
  const text = Buffer.from(input).toString('latin1').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** The bytes a value will hold at load time when it is a constant or a decoder applied to one. */
function payloadBytes(val: Val | undefined): Uint8Array | undefined {
  if (val === undefined) return undefined;
  const direct = constBytes(val);
  if (direct) return direct;
  if (val.t === 'call' && val.fn.t === 'global' && val.args.t === 'tuple') {
    const decode = DECODERS[val.fn.full];
    const inner = payloadBytes(val.args.items[0]);
    if (decode && inner) return decode(inner);
  }
  return undefined;
}

/** Checks made when anything is called (REDUCE, NEWOBJ, OBJ, INST). */
export function inspectCall(v: Val & { t: 'call' }, ctx: VmContext, file: FileState, report: Report): void {
  const fn = v.fn;
  const args = v.args.t === 'tuple' ? v.args.items : [];
  if (fn.t !== 'global') {
    if (fn.t === 'ext') return;
    report({
      rule: 'AG-MODEL-PICKLE-COMPUTED-CALL',
      severity: 'high',
      title: 'Pickle calls a value computed at load time',
      message:
        'the callable is itself the result of a call or lookup: a gadget chain no model pickler writes',
      offset: v.off,
      evidence: pseudo(v),
    });
    return;
  }
  if (fn.allowed && fn.kind === 'constant') {
    report({
      rule: 'AG-MODEL-PICKLE-CONSTANT-CALLED',
      severity: 'high',
      title: 'Pickle calls an allowed constant',
      message: `${fn.full} is allowed as a value only; calling it is not a shape any framework writes`,
      offset: v.off,
      evidence: pseudo(v),
    });
  }
  if (fn.full === 'copyreg._reconstructor') {
    const cls = args[0];
    if (cls?.t !== 'global' || !cls.allowed || cls.kind !== 'class') {
      report({
        rule: 'AG-MODEL-PICKLE-COMPUTED-CALL',
        severity: cls?.t === 'global' ? 'medium' : 'high',
        title: 'copyreg._reconstructor builds an instance of a class outside the allow-list',
        message: `rebuilds ${cls ? pseudo(cls) : '?'}: its __init__/__setstate__ may run code`,
        offset: v.off,
        evidence: pseudo(v),
      });
    }
  }
  if (fn.full === 'copyreg.add_extension') {
    const [m, n, c] = args;
    if (m?.t === 'str' && n?.t === 'str' && c?.t === 'int' && typeof c.v === 'number') {
      file.extensions.set(c.v, `${m.v}\0${n.v}`);
    }
  }
  if (LOADERS.has(fn.full)) {
    const arg = args[0];
    const holders = arg?.t === 'call' && arg.args.t === 'tuple' ? [arg, arg.args.items[0]] : [arg];
    for (const h of holders) {
      const latent = h ? file.latent?.get(h) : undefined;
      if (latent) latent.suppressed = true;
    }
    const bytes = payloadBytes(arg);
    if (bytes) scanEmbedded(bytes, v.off, true, ctx, file, report);
  }
}

/** First characters of the payload forms sniffConstant decodes: 'g' (base64 of \x80), '8' (hex), 'c' (GLOBAL). */
const PAYLOAD_FIRST = new Set([0x67, 0x38, 0x63]);

/** Looks at byte and string constants for pickles hidden as data (raw, base64, hex or protocol-0 text). */
export function sniffConstant(v: Val, off: number, ctx: VmContext, file: FileState, report: Report): void {
  if (ctx.depth >= ctx.limits.maxNesting) return;
  // A short packed str answers the length and first-character tests below without building its text.
  if (v instanceof PackedStr && (v.len < 8 || !PAYLOAD_FIRST.has(v.first))) return;
  const bytes = v.t === 'bytes' ? v.head : v.t === 'str' ? undefined : undefined;
  if (bytes) {
    if (bytes.length >= 4 && bytes[0] === 0x80 && (bytes[1] ?? 9) >= 2 && (bytes[1] ?? 9) <= 5) {
      remember(v, scanEmbedded(bytes, off, false, ctx, file, report), file);
      return;
    }
  }
  const text =
    v.t === 'str' ? v.v : v.t === 'bytes' ? Buffer.from(v.head.subarray(0, 8)).toString('latin1') : '';
  if (text.length < 8) return;
  // Every payload form below starts with 'g' (base64 of \x80), '8' (hex) or 'c' (protocol-0 GLOBAL).
  const first = text.charCodeAt(0);
  if (first !== 0x67 && first !== 0x38 && first !== 0x63) return;
  if (/^gA[SNJU]/.test(text)) {
    const full = v.t === 'str' ? Buffer.from(text, 'latin1') : v.t === 'bytes' ? v.head : undefined;
    const decoded = full ? fromBase64(full.subarray(0, MAX_EMBEDDED)) : undefined;
    if (decoded && decoded[0] === 0x80)
      remember(v, scanEmbedded(decoded, off, false, ctx, file, report), file);
  } else if (/^80 ?0[2-5]/.test(text)) {
    const full = v.t === 'str' ? Buffer.from(text, 'latin1') : v.t === 'bytes' ? v.head : undefined;
    const decoded = full ? fromHex(full.subarray(0, MAX_EMBEDDED)) : undefined;
    if (decoded) remember(v, scanEmbedded(decoded, off, false, ctx, file, report), file);
  } else if (v.t === 'str' && /^c[A-Za-z_][\w.]*\n[\w.]+\n/.test(text)) {
    remember(v, scanEmbedded(Buffer.from(text, 'latin1'), off, false, ctx, file, report), file);
  }
}

function remember(v: Val, f: VmFinding | undefined, file: FileState): void {
  if (f) file.latent?.set(v, f);
}

function scanEmbedded(
  bytes: Uint8Array,
  off: number,
  loaded: boolean,
  ctx: VmContext,
  file: FileState,
  report: Report,
): VmFinding | undefined {
  if (ctx.depth >= ctx.limits.maxNesting) {
    ctx.report({
      rule: 'AG-MODEL-INCONCLUSIVE',
      severity: 'low',
      title: 'Nesting limit reached',
      message: `a pickle nested ${String(ctx.depth)} levels deep holds another pickle; not scanned further`,
      offset: off,
    });
    return undefined;
  }
  const where = `${loaded ? 'loaded' : 'embedded'}@0x${off.toString(16)}`;
  const inner: VmFinding[] = [];
  const sub: VmContext = {
    ...ctx,
    depth: ctx.depth + 1,
    persistent: 'none',
    storages: [],
    report: (f) => inner.push(f),
  };
  const result = scanPickleStreams(new BufferSource(bytes), sub, {
    extensions: new Map(file.extensions),
    opcodes: 0,
  });
  const chain = (f: VmFinding): string => (f.member ? `${where}!${f.member}` : where);
  if (loaded) {
    for (const f of inner) report({ ...f, member: chain(f) });
    if (result.stop && result.stop.kind === 'limit') {
      report({
        rule: 'AG-MODEL-INCONCLUSIVE',
        severity: 'low',
        title: 'Nested pickle not fully scanned',
        message: result.stop.message,
        offset: off,
        member: where,
      });
    }
    return undefined;
  }
  const serious = inner.filter(
    (f) =>
      f.rule !== 'AG-MODEL-INCONCLUSIVE' &&
      (f.severity === 'critical' || f.severity === 'high' || f.severity === 'medium'),
  );
  if (serious.length > 0) {
    return report({
      rule: 'AG-MODEL-PICKLE-EMBEDDED-PAYLOAD',
      severity: 'medium',
      title: 'Pickle payload hidden in a data constant',
      message: `a byte/string constant holds a pickle that ${serious
        .map((f) => f.evidence ?? f.message)
        .slice(0, 3)
        .join('; ')}; it runs only if something later loads it`,
      offset: off,
      evidence: serious[0]?.evidence ?? serious[0]?.message ?? '',
      member: where,
    });
  }
  return undefined;
}

/**
 * After BUILD: joblib writes a NumpyArrayWrapper's array bytes right after the wrapper's BUILD, outside the
 * pickle opcodes (or, for object arrays, a second pickle). Consume them the way joblib.load does, so
 * opcodes hidden after an array cannot escape the scan. Returns true when bytes were consumed.
 */
export function afterBuild(
  inst: Val & { t: 'call' },
  state: Val,
  r: Reader,
  ctx: VmContext,
  file: FileState,
): boolean {
  if (inst.fn.t !== 'global' || inst.fn.full !== 'joblib.numpy_pickle.NumpyArrayWrapper') return false;
  if (state.t !== 'dict')
    throw new PickleStop(
      'limit',
      'joblib array wrapper without a state dict: cannot size the inline array',
      r.pos,
    );
  const get = (key: string): Val | undefined =>
    state.entries.find(([k]) => k.t === 'str' && k.v === key)?.[1];
  const shape = get('shape');
  const dtype = get('dtype');
  const align = get('numpy_array_alignment_bytes');
  const itemsize = dtypeItemsize(dtype);
  if (itemsize === 'object') {
    const start = r.pos;
    const res = runStream(r.src, start, r.end, ctx, file);
    // The nested run read the same source: a file source may have moved the window `r`'s buffer views.
    r.invalidate();
    if (res.stop) throw res.stop;
    r.pos = res.end;
    return true;
  }
  if (shape?.t !== 'tuple' || shape.count !== shape.items.length || itemsize === undefined) {
    throw new PickleStop(
      'limit',
      'joblib inline array with an unreadable shape or dtype: cannot find where the pickle resumes',
      r.pos,
    );
  }
  let count = 1;
  for (const dim of shape.items) {
    if (dim.t !== 'int' || typeof dim.v !== 'number' || dim.v < 0)
      throw new PickleStop('limit', 'joblib inline array with a non-integer shape', r.pos);
    count *= dim.v;
  }
  if (align?.t === 'int') {
    const pad = r.u8();
    if (pad > 0) r.skipKeeping(pad, 0);
  }
  const bytes = count * itemsize;
  if (!Number.isSafeInteger(bytes) || bytes > r.remaining) {
    throw new PickleStop('eof', 'joblib inline array runs past the end of the file', r.pos);
  }
  r.skipKeeping(bytes, 0);
  return true;
}

/** Item size of a `numpy.dtype('f8', False, True)` call, or 'object' for object dtypes. */
function dtypeItemsize(dtype: Val | undefined): number | 'object' | undefined {
  if (dtype?.t !== 'call' || dtype.args.t !== 'tuple') return undefined;
  const code = dtype.args.items[0];
  if (code?.t !== 'str') return undefined;
  const built = dtype.built;
  if (built?.t === 'tuple') {
    const flags = built.items[7];
    if (flags?.t === 'int' && typeof flags.v === 'number' && (flags.v & 1) === 1) return 'object';
  }
  const m = /^[<>|=]?([a-zA-Z])(\d*)/.exec(code.v);
  if (!m) return undefined;
  if (m[1] === 'O') return 'object';
  const n = Number(m[2] ?? '');
  if (m[2] !== '' && Number.isFinite(n)) {
    if (built?.t === 'tuple') {
      const elsize = built.items[5];
      if (elsize?.t === 'int' && typeof elsize.v === 'number' && elsize.v > 0) return elsize.v;
    }
    return n;
  }
  return m[1] === 'b' || m[1] === '?' ? 1 : undefined;
}
