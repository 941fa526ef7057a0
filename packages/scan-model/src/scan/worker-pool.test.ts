import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runWorkerPool, workerHeapMb, WORKER_HEAP_MB, type Job } from './scan-paths.js';
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
  parentPort.postMessage({ index: job.index, report: { path: job.shown, sha256: '', size: 0, format: 'pickle', verdict: 'clean', findings: [] } });
});
`;

const start = (): Worker =>
  new Worker(STAND_IN, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16 } });

const jobsOf = (names: string[]): Job[] => names.map((abs, index) => ({ index, abs, shown: abs }));

const crashed = (job: Job, error: Error & { code?: string }): FileReport => ({
  path: job.shown,
  sha256: '',
  size: 0,
  format: 'unknown',
  verdict: 'inconclusive',
  findings: [
    {
      ruleId: 'AG-MODEL-INCONCLUSIVE',
      title: 'Scan incomplete',
      severity: 'low',
      element: 'model',
      atlas: { techniques: [], mitigations: [] },
      location: { path: job.shown },
      message: error.code ?? error.message,
    },
  ],
});

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
    expect(reports[2]?.findings[0]?.message).toBe('ERR_WORKER_OUT_OF_MEMORY');
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
    expect(reports[0]?.findings[0]?.message).toBe('worker exited with code 3');
    expect(await runWorkerPool([], 2, start, { crashed })).toEqual([]);
  }, 30_000);

  it('workers share the heap budget, each at least 64 MB', () => {
    expect(workerHeapMb(1)).toBe(WORKER_HEAP_MB);
    expect(workerHeapMb(2)).toBe(64);
    expect(workerHeapMb(3)).toBe(64);
    expect(workerHeapMb(8)).toBe(64);
  });
});
