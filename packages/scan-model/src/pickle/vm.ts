import type { ByteSource } from '../source/byte-source.js';
import { PY2_MODULES, PY2_NAMES } from './py2-names.js';
import { PickleStop, Reader } from './reader.js';
import { fetchedIndices, IndexSet } from './memo-prepass.js';
import { HeapBudget, heapStart } from './heap-guard.js';
import {
  decodeLatin1,
  decodeRawUnicodeEscape,
  decodeStringLiteral,
  decodeUtf8,
  decodeUtf8Lenient,
  parsePyFloat,
  parsePyInt,
} from './decode-text.js';
import { FALSE, FLOAT, KEEP_ITEMS, NONE, TRUE, pseudo, type Val } from './values.js';
import type { VmContext, VmFinding } from './vm-types.js';
import { afterBuild, inspectCall, sniffConstant } from './vm-hooks.js';

/** Outcome of one pickle stream (from its first opcode to STOP or to the point it breaks). */
export interface StreamResult {
  readonly start: number;
  readonly end: number;
  /** The value STOP returned. */
  readonly value: Val | undefined;
  /** Set when the stream did not reach STOP. */
  readonly stop: PickleStop | undefined;
  /** True once anything with a side effect ran: an import, a call, a persistent or extension lookup. */
  readonly effects: boolean;
  readonly opcodes: number;
}

