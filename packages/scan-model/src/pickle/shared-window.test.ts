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
});
