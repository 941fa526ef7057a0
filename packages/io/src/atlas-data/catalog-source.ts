import { Catalog } from '@atlasguard/core/atlas';
import { readCachedCatalog, writeCachedCatalog } from './catalog-cache.js';
import { sha256Hex } from './digest.js';

export interface BuiltCatalog {
  catalog: Catalog;
  sha256: string;
  /** True when the parsed catalog came from the cache (no YAML parsing). */
  warm: boolean;
}

/**
 * The catalog of an ATLAS.yaml's bytes: from the parsed-catalog cache when it holds this digest, else parsed
 * (the YAML parser and schemas are imported only then) and stored for next time. `cache` undefined: no cache.
 */
export async function catalogFromBytes(
  bytes: Uint8Array,
  source: string,
  cache: string | undefined,
): Promise<BuiltCatalog> {
  const sha256 = sha256Hex(bytes);
  const cached = cache === undefined ? undefined : await readCachedCatalog(cache, sha256);
  if (cached) return { catalog: new Catalog(cached), sha256, warm: true };
  const { parseAtlasYaml } = await import('@atlasguard/core');
  const data = parseAtlasYaml(Buffer.from(bytes).toString('utf8'), source);
  if (cache !== undefined) await writeCachedCatalog(cache, sha256, data);
  return { catalog: new Catalog(data), sha256, warm: false };
}
