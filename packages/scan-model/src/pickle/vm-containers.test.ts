import { describe, expect, it } from 'vitest';
import { P } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';

// What the VM keeps of containers, ints and strings, seen through the pseudo-Python of a call's evidence.
// These pin the fast paths (pairs made only for kept entries, items not copied out, shared ints, strings
// decoded in place) to the same results as the plain ones.

type Builder = ReturnType<typeof P>;

/** `os.system(<what build pushes>)` as a pickle, and the evidence line of its finding. */
function systemEvidence(build: (p: Builder) => Builder): string {
  const bytes = build(P().proto(2).global('os', 'system')).tuple1().reduce().stop().done();
  const report = scanBytes(bytes, 'x.pkl');
  const f = report.findings.find((x) => x.ruleId === 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
  return f?.evidence ?? '';
}

const int32 = (n: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return [...b];
};

describe('pickle VM: containers, ints and strings', () => {
  it('SETITEMS keeps the first 32 entries over several batches and counts the rest', () => {
    const evidence = systemEvidence((p) => {
      p.emptyDict().mark();
      for (let i = 0; i < 20; i++) p.str(`k${String(i)}`).int(i);
      p.setitems().mark();
      for (let i = 20; i < 40; i++) p.str(`k${String(i)}`).int(i);
      return p.setitems();
    });
    const shown = Array.from({ length: 32 }, (_, i) => `'k${String(i)}': ${String(i)}`).join(', ');
    expect(evidence).toContain(`os.system({${shown}, …})`);
  });

  it('SETITEM after SETITEMS fills the kept entries in order', () => {
    const evidence = systemEvidence((p) =>
      p.emptyDict().mark().str('a').int(1).setitems().str('b').int(2).setitem(),
    );
    expect(evidence).toContain("os.system({'a': 1, 'b': 2})");
  });

  it('SETITEMS and APPENDS on a global are reported with what they write', () => {
    const dict = P().proto(2).global('collections', 'OrderedDict').mark().str('a').int(1).setitems();
    const r = scanBytes(dict.stop().done(), 'x.pkl');
    expect(rules(r)).toContain('AG-MODEL-PICKLE-GLOBAL-MUTATION');
    expect(r.findings.find((f) => f.ruleId === 'AG-MODEL-PICKLE-GLOBAL-MUTATION')?.evidence).toBe(
      "collections.OrderedDict.__dict__.update({'a': 1})",
    );
    const list = P().proto(2).global('collections', 'OrderedDict').mark().int(7).int(8).appends();
    const l = scanBytes(list.stop().done(), 'x.pkl');
    expect(l.findings.find((f) => f.ruleId === 'AG-MODEL-PICKLE-GLOBAL-MUTATION')?.evidence).toBe(
      'collections.OrderedDict.__dict__.update([7, 8])',
    );
  });

  it('broken SETITEMS and APPENDS stop the stream (odd items, no MARK, nothing under the MARK)', () => {
    for (const bytes of [
      P().proto(2).emptyDict().mark().str('a').setitems().stop().done(),
      P().proto(2).emptyDict().str('a').int(1).setitems().stop().done(),
      P().proto(2).mark().str('a').int(1).setitems().stop().done(),
      P().proto(2).emptyList().int(1).appends().stop().done(),
      P().proto(2).mark().int(1).appends().stop().done(),
    ]) {
      expect(scanBytes(bytes, 'x.pkl').verdict).not.toBe('clean');
    }
    // A well-formed pair of each is clean.
    const ok = P().proto(2).emptyDict().mark().str('a').int(1).setitems();
    expect(scanBytes(ok.stop().done(), 'x.pkl').verdict).toBe('clean');
  });

  it('lists: every empty list gets its own items; APPENDS past 32 items keeps the count', () => {
    const two = systemEvidence((p) =>
      p.mark().emptyList().int(1).append().emptyList().int(2).append().int(3).append().emptyList().tuple(),
    );
    expect(two).toContain('os.system(([1], [2, 3], []))');
    const long = systemEvidence((p) => {
      p.emptyList().mark();
      for (let i = 0; i < 30; i++) p.int(i);
      p.appends().mark();
      for (let i = 30; i < 40; i++) p.int(i);
      return p.appends().int(99).append();
    });
    const shown = Array.from({ length: 32 }, (_, i) => String(i)).join(', ');
    expect(long).toContain(`os.system([${shown}, …])`);
  });

  it('ints shared between opcodes keep their own values (same cache slot, negative, large)', () => {
    const evidence = systemEvidence((p) =>
      p
        .mark()
        .int(70000)
        .int(70000 + 4096)
        .int(70000)
        .op(0x4a)
        .raw(int32(-5))
        .op(0x4a)
        .raw(int32(65536 + 4091))
        .op(0x4a)
        .raw(int32(-5))
        .int(300)
        .tuple(),
    );
    expect(evidence).toContain('os.system((70000, 74096, 70000, -5, 69627, -5, 300))');
  });

  it('a string across the reader’s 1 MiB buffer edge decodes whole (UTF-8 character split by the edge)', () => {
    // proto 2 + GLOBAL os system (11) + BINBYTES header (5) + N + POP + SHORT_BINUNICODE header (2): the
    // argument's bytes start at N + 21; its 'é' (2 bytes, at 3) straddles 1 MiB.
    const n = (1 << 20) - 25;
    const evidence = systemEvidence((p) => p.bytes(new Uint8Array(n)).pop().str('abcé and more'));
    expect(evidence).toContain("os.system('abcé and more')");
    const latin = P().proto(2).global('os', 'system').bytes(new Uint8Array(n)).pop();
    // SHORT_BINSTRING (protocol-2 str of Python 2): Latin-1 bytes, 0xe9 is 'é'.
    latin.op(0x55).op(4).raw([0x61, 0x62, 0x63, 0xe9]);
    const r = scanBytes(latin.tuple1().reduce().stop().done(), 'x.pkl');
    expect(r.findings.find((f) => f.ruleId === 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL')?.evidence).toContain(
      "os.system('abcé')",
    );
  });

  it('short strings (built from their bytes) equal the decoder’s result at every length, ASCII or not', () => {
    for (let n = 0; n <= 14; n++) {
      const ascii = 'abcdefghijklmnop'.slice(0, n);
      expect(systemEvidence((p) => p.str(ascii))).toContain(`os.system('${ascii}')`);
      // UTF-8 with a 2-byte character: the decoder's path (never one byte as one character).
      const utf = `${ascii.slice(0, Math.max(0, n - 2))}é`;
      expect(systemEvidence((p) => p.str(utf))).toContain(`os.system('${utf}')`);
      // Invalid UTF-8 (a lone continuation byte): the decoder's U+FFFD, as before.
      const bad = systemEvidence((p) =>
        p
          .op(0x8c)
          .op(n + 1)
          .raw([...Buffer.from(ascii), 0x80]),
      );
      expect(bad).toContain(`os.system('${ascii}\ufffd')`);
      // Latin-1 (SHORT_BINSTRING): every byte is one character.
      const latin = [...Buffer.from(ascii.slice(0, Math.max(0, n - 1)), 'latin1'), 0xff];
      expect(systemEvidence((p) => p.op(0x55).op(latin.length).raw(latin))).toContain(
        `os.system('${ascii.slice(0, Math.max(0, n - 1))}ÿ')`,
      );
    }
  });
});
