// Worker-thread entry: scans the files it is sent, one message per file. Loaded only from the built package.
import { parentPort, workerData } from 'node:worker_threads';
import { Policy } from '../policy/policy.js';
import { policyByDigest, type UserAllowList } from '../policy/user-allow-list.js';
import type { ProfileId } from '../policy/allow-profiles.js';
import { DEFAULT_FILE_OPTIONS, scanFile, type FileScanOptions } from './scan-file.js';

export interface WorkerSetup {
  readonly profiles: readonly ProfileId[] | undefined;
  readonly allowList: UserAllowList | undefined;
  readonly timeMs: number | undefined;
}

export interface WorkerJob {
  readonly index: number;
  readonly abs: string;
  readonly shown: string;
}

const setup = workerData as WorkerSetup;
const base = new Policy(setup.profiles ? { profiles: setup.profiles } : {});
const options: FileScanOptions = {
  ...DEFAULT_FILE_OPTIONS,
  limits: { ...DEFAULT_FILE_OPTIONS.limits, ...(setup.timeMs !== undefined ? { timeMs: setup.timeMs } : {}) },
  policy: base,
};
const policy = policyByDigest(base, setup.allowList);

parentPort?.on('message', (job: WorkerJob) => {
  try {
    const report = scanFile(job.abs, job.shown, options, policy);
    parentPort?.postMessage({ index: job.index, report });
  } catch (error) {
    parentPort?.postMessage({
      index: job.index,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
