import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
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

/** Scans files and directories; one report per file. */
export async function scanPaths(options: ScanPathsOptions): Promise<ScanPathsResult> {
  const { files, skipped } = await expandPaths(options.paths, options.cwd);
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
  for (const [i, abs] of files.entries()) {
    const shown = display(abs, options.cwd);
    options.onProgress?.(i, files.length, shown);
    reports.push(
      scanFile(abs, shown, fileOptions, (sha) => base.withExtraAllowed(allowedFor(options.allowList, sha))),
    );
  }
  options.onProgress?.(files.length, files.length, '');
  return { files: reports, skipped: skipped.map((s) => display(s, options.cwd)) };
}
