import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The ecosystems `osv sync` downloads. */
export const SYNC_ECOSYSTEMS = ['PyPI', 'npm'] as const;
export type SyncEcosystem = (typeof SYNC_ECOSYSTEMS)[number];

/** Provenance written next to each downloaded export. */
export const syncMetaSchema = z.object({
  ecosystem: z.string(),
  url: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  fetchedAt: z.string(),
  entries: z.number().int().nonnegative(),
});
export type SyncMeta = z.infer<typeof syncMetaSchema>;

/** `--cache-dir`, else `$ATLASGUARD_CACHE`, else `$XDG_CACHE_HOME/atlasguard`, else `~/.cache/atlasguard`. */
export function resolveCacheDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag !== undefined && flag !== '') return resolve(cwd, flag);
  if (env.ATLASGUARD_CACHE) return resolve(cwd, env.ATLASGUARD_CACHE);
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'atlasguard');
  return join(homedir(), '.cache', 'atlasguard');
}

export const osvExportPath = (cacheDir: string, ecosystem: string): string =>
  join(cacheDir, 'osv', ecosystem, 'all.zip');
export const osvMetaPath = (cacheDir: string, ecosystem: string): string =>
  join(cacheDir, 'osv', ecosystem, 'meta.json');
export const osvIndexPath = (cacheDir: string, digest: string): string =>
  join(cacheDir, 'osv-index', `${digest}.json`);
