import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../test/catalog-fixture.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Every ATLAS ID written in the web package's sources and tests (the app itself only shows IDs it is sent). */
function idsInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of ['app', 'src', 'test']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name)) continue;
      const file = join(entry.parentPath, entry.name);
      for (const m of readFileSync(file, 'utf8').matchAll(/AML\.(?:TA|T|M|CS)\d{4}(?:\.\d{3})?/g)) {
        found.set(m[0], file);
      }
    }
  }
  return found;
}

describe('ATLAS IDs named in the web package', () => {
  it('all exist in ATLAS 5.6.0', () => {
    const catalog = testCatalog('5.6.0');
    const ids = idsInSources();
    expect(ids.size).toBeGreaterThan(0);
    for (const [id, file] of ids) {
      const known =
        catalog.technique(id) ?? catalog.mitigation(id) ?? catalog.tactic(id) ?? catalog.caseStudy(id);
      expect(known, `${id} in ${file}`).toBeDefined();
    }
  });
});
