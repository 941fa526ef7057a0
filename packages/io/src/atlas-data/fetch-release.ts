import { AtlasGuardError } from '@atlasguard/core/errors';
import { catalogFromBytes, type BuiltCatalog } from './catalog-source.js';
import { sha256Hex } from './digest.js';
import { downloadBounded, NetworkUnavailableError, type FetchLike } from './download.js';
import { DOWNLOAD_TIMEOUT_MS, MAX_DOWNLOAD_BYTES } from './limits.js';
import { readAtlasFile } from './read-local.js';
import {
  isProblem,
  readCachedRelease,
  setCurrentVersion,
  storeRelease,
  type ReleaseRecord,
  type Verification,
} from './release-store.js';
import { isOffline, KNOWN_DIGESTS, normalizeVersion, releaseUrl } from './releases.js';

export interface StoredRelease {
  record: ReleaseRecord;
  built: BuiltCatalog;
  /** Where it came from: a URL or a file. */
  url: string;
  /** The cache already held this exact file. */
  alreadyPresent: boolean;
  /** It is now the release the cache supplies by default. */
  activated: boolean;
}

/** Refuses a file whose digest differs from the official one of its version, or from what the cache recorded. */
async function checkDigest(
  cache: string,
  version: string,
  sha256: string,
  source: string,
): Promise<Verification> {
  const known = KNOWN_DIGESTS[version];
  if (known !== undefined) {
    if (known !== sha256) {
      throw new AtlasGuardError(
        `refusing ATLAS ${version} from ${source}: its sha256 ${sha256} is not the official ${known}`,
        { hint: 'the file was changed or damaged on the way; fetch it again from the official release' },
      );
    }
    return 'official';
  }
  const previous = await readCachedRelease(cache, version);
  if (previous !== undefined && !isProblem(previous) && previous.sha256 !== sha256) {
    throw new AtlasGuardError(
      `refusing ATLAS ${version} from ${source}: its sha256 ${sha256} differs from the ${previous.sha256} recorded when it was first fetched`,
      {
        hint: `a published release should not change; if you trust the new file, delete ${previous.path} and retry`,
      },
    );
  }
  return 'recorded';
}

/** The release was fetched and verified, but the cache could not be written; `built` is still usable. */
export class CacheWriteError extends AtlasGuardError {
  constructor(
    message: string,
    readonly built: BuiltCatalog,
    readonly url: string,
    cause: unknown,
  ) {
    super(message, { hint: 'set ATLASGUARD_CACHE_DIR to a writable directory', cause });
  }
}

async function keep(
  cache: string,
  version: string,
  bytes: Uint8Array,
  source: string,
  verification: Verification,
  built: BuiltCatalog,
  activate: boolean,
): Promise<StoredRelease> {
  const previous = await readCachedRelease(cache, version);
  const alreadyPresent = previous !== undefined && !isProblem(previous) && previous.sha256 === built.sha256;
  try {
    const record = alreadyPresent
      ? previous
      : await storeRelease(cache, { version, sha256: built.sha256, source, verification }, bytes);
    if (activate) await setCurrentVersion(cache, version);
    return { record, built, url: source, alreadyPresent, activated: activate };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CacheWriteError(`cannot write the ATLAS cache at ${cache}: ${code}`, built, source, error);
  }
}

export interface DownloadReleaseOptions {
  cache: string;
  version: string;
  env: NodeJS.ProcessEnv;
  fetch: FetchLike;
  /** Overrides the release URL (and `ATLASGUARD_ATLAS_URL`). */
  url?: string | undefined;
  log?: (message: string) => void;
  activate: boolean;
}

/** Downloads a release, verifies it, stores it in the cache and primes the parsed-catalog cache. */
export async function downloadAndStore(options: DownloadReleaseOptions): Promise<StoredRelease> {
  const version = normalizeVersion(options.version);
  const url = options.url ?? releaseUrl(version, options.env);
  if (isOffline(options.env)) {
    throw new NetworkUnavailableError(`not downloading ${url}: ATLASGUARD_OFFLINE is set`, {
      hint: 'unset ATLASGUARD_OFFLINE, or import a copy with `atlasguard kb update --from FILE`',
    });
  }
  options.log?.(`downloading ATLAS ${version} from ${url}`);
  const bytes = await downloadBounded(url, {
    fetch: options.fetch,
    maxBytes: MAX_DOWNLOAD_BYTES,
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
  });
  const sha256 = sha256Hex(bytes);
  const verification = await checkDigest(options.cache, version, sha256, url);
  const built = await catalogFromBytes(bytes, url, options.cache);
  if (built.catalog.version !== version) {
    throw new AtlasGuardError(`refusing ${url}: it holds ATLAS ${built.catalog.version}, not ${version}`, {
      hint: 'check the URL or the version asked for',
    });
  }
  return keep(options.cache, version, bytes, url, verification, built, options.activate);
}

export interface ImportReleaseOptions {
  cache: string;
  file: string;
  /** The version the file must be, when given. */
  version?: string | undefined;
  activate: boolean;
}

/** Copies a local ATLAS.yaml into the cache (offline `kb update --from FILE`), with the same checks. */
export async function importRelease(options: ImportReleaseOptions): Promise<StoredRelease> {
  const bytes = await readAtlasFile(options.file, 'check the --from path');
  const built = await catalogFromBytes(bytes, options.file, options.cache);
  const version = normalizeVersion(built.catalog.version);
  if (options.version !== undefined && normalizeVersion(options.version) !== version) {
    throw new AtlasGuardError(
      `${options.file} holds ATLAS ${version}, not ${normalizeVersion(options.version)}`,
      {
        hint: 'drop --version or import the right file',
      },
    );
  }
  const checked = await checkDigest(options.cache, version, built.sha256, options.file);
  const verification = checked === 'official' ? 'official' : 'imported';
  return keep(options.cache, version, bytes, options.file, verification, built, options.activate);
}