/** Mutable state shared by all streams of one file (the extension registry survives between streams). */
export interface FileState {
  readonly extensions: Map<number, string>;
  opcodes: number;
  /** Latent-payload findings by the constant that holds the payload. */
  readonly latent?: WeakMap<object, VmFinding>;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DOTTED = /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

function intVal(v: bigint): Val {
  return { t: 'int', v: v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v };
}

/** Runs one pickle stream symbolically, exactly following CPython's opcode semantics. Never throws. */
export function runStream(
  src: ByteSource,
  start: number,
  end: number,
  ctx: VmContext,
  file: FileState,
): StreamResult {
  // A first run may drop memo values that are never fetched (see Memo.prune). Its findings are held back:
  // if it turns out to need a value it dropped, the stream runs again from its start with the whole memo.
  const extensions = new Map(file.extensions);
  const opcodes = file.opcodes;
  const storages = ctx.storages.length;
  const held: VmFinding[] = [];
  // The heap budget counts from where the outermost stream started (nested streams share it).
  if (heapRuns++ === 0 || heapNow === undefined)
    heapNow = new HeapBudget(heapStart(), ctx.limits.maxHeapBytes);
  try {
    const first = runOnce(src, start, end, { ...ctx, report: (f) => held.push(f) }, file, true);
    if (first !== undefined) {
      for (const f of held) ctx.report(f);
      return first;
    }
    file.extensions.clear();
    for (const [code, name] of extensions) file.extensions.set(code, name);
    file.opcodes = opcodes;
    ctx.storages.length = storages;
    return runOnce(src, start, end, ctx, file, false) ?? failedRerun(start);
  } finally {
    heapRuns--;
  }
}

let heapRuns = 0;
let heapNow: HeapBudget | undefined;

function failedRerun(start: number): StreamResult {
  // Unreachable: a run with the whole memo never asks for a rerun.
  const stop = new PickleStop('limit', 'memo read-ahead failed', start);
  return { start, end: start, value: undefined, stop, effects: false, opcodes: 0 };
}

/** Thrown when a run that dropped memo values fetches one of them. */
class MemoRerun extends Error {}

/** One run of a stream; undefined when `prunable` dropped a memo value that was fetched after all. */
function runOnce(
  src: ByteSource,
  start: number,
  end: number,
  ctx: VmContext,
  file: FileState,
  prunable: boolean,
): StreamResult | undefined {
  const r = new Reader(src, start, end);
  const stack: Val[] = [];
  const marks: number[] = [];
  const memo = new Memo();
  let pruneChecked = !prunable;
  // Heap checks ride on the opcode-count check (every 16,384 opcodes), spaced out after a collection.
  const heap = heapNow ?? new HeapBudget(heapStart(), ctx.limits.maxHeapBytes);
  let heapWait = 1;
  // Large operands (up to maxString each) grow the heap faster than opcodes do: they trigger a check too.
  let bigBytes = 0;
  const heapCheck = (): void => {
    const reading = heap.check();
    if (reading === 'over') {
      throw new PickleStop(
        'limit',
        `memory budget exhausted: the values this pickle keeps (stack and memo, as the loader would hold them) exceed ${String(Math.round(heap.allowed / 1048576))} MB`,
        opStart,
      );
    }
    // Under the limit only after a full collection: skip one check (no collection every 16,384 opcodes).
    heapWait = reading === 'collected' ? 2 : 1;
  };
  const grew = (len: number): void => {
    if (len < BIG_OPERAND) return;
    bigBytes += len;
    if (bigBytes >= BIG_OPERAND * 16) {
      bigBytes = 0;
      heapCheck();
    }
  };
  // Integers repeat (shapes, strides, counters, neighbouring values i, i + 1): one shared value object per
  // int in a direct-mapped cache per stream, made on first use (INT_SLOTS keys in a typed array, 0 = empty:
  // 0 never comes here). Every int from 256 up, and every negative one, takes the same path: a path first
  // taken deep into a file (the old dense cache ended at 65,536) made V8 drop the VM's optimised code there.
  let intKeys: Int32Array | undefined;
  let intVals: Val[] = [];
  /** The int value of a 32-bit operand (BININT1, BININT2, BININT). */
  const intOf = (v: number): Val => {
    if (v >= 0 && v < 256) return SMALL_INTS[v] ?? NONE;
    if (intKeys === undefined) {
      intKeys = new Int32Array(INT_SLOTS);
      intVals = new Array<Val>(INT_SLOTS).fill(NONE);
    }
    const slot = v & (INT_SLOTS - 1);
    if (intKeys[slot] === v) return intVals[slot] ?? NONE;
    const made: Val = { t: 'int', v };
    intKeys[slot] = v;
    intVals[slot] = made;
    return made;
  };
  let fence = 0;
  let proto = 0;
  let effects = false;
  let opcodes = 0;
  let frameEnd = -1;
  let op: number;
  let opStart = start;
  const seen = new Map<string, VmFinding>();
  const findingOf = new WeakMap<Val, VmFinding>();
  const { limits } = ctx;

  const report = (f: VmFinding, key?: string): VmFinding => {
    if (key !== undefined) {
      const prior = seen.get(key);
      if (prior) return prior;
      seen.set(key, f);
    }
    ctx.report(f);
    return f;
  };
  const invalid = (message: string, at = opStart): PickleStop => new PickleStop('invalid', message, at);
  const underflow = (): PickleStop => invalid('unpickling stack underflow');
  const pop = (): Val => {
    if (stack.length <= fence) throw underflow();
    return stack.pop() ?? NONE;
  };
  const top = (): Val => {
    if (stack.length <= fence) throw underflow();
    return stack[stack.length - 1] ?? NONE;
  };
  const push = (v: Val): void => {
    if (stack.length >= limits.maxStack) throw new PickleStop('limit', 'stack depth limit reached', opStart);
    stack.push(v);
  };
  /** Cuts the stack back to `k` items: pops for a few (setting length is a runtime call), length for many. */
  const cut = (k: number): void => {
    if (stack.length - k > 16) stack.length = k;
    else while (stack.length > k) stack.pop();
  };
  const popMark = (): Val[] => {
    const k = marks.pop();
    if (k === undefined) throw invalid('could not find MARK');
    fence = marks.length > 0 ? (marks[marks.length - 1] ?? 0) : 0;
    // A copy loop and a length cut: splice is a generic builtin, slow on the short runs tuples take.
    const n = Math.max(0, stack.length - k);
    const items = new Array<Val>(n);
    for (let i = 0; i < n; i++) items[i] = stack[k + i] ?? NONE;
    cut(k);
    return items;
  };
  /** Like popMark for items nobody keeps: the stack is cut back without copying them out. */
  const dropMark = (): void => {
    const k = marks.pop();
    if (k === undefined) throw invalid('could not find MARK');
    fence = marks.length > 0 ? (marks[marks.length - 1] ?? 0) : 0;
    cut(k);
  };
  // Callers pass arrays of their own (spliced off the stack): short ones are kept as they are, not copied.
  const items = (list: Val[]): Val[] => (list.length <= KEEP_ITEMS ? list : list.slice(0, KEEP_ITEMS));
  /**
   * Appends within KEEP_ITEMS with an exactly sized array (push would over-allocate on every memoised list).
   * `added` is a fresh array the caller gives up: an empty list takes it as it is.
   */
  const appendItems = (list: { items: Val[] }, added: Val[]): void => {
    const room = KEEP_ITEMS - list.items.length;
    if (room <= 0 || added.length === 0) return;
    list.items =
      list.items.length === 0 && added.length <= room
        ? added
        : list.items.concat(added.length <= room ? added : added.slice(0, room));
  };
  const memoPut = (idx: number): void => {
    if (memo.size >= limits.maxMemo && !memo.has(idx))
      throw new PickleStop('limit', 'memo size limit reached', opStart);
    memo.set(idx, top());
    if (!pruneChecked && memo.size >= PRUNE_AFTER) {
      // A large memo: read the rest of the stream ahead once, and keep only what it will fetch.
      pruneChecked = true;
      const wanted = fetchedIndices(src, r.pos, end, limits.maxLine, ctx.deadline);
      r.invalidate();
      if (wanted) memo.prune(wanted);
    }
  };
  const memoGet = (idx: number): Val => {
    const v = memo.get(idx);
    if (v === undefined) throw invalid(`memo value not found at index ${String(idx)}`);
    if (v === DROPPED) throw new MemoRerun();
    return v;
  };
  const u32 = (b: Uint8Array): number =>
    ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16)) + (b[3] ?? 0) * 0x1000000;
  const i32 = (b: Uint8Array): number =>
    (b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24);
  const u64 = (b: Uint8Array): number => u32(b) + u32(b.subarray(4)) * 0x100000000;
  const textLine = (): Uint8Array => r.line(limits.maxLine);

  /** A str operand: UTF-8 with invalid bytes as U+FFFD (BINUNICODE*), or Latin-1 (py2 BINSTRING). */
  const strVal = (len: number, encoding: 'utf8' | 'latin1'): Val => {
    if (len > r.remaining) throw new PickleStop('eof', 'pickle data was truncated', r.end);
    const off = r.pos;
    let v: Val;
    if (len <= limits.maxString) {
      v = r.packedText(len, encoding) ?? { t: 'str', v: r.text(len, encoding), len };
      grew(len);
    } else {
      const head = r.skipKeeping(len, 4096);
      v = { t: 'str', v: encoding === 'utf8' ? decodeUtf8Lenient(head) : decodeLatin1(head), len };
    }
    sniffConstant(v, off, ctx, file, report);
    return v;
  };
  const bytesVal = (len: number): Val => {
    if (len > r.remaining) throw new PickleStop('eof', 'pickle data was truncated', r.end);
    const off = r.pos;
    const v: Val = { t: 'bytes', head: r.skipKeeping(len, Math.min(len, limits.maxString)), len, off };
    grew(Math.min(len, limits.maxString));
    sniffConstant(v, off, ctx, file, report);
    return v;
  };

  const findClass = (moduleRaw: string, nameRaw: string): Val => {
    // CPython's import fails, before any module code runs, on names that are not identifiers.
    if (!DOTTED.test(moduleRaw) || !DOTTED.test(nameRaw)) {
      throw invalid(`no module or attribute named ${JSON.stringify(`${moduleRaw}.${nameRaw}`.slice(0, 80))}`);
    }
    effects = true;
    let module = moduleRaw;
    let name = nameRaw;
    if (proto < 3) {
      const mapped = PY2_NAMES.get(`${module}\0${name}`);
      if (mapped) [module, name] = mapped;
      else module = PY2_MODULES.get(module) ?? module;
    }
    const verdict = ctx.policy.classify(module, name);
    const val: Val = {
      t: 'global',
      full: verdict.full,
      allowed: verdict.allow !== undefined,
      kind: verdict.allow?.kind,
      off: opStart,
    };
    if (!verdict.allow) {
      const renamed =
        moduleRaw !== module || nameRaw !== name
          ? ` (written as ${moduleRaw}.${nameRaw}, renamed by the protocol-${String(proto)} loader)`
          : '';
      const denied = verdict.severity === 'critical' || verdict.severity === 'high';
      const f = report(
        {
          rule: denied ? 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL' : 'AG-MODEL-PICKLE-UNLISTED-GLOBAL',
          severity: verdict.severity,
          title: denied
            ? 'Pickle imports a dangerous global'
            : 'Pickle imports a global outside the allow-list',
          message: `imports ${verdict.full}${renamed}: ${verdict.reason}`,
          offset: opStart,
          evidence: `import ${verdict.full}`,
          refs: verdict.refs,
        },
        `g:${verdict.full}`,
      );
      findingOf.set(val, f);
    }
    return val;
  };

  const call = (fn: Val, args: Val, kind: 'reduce' | 'newobj' | 'obj' | 'inst'): Val => {
    effects = true;
    const v: Val = { t: 'call', fn, args, kind, off: opStart };
    const f = findingOf.get(fn);
    if (f) {
      f.evidence = `${pseudo(v)}  # offset 0x${opStart.toString(16)}`;
      findingOf.set(v, f);
    }
    inspectCall(v, ctx, file, report);
    return v;
  };

  const mutate = (target: Val, what: string, state: Val): void => {
    if (target.t === 'global') {
      report({
        rule: 'AG-MODEL-PICKLE-GLOBAL-MUTATION',
        severity: 'critical',
        title: 'Pickle mutates a module, class or function',
        message: `${what} on ${target.full} changes global interpreter state (gadgets swap attributes this way)`,
        offset: opStart,
        evidence: `${target.full}.__dict__.update(${pseudo(state)})`,
      });
    }
  };

  const persistent = (pid: Val): Val => {
    effects = true;
    if (ctx.persistent === 'torch') {
      if (pid.t === 'tuple' && pid.items[0]?.t === 'str' && pid.items[0].v === 'storage') {
        const type = pid.items[1];
        const key = pid.items[2];
        const numel = pid.items[4];
        ctx.storages.push({
          key: key?.t === 'str' ? key.v : '?',
          type: type?.t === 'global' ? type.full : '?',
          numel: numel?.t === 'int' && typeof numel.v === 'number' ? numel.v : undefined,
          offset: opStart,
        });
      } else {
        report({
          rule: 'AG-MODEL-PICKLE-PERSISTENT-ID',
          severity: 'medium',
          title: 'Unexpected persistent id in a PyTorch pickle',
          message:
            'PyTorch persistent ids are ("storage", type, key, location, numel) tuples; this one is not',
          offset: opStart,
          evidence: `persistent_load(${pseudo(pid)})`,
        });
      }
    } else {
      report(
        {
          rule: 'AG-MODEL-PICKLE-PERSISTENT-ID',
          severity: 'medium',
          title: 'Persistent id outside a container that defines persistent_load',
          message:
            'the stream hands an id to persistent_load, which a custom unpickler may resolve to anything',
          offset: opStart,
          evidence: `persistent_load(${pseudo(pid)})`,
        },
        'persid',
      );
    }
    return { t: 'persid', pid };
  };

  /**
   * The opcodes that are rare in large pickles (text opcodes, imports, calls other than REDUCE, long ints,
   * sets, PROTO, invalid bytes), in a function of their own: the main loop's function stays about half the
   * size, so V8 optimises it sooner and recompiles it faster, and a case first seen late deoptimises this
   * function, not the loop.
   */
  const rareOp = (op: number): void => {
    switch (op) {
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x46: {
        // FLOAT
        const text = decodeLatin1(textLine());
        if (!parsePyFloat(text)) throw invalid('could not convert string to float');
        push(FLOAT);
        break;
      }
      case 0x49: {
        // INT
        const text = decodeLatin1(textLine());
        if (text === '00') push(FALSE);
        else if (text === '01') push(TRUE);
        else {
          const v = parsePyInt(text);
          if (v === undefined) throw invalid('invalid literal for int()');
          push(intVal(v));
        }
        break;
      }
      case 0x4c: {
        // LONG
        const v = parsePyInt(decodeLatin1(textLine()));
        if (v === undefined) throw invalid('invalid literal for int()');
        push(intVal(v));
        break;
      }
      case 0x50: {
        // PERSID
        const line = textLine();
        if (line.some((b) => b > 0x7f)) throw invalid('persistent IDs in protocol 0 must be ASCII strings');
        push(persistent({ t: 'str', v: decodeLatin1(line), len: line.length }));
        break;
      }
      case 0x51: // BINPERSID
        push(persistent(pop()));
        break;
      case 0x53: {
        // STRING
        const off = r.pos;
        const text = decodeStringLiteral(textLine());
        if (text === undefined) throw invalid('the STRING opcode argument must be quoted');
        const v: Val = { t: 'str', v: text, len: text.length };
        sniffConstant(v, off, ctx, file, report);
        push(v);
        break;
      }
      case 0x54: {
        // BINSTRING
        const n = i32(r.bytes(4));
        if (n < 0) throw invalid('BINSTRING pickle has negative byte count');
        push(strVal(n, 'latin1'));
        break;
      }
      case 0x56: {
        // UNICODE
        const off = r.pos;
        const text = decodeRawUnicodeEscape(textLine());
        const v: Val = { t: 'str', v: text, len: text.length };
        sniffConstant(v, off, ctx, file, report);
        push(v);
        break;
      }
      case 0x63: {
        // GLOBAL
        const mod = decodeUtf8(textLine());
        const name = decodeUtf8(textLine());
        if (mod === undefined || name === undefined)
          throw invalid("'utf-8' codec can't decode GLOBAL operand");
        push(findClass(mod, name));
        break;
      }
      case 0x64: {
        // DICT
        const all = popMark();
        if (all.length % 2 !== 0) throw invalid('odd number of items for DICT');
        const entries = noEntries();
        for (let i = 0; i + 1 < all.length && entries.length < KEEP_ITEMS; i += 2)
          entries.push([all[i] ?? NONE, all[i + 1] ?? NONE]);
        push({ t: 'dict', entries, count: all.length / 2 });
        break;
      }
      case 0x67: {
        // GET
        const idx = parsePyInt(decodeLatin1(textLine()));
        if (idx === undefined) throw invalid('invalid GET argument');
        push(memoGet(Number(idx)));
        break;
      }
      case 0x69: {
        // INST
        const mod = decodeUtf8(textLine());
        const name = decodeUtf8(textLine());
        if (mod === undefined || name === undefined) throw invalid("'utf-8' codec can't decode INST operand");
        const cls = findClass(mod, name);
        const args = popMark();
        push(call(cls, { t: 'tuple', items: items(args), count: args.length }, 'inst'));
        break;
      }
      case 0x6c: {
        // LIST
        const all = popMark();
        push({ t: 'list', items: items(all), count: all.length });
        break;
      }
      case 0x6f: {
        // OBJ
        const all = popMark();
        const cls = all[0];
        if (cls === undefined) throw underflow();
        const rest = all.slice(1);
        push(call(cls, { t: 'tuple', items: items(rest), count: rest.length }, 'obj'));
        break;
      }
      case 0x70: {
        // PUT
        const idx = parsePyInt(decodeLatin1(textLine()));
        if (idx === undefined) throw invalid('invalid PUT argument');
        if (idx < 0n) throw invalid('negative PUT argument');
        memoPut(Number(idx));
        break;
      }
      case 0x80: {
        // PROTO
        const p = r.u8();
        if (p > 5) throw invalid(`unsupported pickle protocol: ${String(p)}`);
        if (opStart !== start) {
          report(
            {
              rule: 'AG-MODEL-PICKLE-MISPLACED-PROTO',
              severity: 'low',
              title: 'PROTO opcode inside a stream',
              message: `protocol switched to ${String(p)} mid-stream; no pickler writes this, it changes how later names resolve`,
              offset: opStart,
            },
            'proto',
          );
        }
        proto = p;
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        push(call(cls, args, 'newobj'));
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: {
        // EXT4
        let code: number;
        if (op === 0x82) code = r.u8();
        else if (op === 0x83) {
          const b = r.bytes(2);
          code = (b[0] ?? 0) | ((b[1] ?? 0) << 8);
        } else code = i32(r.bytes(4));
        if (code <= 0) throw invalid('EXT specifies code <= 0');
        effects = true;
        const target = file.extensions.get(code);
        if (target !== undefined) {
          const dot = target.indexOf('\0');
          const g = findClass(target.slice(0, dot), target.slice(dot + 1));
          report({
            rule: 'AG-MODEL-PICKLE-EXTENSION-CODE',
            severity: 'high',
            title: 'Global imported through a copyreg extension code',
            message: `EXT code ${String(code)} resolves to ${g.t === 'global' ? g.full : '?'} registered earlier in this file`,
            offset: opStart,
          });
          push(g);
        } else {
          report({
            rule: 'AG-MODEL-PICKLE-EXTENSION-CODE',
            severity: 'high',
            title: 'Global imported through a copyreg extension code',
            message: `EXT code ${String(code)} names a global through copyreg's registry, hiding its name from scanners; no pickler writes this for ordinary models`,
            offset: opStart,
            evidence: `copyreg._extension_registry[${String(code)}]`,
          });
          push({ t: 'ext', code });
        }
        break;
      }
      case 0x8a: {
        // LONG1
        const n = r.u8();
        push(intVal(signedLittle(r.bytes(n))));
        break;
      }
      case 0x8b: {
        // LONG4
        const n = i32(r.bytes(4));
        if (n < 0) throw invalid('LONG pickle has negative byte count');
        r.skipKeeping(n, 0);
        push({ t: 'int', v: 0 });
        break;
      }
      case 0x8d: // BINUNICODE8
        push(strVal(u64(r.bytes(8)), 'utf8'));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push(bytesVal(u64(r.bytes(8))));
        break;
      case 0x8f: // EMPTY_SET
        push({ t: 'set', count: 0, frozen: false });
        break;
      case 0x90: {
        // ADDITEMS
        const k = marks[marks.length - 1];
        if (k === undefined) throw invalid('could not find MARK');
        const all = popMark();
        if (k - 1 < fence || k < 1) throw underflow();
        const set = stack[k - 1] ?? NONE;
        mutate(set, 'ADDITEMS', { t: 'list', items: items(all), count: all.length });
        if (set.t === 'set') set.count += all.length;
        break;
      }
      case 0x91: {
        // FROZENSET
        const all = popMark();
        push({ t: 'set', count: all.length, frozen: true });
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        const v = call(cls, args, 'newobj');
        if (kwargs.t === 'dict' && kwargs.count > 0 && v.t === 'call') v.built = kwargs;
        push(v);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const mod = pop();
        if (name.t === 'str' && mod.t === 'str') {
          push(findClass(mod.v, name.v));
        } else if (isLiteral(name) || isLiteral(mod)) {
          throw invalid('STACK_GLOBAL requires str');
        } else {
          effects = true;
          report({
            rule: 'AG-MODEL-PICKLE-DYNAMIC-GLOBAL',
            severity: 'critical',
            title: 'Import name computed at load time',
            message:
              'STACK_GLOBAL takes its module or name from the result of a call: the imported object cannot be known statically',
            offset: opStart,
            evidence: `import ${pseudo(mod)}.${pseudo(name)}`,
          });
          push({
            t: 'global',
            full: `${pseudo(mod)}.${pseudo(name)}`,
            allowed: false,
            kind: undefined,
            off: opStart,
          });
        }
        break;
      }
      case 0x97: // NEXT_BUFFER
        throw invalid('pickle stream refers to out-of-band data but no buffers argument was given');
      case 0x98: // READONLY_BUFFER
        top();
        break;
      default:
        throw invalid(`invalid load key, 0x${op.toString(16).padStart(2, '0')}`);
    }
  };

  try {
    for (;;) {
      if (r.pos >= r.end) {
        throw new PickleStop(
          'eof',
          opcodes === 0 ? 'empty pickle' : 'pickle data was truncated (no STOP)',
          r.pos,
        );
      }
      if (frameEnd >= 0 && r.pos >= frameEnd) frameEnd = -1;
      opStart = r.pos;
      r.ahead();
      op = r.u8();
      opcodes++;
      if ((opcodes & CHECK_MASK) === 0) {
        file.opcodes += CHECK_MASK + 1;
        if (file.opcodes > limits.maxOpcodes) throw new PickleStop('limit', 'opcode limit reached', opStart);
        if (Date.now() > ctx.deadline) throw new PickleStop('limit', 'time budget exhausted', opStart);
        if (--heapWait <= 0) heapCheck();
      }
      switch (op) {
        case 0x28: // MARK
          marks.push(stack.length);
          fence = stack.length;
          break;
        case 0x2e: {
          // STOP
          const value = pop();
          file.opcodes += opcodes & CHECK_MASK;
          return { start, end: r.pos, value, stop: undefined, effects, opcodes };
        }
        case 0x30: // POP
          if (marks.length > 0 && marks[marks.length - 1] === stack.length) {
            marks.pop();
            fence = marks.length > 0 ? (marks[marks.length - 1] ?? 0) : 0;
          } else pop();
          break;
        case 0x4a: // BININT
        case 0x4b: // BININT1
        case 0x4d: // BININT2
          // One path for the three: a dict's ints move from BININT1 to BININT2 to BININT as they grow.
          push(intOf(r.intOperand(op)));
          break;
        case 0x4e: // NONE
          push(NONE);
          break;
        case 0x52: {
          // REDUCE
          const args = pop();
          const fn = pop();
          push(call(fn, args, 'reduce'));
          break;
        }
        case 0x55: // SHORT_BINSTRING
          push(strVal(r.u8(), 'latin1'));
          break;
        case 0x58: // BINUNICODE
          push(strVal(r.u32le(), 'utf8'));
          break;
        case 0x61: {
          // APPEND
          const value = pop();
          const list = top();
          mutate(list, 'APPEND', value);
          if (list.t === 'list') {
            appendItems(list, [value]);
            list.count++;
          }
          break;
        }
        case 0x62: {
          // BUILD
          const state = pop();
          const inst = top();
          mutate(inst, 'BUILD', state);
          if (
            inst.t === 'call' &&
            inst.fn.t === 'global' &&
            inst.fn.allowed &&
            !ctx.policy.allowsBuild(inst.fn.full)
          ) {
            report({
              rule: 'AG-MODEL-PICKLE-UNEXPECTED-BUILD',
              severity: 'medium',
              title: 'State applied to an object the profile does not restore that way',
              message: `BUILD on what ${inst.fn.full} returns: the active profiles accept state only on the types restored with it (torch.load(weights_only=True) rejects this)`,
              offset: opStart,
              evidence: `${pseudo(inst)}.__setstate__(${pseudo(state)})`,
            });
          }
          if (inst.t === 'call') {
            inst.built = state;
            const skip = afterBuild(inst, state, r, ctx, file);
            if (skip) frameEnd = -1;
          }
          break;
        }
        case 0x7d: // EMPTY_DICT
          push({ t: 'dict', entries: noEntries(), count: 0 });
          break;
        case 0x65: {
          // APPENDS
          const k = marks[marks.length - 1];
          if (k === undefined) throw invalid('could not find MARK');
          const list = (k >= 1 ? stack[k - 1] : undefined) ?? NONE;
          const n = stack.length - k;
          // The appended items are copied out only when something looks at them.
          if (list.t === 'global' || (list.t === 'list' && list.items.length < KEEP_ITEMS)) {
            const added = popMark();
            if (k - 1 < fence || k < 1) throw underflow();
            if (list.t === 'global')
              mutate(list, 'APPENDS', { t: 'list', items: items(added.slice()), count: n });
            else appendItems(list, added);
          } else {
            dropMark();
            if (k - 1 < fence || k < 1) throw underflow();
          }
          if (list.t === 'list') list.count += n;
          break;
        }
        case 0x68: // BINGET
        case 0x6a: {
          // LONG_BINGET
          push(memoGet(op === 0x68 ? r.u8() : r.u32le()));
          break;
        }
        case 0x5d: // EMPTY_LIST
          push({ t: 'list', items: NO_ITEMS, count: 0 });
          break;
        case 0x71: // BINPUT
          memoPut(r.u8());
          break;
        case 0x72: // LONG_BINPUT
          memoPut(r.u32le());
          break;
        case 0x73: {
          // SETITEM
          const value = pop();
          const key = pop();
          const dict = top();
          if (dict.t === 'global') mutate(dict, 'SETITEM', { t: 'dict', entries: [[key, value]], count: 1 });
          if (dict.t === 'dict') {
            if (dict.entries.length < KEEP_ITEMS) dict.entries.push([key, value]);
            dict.count++;
          }
          break;
        }
        case 0x74: {
          // TUPLE
          const all = popMark();
          push({ t: 'tuple', items: items(all), count: all.length });
          break;
        }
        case 0x29: // EMPTY_TUPLE
          push({ t: 'tuple', items: [], count: 0 });
          break;
        case 0x75: {
          // SETITEMS
          const k = marks[marks.length - 1];
          if (k === undefined) throw invalid('could not find MARK');
          const dict = (k >= 1 ? stack[k - 1] : undefined) ?? NONE;
          const n = stack.length - k;
          // Pairs are made only for the entries kept (a dict keeps KEEP_ITEMS) or shown (a mutated global).
          const keep =
            dict.t === 'global' ? KEEP_ITEMS : dict.t === 'dict' ? KEEP_ITEMS - dict.entries.length : 0;
          const entries: Array<readonly [Val, Val]> = [];
          for (let i = k; i + 1 < stack.length && entries.length < keep; i += 2)
            entries.push([stack[i] ?? NONE, stack[i + 1] ?? NONE]);
          dropMark();
          if (k - 1 < fence || k < 1) throw underflow();
          if (n % 2 !== 0) throw invalid('odd number of items for SETITEMS');
          if (dict.t === 'global') mutate(dict, 'SETITEMS', { t: 'dict', entries, count: n / 2 });
          if (dict.t === 'dict') {
            for (const en of entries) dict.entries.push(en);
            dict.count += n / 2;
          }
          break;
        }
        case 0x47: {
          // BINFLOAT
          r.skip(8);
          push(FLOAT);
          // The BINFLOATs right after it (a list of floats) in one go: within the frame, the stack limit and
          // the budget-check interval, so every check still falls on the same opcode.
          const room = Math.min(limits.maxStack - stack.length, CHECK_MASK - (opcodes & CHECK_MASK));
          if (room > 0) {
            const n = r.floatRun(frameEnd >= 0 ? frameEnd : r.end, room);
            for (let i = 0; i < n; i++) stack.push(FLOAT);
            opcodes += n;
          }
          break;
        }
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: {
          // TUPLE3
          const n = op - 0x84;
          if (stack.length - fence < n) throw underflow();
          const all = stack.splice(stack.length - n);
          push({ t: 'tuple', items: all, count: n });
          break;
        }
        case 0x88:
          push(TRUE);
          break;
        case 0x89:
          push(FALSE);
          break;
        case 0x42: // BINBYTES
          push(bytesVal(r.u32le()));
          break;
        case 0x43: // SHORT_BINBYTES
          push(bytesVal(r.u8()));
          break;
        case 0x8c: // SHORT_BINUNICODE
          push(strVal(r.u8(), 'utf8'));
          break;
        case 0x94: // MEMOIZE
          memoPut(memo.size);
          break;
        case 0x95: {
          // FRAME
          const size = u64(r.bytes(8));
          if (frameEnd >= 0 && opStart < frameEnd) {
            report({
              rule: 'AG-MODEL-PICKLE-FRAME',
              severity: 'high',
              title: 'Pickle frame opened inside another frame',
              message:
                'a FRAME starts before the previous frame ends; CPython picklers never write this and loaders disagree on it',
              offset: opStart,
            });
          }
          if (size > r.remaining) throw new PickleStop('eof', 'frame exceeds the end of the data', opStart);
          frameEnd = r.pos + size;
          break;
        }
        default:
          rareOp(op);
      }
      if (frameEnd >= 0 && r.pos > frameEnd && opStart < frameEnd) {
        const hiddenFrom = frameEnd;
        frameEnd = -1;
        frameStraddle(src, opStart, hiddenFrom, end, ctx, file, report);
        // That scan read the same source: a file source may have moved the window this reader's buffer views.
        r.invalidate();
      }
    }
  } catch (error) {
    if (error instanceof MemoRerun) return undefined;
    file.opcodes += opcodes & CHECK_MASK;
    const stop =
      error instanceof PickleStop
        ? error
        : new PickleStop('invalid', error instanceof Error ? error.message : String(error), opStart);
    return { start, end: Math.min(r.pos, end), value: undefined, stop, effects, opcodes };
  }
}

