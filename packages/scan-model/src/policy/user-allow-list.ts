import { readFile } from 'node:fs/promises';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import type { Policy } from './policy.js';

/** The user's allow-list file (`--allow-list`): globals allowed in files with the given sha256 digests. */
export interface UserAllowList {
  readonly version: 1;
  readonly entries: ReadonlyArray<{
    readonly global: string;
    readonly sha256: readonly string[];
    readonly reason: string;
  }>;
}

/** Globals the user allows for one file, by that file's sha256. */
export function allowedFor(list: UserAllowList | undefined, sha256: string): Set<string> {
  const out = new Set<string>();
  if (!list) return out;
  for (const e of list.entries) if (e.sha256.includes(sha256)) out.add(e.global);
  return out;
}

/**
 * The policy of each file: `base` itself when no allow-list entry can apply (the file's digest is then not
 * needed before the scan), else a function of the file's sha256.
 */
export function policyByDigest(
  base: Policy,
  list: UserAllowList | undefined,
): Policy | ((sha256: string) => Policy) {
  if (list === undefined || list.entries.length === 0) return base;
  return (sha256) => base.withExtraAllowed(allowedFor(list, sha256));
}

export async function loadUserAllowList(path: string): Promise<UserAllowList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read allow-list ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        exitCode: ExitCode.Usage,
        hint: 'check the --allow-list path',
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AtlasGuardError(
      `allow-list is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        exitCode: ExitCode.Usage,
        position: { file: path, line: 1, column: 1 },
        hint: 'see docs/scan-model.md for the allow-list format',
      },
    );
  }
  // The schema (and zod) load only when a list is given: a scan without one starts faster.
  const { userAllowListSchema } = await import('./user-allow-list-schema.js');
  const parsed = userAllowListSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `invalid allow-list: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'}`,
      {
        exitCode: ExitCode.Usage,
        position: { file: path, line: 1, column: 1 },
        hint: 'entries are { "global": "pkg.Name", "sha256": ["<64 hex>"], "reason": "..." } under { "version": 1 }',
      },
    );
  }
  return parsed.data;
}
