import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { unscannedReport, runWorkerPool, workerHeapMb, WORKER_HEAP_MB, type Job } from './scan-paths.js';
import type { FileReport } from './types.js';

// A stand-in worker (plain JavaScript, evaluated): answers each job with a clean report, except the job
// named "hog", for which it keeps allocating until its heap limit kills it.
const STAND_IN = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (job) => {
  if (job.abs === 'hog') {
    const keep = [];
    for (;;) keep.push(new Array(100000).fill(job.index));
  }
  if (job.abs === 'exit') process.exit(3);
  // The format field carries the worker's thread id.
  const format = String(require('node:worker_threads').threadId);
  parentPort.postMessage({ index: job.index, report: { path: job.shown, sha256: '', size: 0, format, verdict: 'clean', findings: [] } });
});
`;

const start = (): Worker =>
  new Worker(STAND_IN, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16 } });

const jobsOf = (names: string[]): Job[] => names.map((abs, index) => ({ index, abs, shown: abs }));

const crashed = (job: Job, error: Error & { code?: string }): FileReport =>
  unscannedReport(job, error.code ?? error.message);

describe('worker pool', () => {
  it('a worker that runs out of heap loses only its file (inconclusive); a new worker takes the rest', async () => {
    const names = ['a', 'b', 'hog', 'c', 'd', 'e'];
    const progress: number[] = [];
    const reports = await runWorkerPool(jobsOf(names), 2, start, {
      onProgress: (done) => progress.push(done),
      crashed,
    });
    expect(reports.map((r) => `${r.path}:${r.verdict}`)).toEqual([
      'a:clean',
      'b:clean',
      'hog:inconclusive',
      'c:clean',
      'd:clean',
      'e:clean',
    ]);
    expect(reports[2]?.findings[0]?.message).toBe('scanner error: ERR_WORKER_OUT_OF_MEMORY');
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  }, 30_000);

  it('a worker that exits on its own loses its file too, and the pool still finishes', async () => {
    const reports = await runWorkerPool(jobsOf(['exit', 'a', 'exit', 'b']), 1, start, { crashed });
    expect(reports.map((r) => `${r.path}:${r.verdict}`)).toEqual([
      'exit:inconclusive',
      'a:clean',
      'exit:inconclusive',
      'b:clean',
    ]);
    expect(reports[0]?.findings[0]?.message).toBe('scanner error: worker exited with code 3');
    expect(await runWorkerPool([], 2, start, { crashed })).toEqual([]);
  }, 30_000);

  it('heavy jobs all go to one worker, and to its replacement when it dies', async () => {
    const names = ['H1', 'a', 'H2', 'b', 'hog', 'c', 'H3', 'H4', 'd'];
    const reports = await runWorkerPool(jobsOf(names), 2, start, {
      crashed,
      heavy: (job) => job.abs.startsWith('H') || job.abs === 'hog',
    });
    expect(reports.map((r) => r.verdict)).toEqual(names.map((n) => (n === 'hog' ? 'inconclusive' : 'clean')));
    const thread = (name: string): string => reports.find((r) => r.path === name)?.format ?? '';
    // Before the heavy worker died (on "hog") and after: one thread each time, never the light worker's.
    expect(thread('H1')).toBe(thread('H2'));
    expect(thread('H3')).toBe(thread('H4'));
    expect(thread('H3')).not.toBe(thread('H1'));
    // The first lane, the report made for the lost "hog" (no thread), the new lane.
    expect(new Set(['H1', 'H2', 'hog', 'H3', 'H4'].map(thread)).size).toBe(3);
  }, 30_000);

  it('workers share the heap budget, each at least 64 MB', () => {
    expect(workerHeapMb(1)).toBe(WORKER_HEAP_MB);
    expect(workerHeapMb(2)).toBe(64);
    expect(workerHeapMb(3)).toBe(64);
    expect(workerHeapMb(8)).toBe(64);
  });
});
