import { existsSync, statSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import { Policy } from '../policy/policy.js';
import { policyByDigest, type UserAllowList } from '../policy/user-allow-list.js';
import type { ProfileId } from '../policy/allow-profiles.js';
import { DEFAULT_FILE_OPTIONS, scanFile, type FileScanOptions } from './scan-file.js';
import type { FileReport } from './types.js';

export interface ScanPathsOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly profiles?: readonly ProfileId[];
  readonly allowList?: UserAllowList | undefined;
  readonly timeMs?: number;
  readonly onProgress?: (done: number, total: number, path: string) => void;
  /**
   * Worker threads (default: one per core, at most 2 so that their heaps share WORKER_HEAP_MB). One file is
   * scanned on the calling thread; several always go through workers (even 1), whose heap limits keep the
   * garbage of one file from adding up with the next (`--jobs 1` on the main thread: 337 MB peak RSS on a
   * directory of 7 memo-heavy pickles, 2 workers: under 225 MB).
   */
  readonly workers?: number;
}

export interface ScanPathsResult {
  readonly files: readonly FileReport[];
  readonly skipped: readonly string[];
}

/** Expands paths (directories recursively, every file whatever its extension), sorted for stable output. */
export async function expandPaths(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  const visit = async (abs: string, depth: number): Promise<void> => {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) {
      skipped.push(abs);
      return;
    }
    if (st.isDirectory()) {
      if (depth > 64) {
        skipped.push(abs);
        return;
      }
      const names = (await readdir(abs)).sort();
      for (const n of names) await visit(join(abs, n), depth + 1);
      return;
    }
    if (st.isFile()) files.push(abs);
    else skipped.push(abs);
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    try {
      await visit(abs, 0);
    } catch (error) {
      throw new AtlasGuardError(
        `cannot read ${p}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        {
          exitCode: ExitCode.Error,
          position: { file: p },
          hint: 'check that the path exists and is readable',
        },
      );
    }
  }
  return { files, skipped };
}

function display(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel.split(sep).join('/');
}

/** Scans files and directories; one report per file, in path order. */
export async function scanPaths(options: ScanPathsOptions): Promise<ScanPathsResult> {
  const { files, skipped } = await expandPaths(options.paths, options.cwd);
  const jobs = files.map((abs, index) => ({ index, abs, shown: display(abs, options.cwd) }));
  const workers = options.workers ?? defaultWorkers(jobs.length);
  const reports =
    jobs.length > 1 && workerScript() !== undefined
      ? await scanInWorkers(jobs, workers, options)
      : scanInline(jobs, options);
  options.onProgress?.(files.length, files.length, '');
  return { files: reports, skipped: skipped.map((s) => display(s, options.cwd)) };
}

export interface Job {
  readonly index: number;
  readonly abs: string;
  readonly shown: string;
}

/** One per core, at most as many as the shared heap allows (WORKER_HEAP_MB / 64 MB each: 2). */
function defaultWorkers(files: number): number {
  return Math.max(
    1,
    Math.min(availableParallelism(), files, Math.floor(WORKER_HEAP_MB / MIN_WORKER_HEAP_MB)),
  );
}

/** The compiled worker next to this module; undefined when running from TypeScript sources (tests). */
function workerScript(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

function scanInline(jobs: readonly Job[], options: ScanPathsOptions): FileReport[] {
  const base = new Policy(options.profiles ? { profiles: options.profiles } : {});
  const fileOptions: FileScanOptions = {
    ...DEFAULT_FILE_OPTIONS,
    limits: {
      ...DEFAULT_FILE_OPTIONS.limits,
      ...(options.timeMs !== undefined ? { timeMs: options.timeMs } : {}),
    },
    policy: base,
  };
  const policy = policyByDigest(base, options.allowList);
  const reports: FileReport[] = [];
  for (const job of jobs) {
    options.onProgress?.(job.index, jobs.length, job.shown);
    reports.push(scanFile(job.abs, job.shown, fileOptions, policy));
  }
  return reports;
}

/** A pool of worker threads, one file at a time each; results are put back in path order. */
async function scanInWorkers(
  jobs: readonly Job[],
  count: number,
  options: ScanPathsOptions,
): Promise<FileReport[]> {
  const script = workerScript();
  if (script === undefined) return scanInline(jobs, options);
  const setup = { profiles: options.profiles, allowList: options.allowList, timeMs: options.timeMs };
  const oldMb = workerHeapMb(count);
  // The old generation is the worker's share of WORKER_HEAP_MB; the pickle VM stops as inconclusive when a
  // third of it is live (heap-guard.ts), and a worker that dies anyway loses only its file. The young
  // generation is 16 MB: since the memo keeps only what is fetched again, most values die young, and a 4 MB
  // nursery promoted them (50 MB dense dict in a worker: 4 MB 850-980 ms, 16 MB 410-540 ms, at the same
  // 110-120 MB RSS; 8-12 MB: the dense directory 1.3-1.5 -> 2.4-2.8 s of CPU).
  const start = (): Worker =>
    new Worker(script, {
      workerData: setup,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: oldMb },
    });
  // Large files all go to one worker: what they leave in a heap (live values up to a third of it, garbage up
  // to its limit, read windows) then stays in one worker instead of every worker.
  const sizes = jobs.map((job) => {
    try {
      return statSync(job.abs).size;
    } catch {
      return 0;
    }
  });
  return runWorkerPool(jobs, count, start, {
    heavy: (job) => (sizes[job.index] ?? 0) >= HEAVY_BYTES,
    onProgress: options.onProgress,
    crashed: (job, error) =>
      unscannedReport(
        job,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the scan ran out of its memory budget (${String(oldMb)} MB per worker thread)`
          : `worker error: ${error.message}`,
      ),
  });
}

