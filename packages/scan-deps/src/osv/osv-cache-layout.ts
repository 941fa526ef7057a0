import { join, resolve } from 'node:path';
import { cacheDir } from '@atlasguard/io';
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

/** `--cache-dir`, else the user cache shared by every command (`$ATLASGUARD_CACHE_DIR`, XDG, `~/.cache`). */
export function resolveCacheDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag !== undefined && flag !== '') return resolve(cwd, flag);
  return cacheDir(env);
}

export const osvExportPath = (cacheDir: string, ecosystem: string): string =>
  join(cacheDir, 'osv', ecosystem, 'all.zip');
export const osvMetaPath = (cacheDir: string, ecosystem: string): string =>
  join(cacheDir, 'osv', ecosystem, 'meta.json');
export const osvIndexPath = (cacheDir: string, digest: string): string =>
  join(cacheDir, 'osv-index', `${digest}.json`);
