import { describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from '../scan/scan-file.js';
import type { FileReport } from '../scan/types.js';
import { BufferSource } from '../source/byte-source.js';
import { P } from '../test-support/pickle-builder.js';
import { getHeapStatistics } from 'node:v8';
import { HeapBudget, heapCeiling, heapStart, MAIN_HEAP_BUDGET } from './heap-guard.js';

const MB = 1024 * 1024;

function scan(bytes: Uint8Array, maxHeapBytes: number): FileReport {
  return scanSource(new BufferSource(bytes), 'x.pkl', '0'.repeat(64), {
    ...DEFAULT_FILE_OPTIONS,
    limits: { ...DEFAULT_FILE_OPTIONS.limits, maxHeapBytes },
    policy: new Policy(),
  });
}

describe('pickle VM: heap budget', () => {
  it('a pickle that keeps more than the budget ends inconclusive with the reason, not a crash', () => {
    // 1.5 M nested one-tuples: ~1.5 MB of opcodes that the loader (and the VM) must hold all at once.
    const p = P().proto(2).none();
    for (let i = 0; i < 1_500_000; i++) p.tuple1();
    const report = scan(p.stop().done(), 32 * MB);
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings.map((f) => f.message).join('\n')).toContain(
      'memory budget exhausted: the values this pickle keeps',
    );
  });

  it('the same budget lets a pickle through that builds as much but keeps nothing (garbage is collected)', () => {
    const p = P().proto(2).none();
    for (let i = 0; i < 1_500_000; i++) p.tuple1().pop().none();
    expect(scan(p.stop().done(), 32 * MB).verdict).toBe('clean');
  });

  it('big string operands trigger the check on their own (few opcodes, many bytes)', () => {
    const one = Buffer.alloc(5 + 512 * 1024, 0x61);
    one[0] = 0x58;
    one.writeUInt32LE(512 * 1024, 1);
    const parts = [Buffer.from([0x80, 0x02])];
    for (let i = 0; i < 48; i++) parts.push(one);
    parts.push(Buffer.from([0x2e]));
    const report = scan(new Uint8Array(Buffer.concat(parts)), 8 * MB);
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings.map((f) => f.message).join('\n')).toContain('memory budget exhausted');
  });

  it('the ceiling is the start plus the budget, never above the isolate cap; readings', () => {
    // Vitest runs this file outside a resource-limited worker: the cap is 60% of the heap limit.
    const cap = Math.floor(getHeapStatistics().heap_size_limit * 0.6);
    expect(heapCeiling(1000)).toBe(Math.min(1000 + MAIN_HEAP_BUDGET, cap));
    expect(heapCeiling(1000, 5)).toBe(1005);
    expect(heapCeiling(cap - 9 * MB, 16 * MB)).toBe(cap);
    expect(heapCeiling(cap + 1, 16 * MB)).toBe(cap + 1 + 8 * MB);
    expect(heapStart()).toBeGreaterThan(0);
    expect(new HeapBudget(heapStart()).check()).toBe('under');
    // A base that counted garbage shrinks to the live heap after the collection an over-reading makes.
    const b = new HeapBudget(Number.MAX_SAFE_INTEGER / 2, 1);
    b.limit = 0;
    expect(b.check()).toBe('collected');
    expect(b.allowed).toBe(1);
  });
});