/**
 * Old-generation heap (MB) shared by the workers of one scan. What a scan may keep is a third of a worker's
 * share; the rest is room for garbage between V8's collections (with 32 MB each, workers scanning pickles
 * built to exhaust memory died out of memory before the VM's check stopped them). Measured with the main
 * thread (docs/benchmarks/scan-model.md, run 6): 2 workers on 4 such pickles and 3 dense ones in one
 * directory, 180-184 MB RSS.
 */
export const WORKER_HEAP_MB = 128;
const MIN_WORKER_HEAP_MB = 64;

/** Each worker's share of WORKER_HEAP_MB (never below MIN_WORKER_HEAP_MB). */
export function workerHeapMb(count: number): number {
  return Math.max(MIN_WORKER_HEAP_MB, Math.floor(WORKER_HEAP_MB / Math.max(1, count)));
}

/** What a worker posts back for a job. */
export interface WorkerReply {
  readonly index: number;
  readonly report?: FileReport;
  readonly error?: string;
}

/**
 * Feeds jobs to `count` workers made by `start`, one at a time each, in path order. `heavy` jobs all go to
 * one worker (the first; its replacement if it dies), which takes light ones when no heavy job is left; the
 * others take only light jobs. A worker that dies (out of memory, a crash) yields `crashed(job)` for the job
 * it held and is replaced; the others carry on.
 */
export async function runWorkerPool(
  jobs: readonly Job[],
  count: number,
  start: () => Worker,
  handlers: {
    readonly onProgress?: ((done: number, total: number, path: string) => void) | undefined;
    readonly crashed: (job: Job, error: Error & { code?: string }) => FileReport;
    readonly heavy?: (job: Job) => boolean;
  },
): Promise<FileReport[]> {
  const results: Array<FileReport | undefined> = new Array<FileReport | undefined>(jobs.length);
  const live = new Set<Worker>();
  const isHeavy = (job: Job): boolean => handlers.heavy?.(job) === true;
  const heavyQueue = jobs.filter(isHeavy);
  const lightQueue = jobs.filter((job) => !isHeavy(job));
  let nextHeavy = 0;
  let nextLight = 0;
  let heavyLane: Worker | undefined;
  let done = 0;
  const left = (): boolean => nextHeavy < heavyQueue.length || nextLight < lightQueue.length;
  try {
    await new Promise<void>((resolvePool) => {
      if (jobs.length === 0) {
        resolvePool();
        return;
      }
      const finish = (job: Job | undefined, report: FileReport): void => {
        if (job) results[job.index] = report;
        done++;
        handlers.onProgress?.(done, jobs.length, job?.shown ?? '');
        if (done === jobs.length) resolvePool();
      };
      const spawn = (): void => {
        const w = start();
        live.add(w);
        heavyLane ??= w;
        let current: Job | undefined;
        let gone = false;
        const feed = (): void => {
          if (gone) return;
          current =
            w === heavyLane && nextHeavy < heavyQueue.length
              ? heavyQueue[nextHeavy++]
              : lightQueue[nextLight++];
          if (current) w.postMessage(current);
        };
        w.on('message', (msg: WorkerReply) => {
          const job = jobs[msg.index];
          current = undefined;
          finish(
            job,
            msg.report ??
              unscannedReport(job ?? { index: msg.index, abs: '', shown: '' }, msg.error ?? 'worker error'),
          );
          feed();
        });
        const lost = (error: Error & { code?: string }): void => {
          if (gone) return;
          gone = true;
          live.delete(w);
          if (heavyLane === w) heavyLane = undefined;
          const job = current;
          current = undefined;
          if (job) finish(job, handlers.crashed(job, error));
          // A replacement when jobs are left, or when the heavy lane is gone with heavy jobs still queued.
          if (left()) spawn();
        };
        w.on('error', lost);
        // A worker that exits on its own (process.exit in a dependency, a native abort) loses its job too.
        w.on('exit', (code) => {
          lost(new Error(`worker exited with code ${String(code)}`));
        });
        feed();
      };
      for (let i = 0; i < Math.min(count, jobs.length); i++) spawn();
    });
  } finally {
    await Promise.all([...live].map((w) => w.terminate()));
  }
  return results.map(
    (r, i) => r ?? unscannedReport(jobs[i] ?? { index: i, abs: '', shown: '' }, 'not scanned'),
  );
}

const YOUNG_MB = 16;
/** Files from this size up all go to one worker of the pool. */
export const HEAVY_BYTES = 8 * 1024 * 1024;

/** The report of a file that could not be scanned (a worker died, an error): inconclusive, with the reason. */
export function unscannedReport(job: Job, message: string): FileReport {
  return {
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
        atlas: { techniques: ['AML.T0010.003'], mitigations: ['AML.M0014'] },
        location: { path: job.shown },
        message: `scanner error: ${message}`,
      },
    ],
  };
}
