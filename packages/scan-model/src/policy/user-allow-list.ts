import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';

const entrySchema = z
  .object({
    global: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'a dotted name such as mypkg.models.Net'),
    sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest')).min(1),
    reason: z.string().min(1),
  })
  .strict();

export const userAllowListSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(entrySchema),
  })
  .strict();
export type UserAllowList = z.infer<typeof userAllowListSchema>;

/** Globals the user allows for one file, by that file's sha256. */
export function allowedFor(list: UserAllowList | undefined, sha256: string): Set<string> {
  const out = new Set<string>();
  if (!list) return out;
  for (const e of list.entries) if (e.sha256.includes(sha256)) out.add(e.global);
  return out;
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
