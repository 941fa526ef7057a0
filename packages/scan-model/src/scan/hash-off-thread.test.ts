import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { HASH_OFF_THREAD_MIN, hashOffThread } from './hash-off-thread.js';
import { DEFAULT_FILE_OPTIONS, scanFile } from './scan-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ag-hash-off-thread-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const digestOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A pickle of HASH_OFF_THREAD_MIN bytes or more: PROTO 4, BINBYTES of `n` pseudo-random bytes, os.system call. */
function largePickle(n: number): Buffer {
  const body = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    body[i] = x & 0xff;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(n);
  return Buffer.concat([
    Buffer.from([0x80, 0x04, 0x42]),
    len,
    body,
    Buffer.from([0x30]), // POP
    Buffer.from('cos\nsystem\n', 'latin1'),
    Buffer.from([0x8c, 0x02]),
    Buffer.from('id', 'latin1'),
    Buffer.from([0x85, 0x52, 0x2e]), // TUPLE1 REDUCE STOP
  ]);
}

describe('sha256 on a helper thread', () => {
  it('is the digest of the file, whatever its size around the read chunk', () => {
    expect(isMainThread).toBe(true);
    for (const n of [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12_345]) {
      const bytes = largePickle(n);
      const path = join(dir, `h${String(n)}.pkl`);
      writeFileSync(path, bytes);
      const pending = hashOffThread(path, 0);
      expect(pending).toBeDefined();
      expect(pending?.digest()).toBe(digestOf(bytes));
    }
  });

  it('is not started for small files or missing ones', () => {
    const path = join(dir, 'small.pkl');
    writeFileSync(path, largePickle(10));
    expect(hashOffThread(path)).toBeUndefined();
    expect(hashOffThread(join(dir, 'missing.pkl'), 0)).toBeUndefined();
  });

  it('gives scanFile the same report as hashing first (a large file, policy fixed or by digest)', () => {
    const bytes = largePickle(HASH_OFF_THREAD_MIN + 4096);
    const path = join(dir, 'large.pkl');
    writeFileSync(path, bytes);
    const policy = new Policy();
    const options = { ...DEFAULT_FILE_OPTIONS, policy };
    const offThread = scanFile(path, 'large.pkl', options, policy);
    let seen = '';
    const first = scanFile(path, 'large.pkl', options, (sha) => {
      seen = sha;
      return policy;
    });
    expect(seen).toBe(digestOf(bytes));
    expect(offThread).toEqual(first);
    expect(offThread.sha256).toBe(digestOf(bytes));
    expect(offThread.verdict).toBe('malicious');
  });
});