/**
 * The memo: a dense array for the small sequential indices picklers write, a map for anything else.
 *
 * CPython's memo keeps every value until the load ends, and so does this one at first. Once it is large
 * (PRUNE_AFTER entries), the VM reads the rest of the stream ahead for the indices any GET can still fetch
 * (`prune`): from then on only their values are kept; other indices are only counted (the memo limit
 * stays exact) and read back as DROPPED. A GET that meets DROPPED means the read-ahead was wrong (bytes
 * the VM skips outside the opcode grammar), and the run starts over with the whole memo.
 */
class Memo {
  private dense: Array<Val | undefined> = [];
  private sparse = new Map<number, Val>();
  /**
   * Set by prune: every index put so far (values are in `sparse` only when wanted). Those below `putBelow`
   * are all put and not in the set: picklers put 0, 1, 2, …, which then costs a compare, not a set lookup.
   */
  private put = new IndexSet();
  private putBelow = 0;
  /** Whether `put` holds any index at or above `putBelow` (out-of-order puts); until then it need not be read. */
  private putAbove = false;
  private wanted = new IndexSet();
  /**
   * Set by prune. Every field keeps one type from the constructor on (sets made up front, a flag instead of
   * `undefined`): a field whose type changes at the prune made V8 drop the VM's optimised code there.
   */
  private pruned = false;
  size = 0;
  get(idx: number): Val | undefined {
    if (this.pruned) return this.sparse.get(idx) ?? (this.wasPut(idx) ? DROPPED : undefined);
    return (idx < DENSE_MEMO ? this.dense[idx] : undefined) ?? this.sparse.get(idx);
  }
  has(idx: number): boolean {
    return this.pruned ? this.wasPut(idx) : this.get(idx) !== undefined;
  }
  private wasPut(idx: number): boolean {
    return (idx >= 0 && idx < this.putBelow) || (this.putAbove && this.put.has(idx));
  }
  set(idx: number, v: Val): void {
    if (this.pruned) {
      if (idx === this.putBelow) {
        // The next index of the run: new unless an out-of-order put already took it.
        if (!this.putAbove || !this.put.has(idx)) this.size++;
        this.putBelow++;
      } else if (!this.wasPut(idx)) {
        this.put.add(idx);
        this.putAbove = true;
        this.size++;
      }
      if (this.wanted.has(idx)) this.sparse.set(idx, v);
      return;
    }
    if (idx === this.dense.length) {
      // The next sequential index (BINPUT n, MEMOIZE): append, no bounds dance.
      this.dense.push(v);
      this.size++;
      return;
    }
    if (idx < DENSE_MEMO) {
      if (idx > this.dense.length + 65536) {
        // Far-away index: keep the array packed, use the map.
        if (!this.sparse.has(idx)) this.size++;
        this.sparse.set(idx, v);
        return;
      }
      while (this.dense.length < idx) this.dense.push(undefined);
      if (this.dense[idx] === undefined) this.size++;
      this.dense[idx] = v;
      return;
    }
    if (!this.sparse.has(idx)) this.size++;
    this.sparse.set(idx, v);
  }
  /** Keeps only the values at `wanted` indices from now on. */
  prune(wanted: IndexSet): void {
    const put = new IndexSet();
    const kept = new Map<number, Val>();
    let below = 0;
    while (below < this.dense.length && this.dense[below] !== undefined) below++;
    let above = false;
    this.dense.forEach((v, i) => {
      if (v === undefined) return;
      if (i >= below) {
        put.add(i);
        above = true;
      }
      if (wanted.has(i)) kept.set(i, v);
    });
    for (const [i, v] of this.sparse) {
      if (!(i >= 0 && i < below)) {
        put.add(i);
        above = true;
      }
      if (wanted.has(i)) kept.set(i, v);
    }
    this.dense.length = 0;
    this.sparse = kept;
    this.put = put;
    this.putBelow = below;
    this.putAbove = above;
    this.wanted = wanted;
    this.pruned = true;
  }
}
/** Operands from this size up count towards an early heap check (every 16 of them, 1 MiB or more). */
const BIG_OPERAND = 1 << 16;
/** Budgets (opcodes, time, heap) are checked every CHECK_MASK + 1 opcodes (heap also after big operands). */
const CHECK_MASK = 0x3fff;
/** Memo size at which the VM reads ahead to drop values nothing fetches. */
export const PRUNE_AFTER = 1 << 14;
/** What a GET reads at an index whose value was dropped (never pushed: the run starts over). */
const DROPPED: Val = { t: 'none' };
const DENSE_MEMO = 1 << 26;
/**
 * Slots of the per-stream int cache (a power of two). Small on purpose: its values must die young. With a
 * slot for every int up to 65,535 they lived long enough for V8 to start allocating them in the old
 * generation, and that decision discarded the VM's optimised code twice per large dict (and filled the old
 * generation with short-lived ints): dense_dict_50 ~20% slower.
 */
