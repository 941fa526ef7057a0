import { describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from '../scan/scan-file.js';
import type { FileReport } from '../scan/types.js';
import type { VmLimits } from './vm-types.js';
import { BufferSource } from '../source/byte-source.js';

// Runs of BINFLOAT are consumed in one go (Reader.floatRun). These pin what must not move: frame
// boundaries, the reader's 1 MiB buffer edge, and the opcode and stack limits, which must stop at the
// very opcode they stopped at one by one.

const FLOAT = [0x47, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0];

function floats(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...FLOAT);
  return out;
}

function scan(bytes: number[], limits: Partial<VmLimits> = {}): FileReport {
  return scanSource(new BufferSource(Uint8Array.from(bytes)), 'x.pkl', '0'.repeat(64), {
    ...DEFAULT_FILE_OPTIONS,
    limits: { ...DEFAULT_FILE_OPTIONS.limits, ...limits },
    policy: new Policy(),
  });
}

const messages = (r: FileReport): string => r.findings.map((f) => f.message).join('\n');

describe('pickle VM: runs of BINFLOAT', () => {
  it('a list of 150,000 floats across the 1 MiB buffer edge, in APPENDS batches: clean', () => {
    const bytes = [0x80, 4, 0x5d];
    for (let b = 0; b < 150; b++) bytes.push(0x28, ...floats(1000), 0x65);
    bytes.push(0x2e);
    expect(scan(bytes).verdict).toBe('clean');
  });

  it('a frame that ends inside a float of the run: the straddling float is reported at its offset', () => {
    const frameSize = 2 + 9 * 5 + 4;
    const size = [frameSize, 0, 0, 0, 0, 0, 0, 0];
    const bytes = [0x80, 4, 0x95, ...size, 0x5d, 0x28, ...floats(10), 0x65, 0x2e];
    const sixth = 11 + 2 + 9 * 5;
    const report = scan(bytes);
    expect(messages(report)).toContain(`the opcode at 0x${sixth.toString(16)} reads past its frame's end`);
  });

  it('the stack limit stops at the same float', () => {
    const report = scan([0x80, 4, ...floats(1000), 0x2e], { maxStack: 700 });
    expect(report.verdict).toBe('inconclusive');
    expect(messages(report)).toContain(
      `stopped at 0x${(2 + 9 * 700).toString(16)}: stack depth limit reached`,
    );
  });

  it('the opcode limit stops at the same float (checks every 16,384 opcodes)', () => {
    const report = scan([0x80, 4, 0x5d, 0x28, ...floats(40_000), 0x65, 0x2e], { maxOpcodes: 20_000 });
    expect(report.verdict).toBe('inconclusive');
    // Opcode 32,768 (PROTO, EMPTY_LIST and MARK come first) is float 32,764 (counted from 0), as before.
    expect(messages(report)).toContain(`stopped at 0x${(4 + 9 * 32_764).toString(16)}: opcode limit reached`);
  });
});
