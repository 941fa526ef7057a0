import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CATALOG_FORMAT_VERSION, isCatalogData, type CatalogData } from '@atlasguard/core/atlas';
import { writeFileAtomic } from '../atomic-write.js';

// Parsed catalogs cached as JSON, keyed by the sha256 of the ATLAS.yaml they came from and the catalog format
// version, so that a warm start reads JSON instead of parsing YAML. A damaged entry is a miss, never an error.

interface CacheEntry {
  kind: 'atlasguard-catalog';
  formatVersion: number;
  sha256: string;
  data: CatalogData;
}

export function catalogCachePath(dir: string, sha256: string): string {
  return join(dir, 'catalogs', `${sha256}.v${String(CATALOG_FORMAT_VERSION)}.json`);
}

/** The cached catalog of a file with this digest, or undefined when absent or damaged. */
export async function readCachedCatalog(dir: string, sha256: string): Promise<CatalogData | undefined> {
  let text: string;
  try {
    text = await readFile(catalogCachePath(dir, sha256), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry> | null;
    if (
      entry?.kind !== 'atlasguard-catalog' ||
      entry.formatVersion !== CATALOG_FORMAT_VERSION ||
      entry.sha256 !== sha256 ||
      !isCatalogData(entry.data)
    ) {
      return undefined;
    }
    return entry.data;
  } catch {
    return undefined;
  }
}

/** Stores a parsed catalog; returns false (and changes nothing) when the cache cannot be written. */
export async function writeCachedCatalog(dir: string, sha256: string, data: CatalogData): Promise<boolean> {
  const entry: CacheEntry = {
    kind: 'atlasguard-catalog',
    formatVersion: CATALOG_FORMAT_VERSION,
    sha256,
    data,
  };
  try {
    await writeFileAtomic(catalogCachePath(dir, sha256), JSON.stringify(entry));
    return true;
  } catch {
    return false;
  }
}
