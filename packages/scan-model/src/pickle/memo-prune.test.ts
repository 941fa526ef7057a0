import { describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from '../scan/scan-file.js';
import type { FileReport } from '../scan/types.js';
import { BufferSource } from '../source/byte-source.js';
import { P, type PickleBuilder } from '../test-support/pickle-builder.js';
import { scanBytes } from '../test-support/scan-bytes.js';
import { fetchedIndices, IndexSet } from './memo-prepass.js';
import { PRUNE_AFTER } from './vm.js';

// Once the memo holds PRUNE_AFTER values, the VM reads the rest of the stream ahead and keeps only the
// values some GET can still fetch. Every case here runs twice: without filler (the whole memo is kept, the
// plain path) and after PRUNE_AFTER + 100 filler values (the pruned path). Both must report the same.

const FILL = PRUNE_AFTER + 100;

/** `n` memoised values nobody fetches (MEMOIZE takes the next free index). */
function filler(p: PickleBuilder, n: number): PickleBuilder {
  for (let i = 0; i < n; i++) p.newTrue().memoize().pop();
  return p;
}

const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const longPut = (p: PickleBuilder, i: number): PickleBuilder => p.op(0x72).raw(u32(i));
const longGet = (p: PickleBuilder, i: number): PickleBuilder => p.op(0x6a).raw(u32(i));

/** Rule, severity, message and evidence of every finding (offsets move with the filler). */
function outcome(report: FileReport): string[] {
  return report.findings.map((f) =>
    `${f.ruleId} ${f.severity} ${f.message} | ${f.evidence ?? ''}`.replace(/0x[0-9a-f]+/g, '@'),
  );
}

/** Scans the pickle `build(head, fill)` makes with no filler and with FILL filler values; both outcomes. */
function both(build: (fill: (p: PickleBuilder) => PickleBuilder) => Uint8Array): [string[], FileReport] {
  const plain = scanBytes(
    build((p) => p),
    'x.pkl',
  );
  const pruned = scanBytes(
    build((p) => filler(p, FILL)),
    'x.pkl',
  );
  expect(outcome(pruned)).toEqual(outcome(plain));
  expect(pruned.verdict).toBe(plain.verdict);
  return [outcome(pruned), pruned];
}

describe('pickle VM: memo pruning after the read-ahead', () => {
  it('STACK_GLOBAL operands fetched from the memo after pruning stay exact (memo game: overwritten index)', () => {
    const [found, report] = both((fill) => {
      const p = P().proto(4).str('posix').binput(0).pop().str('system').binput(1).pop();
      fill(p);
      // Index 0 is overwritten after the read-ahead; the GET must see the new value, not the old one.
      p.str('os').binput(0).pop();
      return p.binget(0).binget(1).op(0x93).str('id').tuple1().reduce().stop().done();
    });
    expect(report.verdict).toBe('malicious');
    expect(found.join('\n')).toContain("os.system('id')");
    expect(found.join('\n')).not.toContain('posix');
  });

  it('DUP and POP around MEMOIZE: the fetched value is the one memoised, not its neighbour', () => {
    const [found] = both((fill) => {
      const p = P().proto(4).str('os').str('system').op(0x32).memoize().pop().pop().memoize().pop();
      fill(p);
      // Index 0 holds 'system' (the DUP), index 1 'os' (what was under it).
      return p.binget(1).binget(0).op(0x93).str('id').tuple1().reduce().stop().done();
    });
    expect(found.join('\n')).toContain("os.system('id')");
  });

  it('REDUCE arguments and large indices (LONG_BINPUT / LONG_BINGET) survive pruning', () => {
    const [found] = both((fill) => {
      const p = P().proto(4).global('builtins', 'eval');
      longPut(p, 70_000).pop().mark().str('__import__("os")').str('x').tuple();
      longPut(p, 100_000).pop();
      fill(p);
      return longGet(longGet(p, 70_000), 100_000).reduce().stop().done();
    });
    expect(found.join('\n')).toContain("builtins.eval('__import__(\"os\")', 'x')");
  });

  it('a GET of an index never put is still malformed, and pruning keeps no value of a dropped index', () => {
    const [found, report] = both((fill) =>
      longGet(fill(P().proto(4).str('a').memoize().pop()), 90_000)
        .stop()
        .done(),
    );
    expect(report.verdict).not.toBe('clean');
    expect(found.join('\n')).toContain('memo value not found at index 90000');
  });

  it('a global fetched from the memo and mutated (SETITEMS) is still reported with its state', () => {
    const [found] = both((fill) => {
      const p = P().proto(4).global('collections', 'OrderedDict').memoize().pop();
      fill(p);
      return p.binget(0).mark().str('a').int(1).setitems().stop().done();
    });
    expect(found.join('\n')).toContain("collections.OrderedDict.__dict__.update({'a': 1})");
  });

  it('a memoised nested payload is still loaded (and its latent finding superseded) after pruning', () => {
    const inner = P().proto(2).global('os', 'system').str('id').tuple1().reduce().stop().done();
    const [found] = both((fill) => {
      const p = P().proto(4).bytes(inner).memoize().pop();
      fill(p);
      return p.global('pickle', 'loads').binget(0).tuple1().reduce().stop().done();
    });
    expect(found.some((f) => f.includes("os.system('id')"))).toBe(true);
    expect(found.some((f) => f.startsWith('AG-MODEL-PICKLE-EMBEDDED-PAYLOAD'))).toBe(false);
    // The same bytes memoised and never loaded: a latent payload, reported as such.
    const [latent] = both((fill) => fill(P().proto(4).bytes(inner).memoize().pop()).none().stop().done());
    expect(latent.some((f) => f.startsWith('AG-MODEL-PICKLE-EMBEDDED-PAYLOAD'))).toBe(true);
  });

  it('the memo limit still counts every index put, kept or dropped', () => {
    const scan = (bytes: Uint8Array): FileReport =>
      scanSource(new BufferSource(bytes), 'x.pkl', '0'.repeat(64), {
        ...DEFAULT_FILE_OPTIONS,
        limits: { ...DEFAULT_FILE_OPTIONS.limits, maxMemo: FILL },
        policy: new Policy(),
      });
    const over = scan(
      filler(P().proto(4), FILL + 1)
        .none()
        .stop()
        .done(),
    );
    expect(over.verdict).toBe('inconclusive');
    expect(over.findings.map((f) => f.message).join('\n')).toContain('memo size limit reached');
    // Putting the same indices again does not count twice.
    const p = filler(P().proto(4), FILL);
    for (let i = 0; i < 200; i++) longPut(p.none(), i).pop();
    expect(scan(p.none().stop().done()).verdict).toBe('clean');
  });

  it('the memo limit counts an index put out of order once when the sequential run reaches it', () => {
    const scan = (extra: number): FileReport => {
      const p = filler(P().proto(4), FILL);
      // FILL + 5 first, then FILL, FILL + 1, ... FILL + 9 + extra: FILL + 10 + extra distinct indices.
      longPut(p.none(), FILL + 5).pop();
      for (let i = FILL; i < FILL + 10 + extra; i++) longPut(p.none(), i).pop();
      // And again, out of order and in the run: nothing new.
      longPut(p.none(), FILL + 5).pop();
      longPut(p.none(), 3).pop();
      return scanSource(new BufferSource(p.none().stop().done()), 'x.pkl', '0'.repeat(64), {
        ...DEFAULT_FILE_OPTIONS,
        limits: { ...DEFAULT_FILE_OPTIONS.limits, maxMemo: FILL + 10 },
        policy: new Policy(),
      });
    };
    expect(scan(0).verdict).toBe('clean');
    const over = scan(1);
    expect(over.verdict).toBe('inconclusive');
    expect(over.findings.map((f) => f.message).join('\n')).toContain('memo size limit reached');
  });

  it('a value put out of order after pruning is fetched, and one the run overwrites reads its new value', () => {
    const [found, report] = both((fill) => {
      const p = fill(P().proto(4).none().memoize().pop());
      // Two indices ahead of the run (FILL + 1 is next), then the run reaches them; FILL + 3 is overwritten.
      p.str('os');
      longPut(p, FILL + 2).pop();
      p.str('posix');
      longPut(p, FILL + 3).pop();
      longPut(p.none(), FILL + 1).pop();
      p.str('system');
      longPut(p, FILL + 3).pop();
      longGet(longGet(p, FILL + 2), FILL + 3).op(0x93);
      return p.str('id').tuple1().reduce().stop().done();
    });
    expect(report.verdict).toBe('malicious');
    expect(found.join('\n')).toContain("os.system('id')");
  });

  it('bytes the VM skips outside the opcode grammar mislead the read-ahead: the stream reruns whole', () => {
    // A joblib array wrapper: after its BUILD the VM skips the 16 inline array bytes. Read as opcodes, those
    // bytes start a BINUNICODE whose length swallows the opcodes after the array, so the read-ahead never
    // sees the GETs there. The VM meets a dropped value, runs the stream again with the whole memo.
    const tail = P().pop().binget(1).binget(0).op(0x93).str('id').tuple1().reduce().done();
    const [found] = both((fill) => {
      const p = P().proto(4).str('system').memoize().pop().str('os').memoize().pop();
      fill(p);
      p.stackGlobal('joblib.numpy_pickle', 'NumpyArrayWrapper').emptyTuple().op(0x81);
      p.emptyDict().mark().str('subclass').stackGlobal('numpy', 'ndarray').str('shape').int(2).tuple1();
      p.str('order').str('C').str('dtype').stackGlobal('numpy', 'dtype').str('f8').newFalse().newTrue();
      p.tuple3().reduce().setitems().build();
      const array = [0x58, ...u32(11 + tail.length), ...new Array<number>(11).fill(0x4e)];
      return p.raw(array).raw(tail).stop().done();
    });
    expect(found.join('\n')).toContain("os.system('id')");
  });
});

describe('memo read-ahead', () => {
  it('collects the indices of GET, BINGET and LONG_BINGET up to STOP, skipping every operand', () => {
    const p = P().str('h\x68i').bytes([0x68, 9]).int(0x68).raw('g12\n').binget(3).op(0x46).raw('1.5\n');
    const bytes = longGet(p, 1 << 27)
      .stop()
      .binget(7)
      .done();
    const set = fetchedIndices(new BufferSource(bytes), 0, bytes.length, 1 << 20, Date.now() + 10_000);
    expect(set).toBeDefined();
    expect([12, 3, 1 << 27, 9, 7, 0x68].map((i) => set?.has(i))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('follows operands and text lines across its 1 MiB read chunks', () => {
    for (let shift = -12; shift <= 4; shift++) {
      // Padding puts the interesting opcodes at the 1 MiB edge, moved by `shift` bytes.
      const lead = P().bytes(new Uint8Array(200)).done().length;
      const pad = (1 << 20) + shift - lead - 5;
      const p = P().bytes(new Uint8Array(200)).op(0x42).raw(u32(pad)).raw(new Uint8Array(pad));
      longGet(p, 123_456).raw('g4567\n').binget(9).str('x'.repeat(300)).raw('g77\n');
      const bytes = p.stop().done();
      const set = fetchedIndices(new BufferSource(bytes), 0, bytes.length, 1 << 20, Date.now() + 10_000);
      expect([123_456, 4567, 9, 77].map((i) => set?.has(i))).toEqual([true, true, true, true]);
    }
  });

  it('skips runs of short operands across chunk edges and stops at the stream end, not the source end', () => {
    // Three chunks of str/bytes operands of every short length and fixed opcodes, GETs scattered between.
    const p = P().proto(2);
    const gets: number[] = [];
    for (let k = 0; p.done().length < 3.2 * (1 << 20); k++) {
      const len = k % 300;
      if (len < 256) p.op(0x8c).op(len).raw(new Uint8Array(len).fill(0x61));
      else p.op(0x58).raw(u32(len)).raw(new Uint8Array(len).fill(0x62));
      p.op(0x43)
        .op(k % 7)
        .raw(new Uint8Array(k % 7));
      p.op(0x72).raw(u32(k)).op(0x28).op(0x4a).raw(u32(k)).op(0x47).raw(new Uint8Array(8)).op(0x30).op(0x31);
      if (k % 997 === 0) {
        gets.push(k);
        longGet(p, k).pop();
      }
    }
    const bytes = p.stop().done();
    const set = fetchedIndices(new BufferSource(bytes), 0, bytes.length, 1 << 20, Date.now() + 10_000);
    expect(gets.length).toBeGreaterThan(10);
    expect(gets.every((k) => set?.has(k))).toBe(true);
    expect(set?.has(1)).toBe(false);
    // The same bytes read only up to inside the last str operand: no STOP before `end`, so no set.
    const cut = P().str('x'.repeat(40)).stop().done();
    const whole = Buffer.concat([cut, P().stop().done()]);
    expect(fetchedIndices(new BufferSource(whole), 0, 20, 1 << 20, Date.now() + 10_000)).toBe(undefined);
  });

  it('gives up (keep the whole memo) on invalid opcodes, truncation and missing STOP', () => {
    for (const bytes of [
      P().binget(1).op(0xff).stop().done(),
      P().binget(1).op(0x58).raw(u32(100)).done(),
      P().binget(1).done(),
    ]) {
      expect(fetchedIndices(new BufferSource(bytes), 0, bytes.length, 1 << 20, Date.now() + 10_000)).toBe(
        undefined,
      );
    }
  });

  it('IndexSet holds small indices in a bitmap and others in a set', () => {
    const s = new IndexSet();
    for (const i of [0, 31, 32, 5_000_000, 2 ** 40, -1]) s.add(i);
    expect([0, 31, 32, 5_000_000, 2 ** 40, -1, 1, 33, 4_999_999].map((i) => s.has(i))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