const INT_SLOTS = 1 << 12;
const PAIRS: Array<readonly [Val, Val]> = [[NONE, NONE]];
/**
 * A new empty array for a dict's entries, born with the elements kind it gets once pairs are pushed (`[]`
 * starts as an array of small ints and changes kind at the first push: with the first dict's entries still
 * empty when V8 optimised the loop, the next SETITEMS met the other kind and discarded that code).
 */
function noEntries(): Array<readonly [Val, Val]> {
  return PAIRS.slice(0, 0);
}
/** The items of every empty list: appendItems replaces the array, never writes into it (frozen to be sure). */
const NO_ITEMS = Object.freeze([]) as unknown as Val[];
const SMALL_INTS: readonly Val[] = Array.from({ length: 256 }, (_, i): Val => ({ t: 'int', v: i }));

function isLiteral(v: Val): boolean {
  return (
    v.t === 'int' ||
    v.t === 'bytes' ||
    v.t === 'none' ||
    v.t === 'bool' ||
    v.t === 'float' ||
    v.t === 'tuple' ||
    v.t === 'list' ||
    v.t === 'dict' ||
    v.t === 'set'
  );
}

/** LONG1 operand: little-endian two's complement. */
function signedLittle(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] ?? 0);
  if (b.length > 0 && ((b[b.length - 1] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
  return v;
}

/**
 * An opcode's operand ran past the end of its frame. `pickle.loads` reads on through the frame end, but a
 * file-backed loader can stop at it and parse the rest as opcodes (CPython issue 154848). Scan the hidden
 * part as a fragment too, so both readings are covered.
 */
function frameStraddle(
  src: ByteSource,
  opStart: number,
  frameEnd: number,
  streamEnd: number,
  ctx: VmContext,
  file: FileState,
  report: (f: VmFinding, key?: string) => VmFinding,
): void {
  report({
    rule: 'AG-MODEL-PICKLE-FRAME',
    severity: 'high',
    title: 'Opcode straddles a pickle frame boundary',
    message: `the opcode at 0x${opStart.toString(16)} reads past its frame's end at 0x${frameEnd.toString(16)}; loaders disagree on such streams (parser differential)`,
    offset: opStart,
  });
  if (ctx.depth >= ctx.limits.maxNesting) return;
  const sub: VmContext = {
    ...ctx,
    depth: ctx.depth + 1,
    report: (f) => {
      ctx.report({ ...f, member: `frame-reading@0x${frameEnd.toString(16)}` });
    },
  };
  runStream(src, frameEnd, streamEnd, sub, file);
}
