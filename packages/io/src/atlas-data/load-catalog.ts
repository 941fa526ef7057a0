import { resolve } from 'node:path';
import type { Catalog } from '@atlasguard/core/atlas';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import { cacheDir } from './cache-dir.js';
import { catalogFromBytes } from './catalog-source.js';
import { CacheWriteError, downloadAndStore } from './fetch-release.js';
import { NetworkUnavailableError, type FetchLike } from './download.js';
import { readAtlasFile } from './read-local.js';
import {
  cachedVersions,
  currentVersion,
  isProblem,
  readCachedRelease,
  type CachedRelease,
  type ReleaseProblem,
} from './release-store.js';
import {
  KNOWN_DIGESTS,
  PINNED_VERSION,
  compareVersions,
  isOffline,
  isReleaseVersion,
  normalizeVersion,
} from './releases.js';

export interface LoadCatalogOptions {
  /** `--atlas-data PATH` */
  atlasData?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Used for the download of the pinned release; defaults to the global fetch. */
  fetch?: FetchLike;
  /** Notes for the user (download progress, skipped cache entries); the CLI sends them to stderr. */
  log?: (message: string) => void;
}

export type CatalogOrigin = 'flag' | 'env' | 'cache' | 'download';

export interface LoadedCatalog {
  catalog: Catalog;
  /** Where the data came from: a path, or the URL it was downloaded from. */
  source: string;
  origin: CatalogOrigin;
  sha256: string;
  /** The digest is that of the official release of this version. */
  official: boolean;
  /** The parsed catalog came from the cache: no YAML was parsed. */
  warm: boolean;
  /** The user cache directory in use. */
  cacheDir: string;
}

const THREE_WAYS =
  'supply ATLAS data in one of three ways: (1) pass --atlas-data PATH to an ATLAS.yaml; (2) set ATLAS_DATA=PATH; ' +
  '(3) run `atlasguard kb update` while online to fill the cache (offline: `atlasguard kb update --from FILE`)';

function loaded(
  built: { catalog: Catalog; sha256: string; warm: boolean },
  source: string,
  origin: CatalogOrigin,
  cache: string,
): LoadedCatalog {
  return {
    ...built,
    source,
    origin,
    official: KNOWN_DIGESTS[built.catalog.version] === built.sha256,
    cacheDir: cache,
  };
}

/** The release the cache supplies: the one `kb update` selected, else the pinned one, else the newest. */
async function fromCache(cache: string, log: (m: string) => void): Promise<CachedRelease | undefined> {
  const current = await currentVersion(cache);
  const candidates = [...new Set([current, PINNED_VERSION, ...(await cachedVersions(cache)).reverse()])];
  for (const version of candidates) {
    if (version === undefined) continue;
    const release = await readCachedRelease(cache, version);
    if (release === undefined) continue;
    if (isProblem(release)) {
      log(`skipping cached ATLAS ${release.version}: ${release.problem}`);
      continue;
    }
    return release;
  }
  return undefined;
}

/**
 * Resolves the ATLAS data in the documented order — `--atlas-data`, `ATLAS_DATA`, the user cache, a verified
 * download of the pinned release — and loads it, through the parsed-catalog cache.
 */
export async function loadCatalog(options: LoadCatalogOptions): Promise<LoadedCatalog> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((): void => undefined);
  const cache = cacheDir(options.env);
  const fromEnv = options.env.ATLAS_DATA;
  const explicit =
    options.atlasData !== undefined
      ? { path: options.atlasData, origin: 'flag' as const, hint: 'check the --atlas-data path' }
      : fromEnv !== undefined && fromEnv !== ''
        ? {
            path: fromEnv,
            origin: 'env' as const,
            hint: 'check the ATLAS_DATA path, or unset it to use the cache',
          }
        : undefined;
  if (explicit) {
    const path = resolve(cwd, explicit.path);
    const bytes = await readAtlasFile(path, explicit.hint);
    return loaded(await catalogFromBytes(bytes, path, cache), path, explicit.origin, cache);
  }

  const release = await fromCache(cache, log);
  if (release) {
    return loaded(await catalogFromBytes(release.bytes, release.path, cache), release.path, 'cache', cache);
  }

  let reason: string;
  if (isOffline(options.env)) {
    reason = 'downloading is off (ATLASGUARD_OFFLINE is set)';
  } else {
    try {
      const fetched = await downloadAndStore({
        cache,
        version: PINNED_VERSION,
        env: options.env,
        fetch: options.fetch ?? fetch,
        log,
        activate: true,
      });
      return loaded(fetched.built, fetched.url, 'download', cache);
    } catch (error) {
      // Verified but not cached (read-only home, full disk): use it now, download again next time.
      if (error instanceof CacheWriteError) {
        log(`${error.message}; using the downloaded release without caching it`);
        return loaded(error.built, error.url, 'download', cache);
      }
      if (!(error instanceof NetworkUnavailableError)) throw error;
      reason = `downloading ATLAS ${PINNED_VERSION} failed (${error.message})`;
    }
  }
  throw new AtlasGuardError(
    `no ATLAS data: --atlas-data was not given, ATLAS_DATA is not set, the cache (${cache}) holds no release, and ${reason}`,
    { exitCode: ExitCode.Error, hint: THREE_WAYS },
  );
}

export interface LoadSpecOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * A catalog named on the command line: a path to an ATLAS.yaml, or a release version held in the cache
 * (`5.5.0`, `v5.5.0`). Used by `kb diff OLD NEW`.
 */
export async function loadCatalogSpec(spec: string, options: LoadSpecOptions): Promise<LoadedCatalog> {
  const cache = cacheDir(options.env);
  const path = resolve(options.cwd ?? process.cwd(), spec);
  if (isReleaseVersion(spec) && !/[/\\]/.test(spec)) {
    const version = normalizeVersion(spec);
    const release: CachedRelease | ReleaseProblem | undefined = await readCachedRelease(cache, version);
    if (release !== undefined && !isProblem(release)) {
      return loaded(await catalogFromBytes(release.bytes, release.path, cache), release.path, 'cache', cache);
    }
    const present = (await cachedVersions(cache)).sort(compareVersions);
    throw new AtlasGuardError(
      release === undefined
        ? `ATLAS ${version} is not in the cache (${cache})`
        : `cached ATLAS ${version} is unusable: ${release.problem}`,
      {
        hint: `run \`atlasguard kb update --version ${version} --fetch-only\`, or give a path to an ATLAS.yaml${
          present.length > 0 ? `; cached: ${present.join(', ')}` : ''
        }`,
      },
    );
  }
  const bytes = await readAtlasFile(
    path,
    'give a path to an ATLAS.yaml or a release version held in the cache',
  );
  return loaded(await catalogFromBytes(bytes, path, cache), path, 'flag', cache);
}
