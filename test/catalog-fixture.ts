import { readFileSync } from 'node:fs';
import { Catalog, parseAtlasYaml } from '@atlasguard/core';
import { atlasRelease } from './shared-paths.js';

const cache = new Map<string, Catalog>();

/** The catalog of an official ATLAS release from ../shared/atlas, parsed once per test process. */
export function testCatalog(version = '5.6.0'): Catalog {
  let catalog = cache.get(version);
  if (!catalog) {
    const path = atlasRelease(version);
    catalog = new Catalog(parseAtlasYaml(readFileSync(path, 'utf8'), path));
    cache.set(version, catalog);
  }
  return catalog;
}
