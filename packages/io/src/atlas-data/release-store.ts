import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { sha256Hex } from './digest.js';
import { compareVersions, isReleaseVersion, KNOWN_DIGESTS } from './releases.js';

// ATLAS releases kept in the user cache:
//   <cache>/releases/<version>/ATLAS.yaml     the file as downloaded or imported
//   <cache>/releases/<version>/release.json   its digest and where it came from
//   <cache>/current.json                      the release the cache supplies by default (`kb update` sets it)

/** How a cached release was vouched for. */
export type Verification = 'official' | 'recorded' | 'imported';

export interface ReleaseRecord {
  version: string;
  sha256: string;
  /** URL or file it came from. */
  source: string;
  verification: Verification;
  storedAt: string;
}

export interface CachedRelease extends ReleaseRecord {
  path: string;
  bytes: Uint8Array;
}

export const releaseDir = (cache: string, version: string): string => join(cache, 'releases', version);
export const releaseYamlPath = (cache: string, version: string): string =>
  join(releaseDir(cache, version), 'ATLAS.yaml');
const recordPath = (cache: string, version: string): string =>
  join(releaseDir(cache, version), 'release.json');
const currentPath = (cache: string): string => join(cache, 'current.json');

function isRecord(value: unknown): value is ReleaseRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.version === 'string' &&
    typeof r.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(r.sha256) &&
    typeof r.source === 'string' &&
    (r.verification === 'official' || r.verification === 'recorded' || r.verification === 'imported') &&
    typeof r.storedAt === 'string'
  );
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export type ReleaseProblem = { version: string; problem: string };

/**
 * A cached release whose file still matches its recorded digest (and the official digest, for releases we
 * know). Returns a problem instead when the entry is damaged, so the caller can say why it was skipped.
 */
export async function readCachedRelease(
  cache: string,
  version: string,
): Promise<CachedRelease | ReleaseProblem | undefined> {
  const record = await readJson(recordPath(cache, version));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(releaseYamlPath(cache, version));
  } catch {
    return record === undefined ? undefined : { version, problem: 'its ATLAS.yaml is missing' };
  }
  if (!isRecord(record) || record.version !== version)
    return { version, problem: 'its release.json is missing or damaged' };
  const sha256 = sha256Hex(bytes);
  if (sha256 !== record.sha256)
    return { version, problem: 'its ATLAS.yaml does not match the recorded sha256' };
  const known = KNOWN_DIGESTS[version];
  if (known !== undefined && known !== sha256)
    return { version, problem: `its ATLAS.yaml does not match the official ${version} sha256` };
  return { ...record, path: releaseYamlPath(cache, version), bytes };
}

export function isProblem(value: CachedRelease | ReleaseProblem | undefined): value is ReleaseProblem {
  return value !== undefined && 'problem' in value;
}

/** Writes a release (file first, then its record) atomically. */
export async function storeRelease(
  cache: string,
  record: Omit<ReleaseRecord, 'storedAt'>,
  bytes: Uint8Array,
): Promise<ReleaseRecord> {
  const full: ReleaseRecord = { ...record, storedAt: new Date().toISOString() };
  await writeFileAtomic(releaseYamlPath(cache, record.version), bytes);
  await writeFileAtomic(recordPath(cache, record.version), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** Versions present in the cache, oldest first. */
export async function cachedVersions(cache: string): Promise<string[]> {
  try {
    const names = await readdir(join(cache, 'releases'));
    return names.filter(isReleaseVersion).sort(compareVersions);
  } catch {
    return [];
  }
}

export async function currentVersion(cache: string): Promise<string | undefined> {
  const value = await readJson(currentPath(cache));
  if (typeof value !== 'object' || value === null) return undefined;
  const version = (value as { version?: unknown }).version;
  return typeof version === 'string' && isReleaseVersion(version) ? version : undefined;
}

export async function setCurrentVersion(cache: string, version: string): Promise<void> {
  await writeFileAtomic(currentPath(cache), `${JSON.stringify({ version }, null, 2)}\n`);
}
