import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { BufferSource } from '../source/byte-source.js';
import { P } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { makeZip } from '../test-support/zip-builder.js';
import { DEFAULT_FILE_OPTIONS, scanSource, type FileScanOptions } from './scan-file.js';

const GiB = 1024 * 1024 * 1024;

function scanWith(
  bytes: Uint8Array,
  name: string,
  overrides: Partial<FileScanOptions>,
): ReturnType<typeof scanSource> {
  const options: FileScanOptions = { ...DEFAULT_FILE_OPTIONS, policy: new Policy(), ...overrides };
  return scanSource(new BufferSource(bytes), name, createHash('sha256').update(bytes).digest('hex'), options);
}

describe('budgets: bombs and deep nesting end inconclusive, never clean', () => {
  it('a 10 GB zip bomb declared in a Zip64 central directory', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bytes = makeZip([
      { name: 'archive/data/0', data: zeros, method: 8, declaredSize: 10 * GiB },
      { name: 'weights.bin', data: zeros, method: 8, declaredSize: 10 * GiB },
    ]);
    expect(bytes.length).toBeLessThan(100_000);
    const report = scanBytes(bytes, 'bomb.zip');
    expect(report.verdict).toBe('inconclusive');
    expect(rules(report)).toContain('AG-MODEL-ZIP-BOMB');
  });

  it('a member that inflates far past the size it declares', () => {
    const data = new Uint8Array(32 * 1024 * 1024);
    const bytes = makeZip([{ name: 'model.pkl', data, method: 8, declaredSize: 1000 }]);
    const report = scanBytes(bytes, 'liar.zip');
    expect(report.verdict).toBe('inconclusive');
    expect(rules(report)).toContain('AG-MODEL-ZIP-BOMB');
  });

  it('a gzip stream larger than the decompression budget', () => {
    const bytes = Uint8Array.from(gzipSync(new Uint8Array(4 * 1024 * 1024)));
    const report = scanWith(bytes, 'x.pkl.gz', { maxMemberInflate: 1024 * 1024 });
    expect(report.verdict).toBe('inconclusive');
  });

  it('a 1,000-deep nested archive', () => {
    let inner: Uint8Array = P().proto(4).emptyList().stop().done();
    for (let i = 0; i < 1000; i++) inner = makeZip([{ name: `level${String(i)}.zip`, data: inner }]);
    const report = scanBytes(inner, 'deep.zip');
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings.some((f) => f.message.includes('nested deeper'))).toBe(true);
  });

  it('the opcode limit makes a huge pickle inconclusive, not malicious', () => {
    const b = P().proto(4);
    for (let i = 0; i < 300_000; i++) b.none().pop();
    const report = scanWith(b.none().stop().done(), 'big.pkl', {
      limits: { ...DEFAULT_FILE_OPTIONS.limits, maxOpcodes: 100_000 },
    });
    expect(report.verdict).toBe('inconclusive');
  });

  it('the memo limit makes a memo flood inconclusive', () => {
    const b = P().proto(4).none();
    for (let i = 0; i < 2000; i++) b.memoize();
    const report = scanWith(b.stop().done(), 'memo.pkl', {
      limits: { ...DEFAULT_FILE_OPTIONS.limits, maxMemo: 1000 },
    });
    expect(report.verdict).toBe('inconclusive');
  });

  it('the stack limit makes a stack flood inconclusive', () => {
    const b = P().proto(4);
    for (let i = 0; i < 5000; i++) b.none();
    const report = scanWith(b.stop().done(), 'stack.pkl', {
      limits: { ...DEFAULT_FILE_OPTIONS.limits, maxStack: 1000 },
    });
    expect(report.verdict).toBe('inconclusive');
  });

  it('a nesting limit on pickles inside pickles', () => {
    let payload: Uint8Array = P()
      .proto(4)
      .stackGlobal('os', 'system')
      .str('id')
      .tuple1()
      .reduce()
      .stop()
      .done();
    for (let i = 0; i < 6; i++)
      payload = P().proto(4).stackGlobal('pickle', 'loads').bytes(payload).tuple1().reduce().stop().done();
    const report = scanBytes(payload, 'nested.pkl');
    expect(report.verdict).not.toBe('clean');
    expect(report.findings.some((f) => f.message.includes('levels deep'))).toBe(true);
  });
});
