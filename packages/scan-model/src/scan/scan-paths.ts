import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import { Policy } from '../policy/policy.js';
import { allowedFor, type UserAllowList } from '../policy/user-allow-list.js';
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
  /** Worker threads (default: one per core, at most 8; 1 = scan on the calling thread). */
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
    workers > 1 && workerScript() !== undefined
      ? await scanInWorkers(jobs, workers, options)
      : scanInline(jobs, options);
  options.onProgress?.(files.length, files.length, '');
  return { files: reports, skipped: skipped.map((s) => display(s, options.cwd)) };
}

interface Job {
  readonly index: number;
  readonly abs: string;
  readonly shown: string;
}

function defaultWorkers(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), files, 8));
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
  const reports: FileReport[] = [];
  for (const job of jobs) {
    options.onProgress?.(job.index, jobs.length, job.shown);
    reports.push(
      scanFile(job.abs, job.shown, fileOptions, (sha) =>
        base.withExtraAllowed(allowedFor(options.allowList, sha)),
      ),
    );
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
  const results: Array<FileReport | undefined> = new Array<FileReport | undefined>(jobs.length);
  let next = 0;
  let done = 0;
  // A small young generation: scanners keep what they build (the pickle memo), so a large nursery only
  // copies survivors more and raises the peak RSS (dense dict: ~20 MB less, no slower).
  const pool = Array.from(
    { length: count },
    () => new Worker(script, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } }),
  );
  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      const feed = (w: Worker): void => {
        const job = jobs[next++];
        if (job) w.postMessage(job);
      };
      for (const w of pool) {
        w.on('message', (msg: { index: number; report?: FileReport; error?: string }) => {
          const job = jobs[msg.index];
          if (msg.report) results[msg.index] = msg.report;
          else if (job) results[msg.index] = failed(job, msg.error ?? 'worker error');
          done++;
          options.onProgress?.(done, jobs.length, job?.shown ?? '');
          if (done === jobs.length) resolvePool();
          else feed(w);
        });
        w.on('error', rejectPool);
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results.map((r, i) => r ?? failed(jobs[i] ?? { index: i, abs: '', shown: '' }, 'not scanned'));
}

const YOUNG_MB = 4;

function failed(job: Job, message: string): FileReport {
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
