import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { DEFAULT_FILE_OPTIONS, scanFile } from '../scan/scan-file.js';

// A file source reads through one 4 MiB window that every reader of the file shares. A nested run over
// the same file (the frame-straddle reading, a joblib object array) may move that window; the outer reader
// must not go on reading its old view of it.

const dir = mkdtempSync(join(tmpdir(), 'ag-shared-window-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('pickle VM over a file: nested runs and the shared read window', () => {
  it('after a frame-straddle reading that ran 6 MB ahead, the outer stream still sees os.system', () => {
    const big = 6 * 1024 * 1024;
    const len = Buffer.alloc(4);
    len.writeUInt32LE(big);
    // The frame ends inside a SHORT_BINUNICODE operand, where the hidden reading finds BINBYTES of 6 MB:
    // it skips into the zeros of the big constant below, far past the window, and stops there.
    const str = Buffer.concat([Buffer.from('ab'), Buffer.from([0x42]), len]);
    const frame = Buffer.alloc(8);
    frame.writeUInt32LE(2 + 2);
    const bigLen = Buffer.alloc(4);
    bigLen.writeUInt32LE(big + 1024);
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x04, 0x95]),
      frame,
      Buffer.from([0x8c, str.length]),
      str,
      Buffer.from([0x30]),
      Buffer.from('cos\nsystem\n', 'latin1'),
      Buffer.from([0x8c, 0x02]),
      Buffer.from('id'),
      Buffer.from([0x85, 0x52, 0x30, 0x42]),
      bigLen,
      Buffer.alloc(big + 1024),
      Buffer.from([0x2e]),
    ]);
    const path = join(dir, 'straddle.pkl');
    writeFileSync(path, bytes);
    const policy = new Policy();
    const report = scanFile(path, 'straddle.pkl', { ...DEFAULT_FILE_OPTIONS, policy }, () => policy);
    const rules = report.findings.map((f) => f.ruleId);
    expect(rules).toContain('AG-MODEL-PICKLE-FRAME');
    expect(report.findings.find((f) => f.ruleId === 'AG-MODEL-PICKLE-DANGEROUS-GLOBAL')?.evidence).toContain(
      "os.system('id')",
    );
    expect(report.verdict).toBe('malicious');
  });

  // Pieces of a text line and the head of a bytes constant are views of that window too, until copied:
  // Buffer#slice (what a file source's bytes are) shares memory, it does not copy.
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const MiB = 1024 * 1024;

  it('reads a text line that crosses a chunk boundary as written, though the window moves 4 MB on', () => {
    const module = `pkg_${'x'.repeat(50)}.mod`;
    const head = Buffer.concat([Buffer.from([0x80, 0x02, 0x42]), u32(3 * MiB - 7)]);
    const fill1 = Buffer.alloc(3 * MiB - 7);
    // At 3 MiB: POP, then a constant up to 41 bytes before 4 MiB, POP, and a GLOBAL (at 4 MiB - 40) whose line
    // crosses the 1 MiB chunk that ends at 4 MiB; the chunk after it reloads the window from 4 MiB.
    const mid = Buffer.concat([Buffer.from([0x30, 0x42]), u32(MiB - 47)]);
    const fill2 = Buffer.alloc(MiB - 47);
    const global = Buffer.from(`c${module}\nfunc\n`, 'latin1');
    const before = head.length + fill1.length + mid.length + fill2.length + 1;
    expect(before).toBe(4 * MiB - 40);
    // The filler puts other identifier bytes where the window's old offsets land after the reload.
    const tailLen = 4 * MiB + 4096;
    const tail = Buffer.concat([
      Buffer.from([0x42]),
      u32(tailLen),
      Buffer.alloc(tailLen, 'q'),
      Buffer.from([0x30, 0x2e]),
    ]);
    const bytes = Buffer.concat([head, fill1, mid, fill2, Buffer.from([0x30]), global, tail]);
    const path = join(dir, 'crossing-line.pkl');
    writeFileSync(path, bytes);
    const policy = new Policy();
    const report = scanFile(path, 'crossing-line.pkl', { ...DEFAULT_FILE_OPTIONS, policy }, () => policy);
    const imports = report.findings.filter((f) => f.ruleId === 'AG-MODEL-PICKLE-UNLISTED-GLOBAL');
    expect(imports.map((f) => f.evidence)).toEqual([`import ${module}.func`]);
  });

  it('scans a payload constant handed to pickle.loads as written, though the window moved since', () => {
    const inner = Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1');
    const far = 5 * MiB;
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x02]),
      Buffer.from('cpickle\nloads\n(', 'latin1'),
      Buffer.from([0x42]),
      u32(inner.length),
      inner,
      // A constant that jumps 5 MB on, past the window; what follows reloads the window from there, with
      // more than the payload's offset in bytes.
      Buffer.from([0x42]),
      u32(far),
      Buffer.alloc(far),
      Buffer.from([0x30, 0x42]),
      u32(256),
      Buffer.alloc(256, 'z'),
      Buffer.from([0x30, 0x74, 0x52, 0x2e]),
    ]);
    const path = join(dir, 'moved-payload.pkl');
    writeFileSync(path, bytes);
    const policy = new Policy();
    const report = scanFile(path, 'moved-payload.pkl', { ...DEFAULT_FILE_OPTIONS, policy }, () => policy);
    expect(report.verdict).toBe('malicious');
    const evidence = report.findings.map((f) => f.evidence ?? '').join('\n');
    expect(evidence).toContain("os.system('id')");
  });
});
