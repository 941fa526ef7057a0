import { statSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';

/**
 * Files at least this large, scanned on the main thread with a policy that does not depend on the digest,
 * are hashed on a helper thread while the scan runs (a worker starts in ~30-40 ms; sha256 runs at ~1.5 GB/s).
 */
export const HASH_OFF_THREAD_MIN = 8 * 1024 * 1024;

// The helper reads the file in 1 MiB chunks, writes the 32-byte digest into shared memory and wakes the
// waiting thread. CommonJS source: an eval worker is not a module, and this works from TypeScript sources too.
const HASHER = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 1);
const digest = new Uint8Array(workerData.shared, 4, 32);
let status = 2;
try {
  const hash = createHash('sha256');
  const fd = openSync(workerData.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  digest.set(hash.digest());
  status = 1;
} finally {
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}
`;

/** A sha256 computed on another thread; `digest()` waits for it (synchronously). */
export interface PendingDigest {
  /** The lowercase hex digest, or undefined when the helper failed (hash the file inline then). */
  digest(): string | undefined;
}

/**
 * Starts hashing `path` on a helper thread when that can shorten the scan: on the main thread only (a pool
 * worker shares the cores with the other workers already) and for files of HASH_OFF_THREAD_MIN bytes or more.
 * Undefined otherwise, or when no helper could be started.
 */
export function hashOffThread(path: string, minSize = HASH_OFF_THREAD_MIN): PendingDigest | undefined {
  if (!isMainThread) return undefined;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined;
  }
  if (size < minSize) return undefined;
  const shared = new SharedArrayBuffer(4 + 32);
  const state = new Int32Array(shared, 0, 1);
  let worker: Worker;
  try {
    worker = new Worker(HASHER, { eval: true, workerData: { path, shared } });
  } catch {
    return undefined;
  }
  // A failed start (or a crash) before the status is written must not leave the waiter blocked.
  const fail = (): void => {
    if (Atomics.compareExchange(state, 0, 0, 2) === 0) Atomics.notify(state, 0);
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  worker.unref();
  // The 'error'/'exit' events need the event loop, which a synchronous wait blocks: a helper that dies
  // without writing its status is caught by a bounded wait instead (1 s plus 20 ms a MB, ~13x the time
  // the hash takes on a busy core), after which the caller hashes inline: slower, never wrong.
  const waitMs = 1000 + Math.ceil(size / 50_000);
  return {
    digest(): string | undefined {
      Atomics.wait(state, 0, 0, waitMs);
      if (Atomics.load(state, 0) !== 1) {
        void worker.terminate();
        return undefined;
      }
      return Buffer.from(new Uint8Array(shared, 4, 32)).toString('hex');
    },
  };
}
