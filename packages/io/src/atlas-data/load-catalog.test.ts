import { mkdtemp, readFile, readdir, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { atlasRelease } from '../../../../test/shared-paths.js';
import { catalogCachePath } from './catalog-cache.js';
import { sha256Hex } from './digest.js';
import { loadCatalog, loadCatalogSpec } from './load-catalog.js';
import { releaseYamlPath, setCurrentVersion, storeRelease } from './release-store.js';
import { KNOWN_DIGESTS } from './releases.js';
import { closedPortUrl, startReleaseServer, type ReleaseServer } from '../../../../test/release-server.js';

let server: ReleaseServer;
let release560: Buffer;
beforeAll(async () => {
  server = await startReleaseServer();
  release560 = await readFile(atlasRelease('5.6.0'));
  server.routes.set('/v5.6.0/ATLAS.yaml', { body: release560 });
});
afterAll(async () => {
  await server.close();
});

/** The AtlasGuardError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<AtlasGuardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AtlasGuardError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const freshCache = (): Promise<string> => mkdtemp(join(tmpdir(), 'ag-cache-'));

/** An environment with nothing set but the cache directory (and whatever the test adds). */
function env(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ATLASGUARD_CACHE_DIR: cache, HOME: cache, ...extra };
}

const mirror = (): NodeJS.ProcessEnv => ({ ATLASGUARD_ATLAS_URL: server.url('/v{version}/ATLAS.yaml') });

async function cacheRelease(cache: string, version: string): Promise<void> {
  const bytes = await readFile(atlasRelease(version));
  await storeRelease(
    cache,
    { version, sha256: sha256Hex(bytes), source: 'test', verification: 'official' },
    bytes,
  );
}

describe('loadCatalog resolution order', () => {
  it('prefers --atlas-data over ATLAS_DATA over the cache', async () => {
    const cache = await freshCache();
    await cacheRelease(cache, '5.4.0');
    const both = await loadCatalog({
      atlasData: atlasRelease('5.5.0'),
      env: env(cache, { ATLAS_DATA: atlasRelease('5.6.0') }),
    });
    expect([both.origin, both.catalog.version]).toEqual(['flag', '5.5.0']);
    const fromEnv = await loadCatalog({ env: env(cache, { ATLAS_DATA: atlasRelease('5.6.0') }) });
    expect([fromEnv.origin, fromEnv.catalog.version]).toEqual(['env', '5.6.0']);
    const fromCache = await loadCatalog({ env: env(cache) });
    expect([fromCache.origin, fromCache.catalog.version]).toEqual(['cache', '5.4.0']);
    expect(fromCache.source).toBe(releaseYamlPath(cache, '5.4.0'));
  });

  it('resolves a relative --atlas-data against cwd and fails loudly when the file is missing', async () => {
    const cache = await freshCache();
    const result = await loadCatalog({
      atlasData: 'ATLAS-5.6.0.yaml',
      cwd: join(atlasRelease('5.6.0'), '..'),
      env: env(cache),
    });
    expect(result.catalog.version).toBe('5.6.0');
    const error = await loadCatalog({ atlasData: join(cache, 'nope.yaml'), env: env(cache) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect((error as AtlasGuardError).message).toMatch(/cannot read ATLAS data .*nope\.yaml: ENOENT/);
    expect((error as AtlasGuardError).hint).toMatch(/--atlas-data/);
  });

  it('uses the release kb update selected, else the pinned one, else the newest cached', async () => {
    const cache = await freshCache();
    await cacheRelease(cache, '5.4.0');
    await cacheRelease(cache, '5.5.0');
    expect((await loadCatalog({ env: env(cache) })).catalog.version).toBe('5.5.0');
    await cacheRelease(cache, '5.6.0');
    expect((await loadCatalog({ env: env(cache) })).catalog.version).toBe('5.6.0');
    await setCurrentVersion(cache, '5.4.0');
    expect((await loadCatalog({ env: env(cache) })).catalog.version).toBe('5.4.0');
  });

  it('downloads the pinned release when nothing else is there, verifies it and caches it', async () => {
    const cache = await freshCache();
    const notes: string[] = [];
    const result = await loadCatalog({ env: env(cache, mirror()), log: (m) => notes.push(m) });
    expect(result.origin).toBe('download');
    expect(result.sha256).toBe(KNOWN_DIGESTS['5.6.0']);
    expect(result.official).toBe(true);
    expect(notes.join('\n')).toMatch(/downloading ATLAS 5\.6\.0 from http:\/\/127\.0\.0\.1/);
    // Next time it comes from the cache, without the network.
    const again = await loadCatalog({ env: env(cache, { ATLASGUARD_ATLAS_URL: await closedPortUrl() }) });
    expect([again.origin, again.warm]).toEqual(['cache', true]);
  });

  it('uses a verified download even when the cache cannot be written', async () => {
    const dir = await freshCache();
    const blocked = join(dir, 'file-not-dir');
    await writeFile(blocked, 'x');
    const notes: string[] = [];
    const result = await loadCatalog({ env: env(blocked, mirror()), log: (m) => notes.push(m) });
    expect([result.origin, result.catalog.version]).toEqual(['download', '5.6.0']);
    expect(notes.join('\n')).toMatch(
      /cannot write the ATLAS cache at .*; using the downloaded release without caching it/,
    );
  });

  it('uses an injected fetch for the download', async () => {
    const cache = await freshCache();
    const urls: string[] = [];
    const fake = (url: string): Promise<Response> => {
      urls.push(url);
      return Promise.resolve(new Response(release560));
    };
    const result = await loadCatalog({ env: env(cache), fetch: fake });
    expect(result.origin).toBe('download');
    expect(urls).toEqual(['https://raw.githubusercontent.com/mitre-atlas/atlas-data/v5.6.0/dist/ATLAS.yaml']);
  });
});

describe('loadCatalog without any data', () => {
  const threeWays = (error: AtlasGuardError): void => {
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/no ATLAS data/);
    expect(error.hint).toContain('--atlas-data PATH');
    expect(error.hint).toContain('ATLAS_DATA=PATH');
    expect(error.hint).toContain('atlasguard kb update');
  };

  it('offline: exit 2 and a message naming the three ways', async () => {
    const cache = await freshCache();
    const error = await failure(
      loadCatalog({
        env: env(cache, { ATLASGUARD_ATLAS_URL: await closedPortUrl() }),
      }),
    );
    threeWays(error);
    expect(error.message).toMatch(/downloading ATLAS 5\.6\.0 failed \(cannot reach/);
  });

  it('ATLASGUARD_OFFLINE: the same, without trying the network', async () => {
    const cache = await freshCache();
    const fetchSpy = (): Promise<Response> => Promise.reject(new Error('must not fetch'));
    const error = await failure(
      loadCatalog({ env: env(cache, { ATLASGUARD_OFFLINE: '1' }), fetch: fetchSpy }),
    );
    threeWays(error);
    expect(error.message).toMatch(/ATLASGUARD_OFFLINE/);
  });

  it('refuses a download whose digest does not match the pinned one, and caches nothing', async () => {
    const cache = await freshCache();
    server.routes.set('/tampered/5.6.0', {
      body: Buffer.concat([release560, Buffer.from('\n# tampered\n')]),
    });
    const error = await failure(
      loadCatalog({
        env: env(cache, { ATLASGUARD_ATLAS_URL: server.url('/tampered/{version}') }),
      }),
    );
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/refusing ATLAS 5\.6\.0 .* sha256 .* is not the official 8a5693df/);
    expect(await readdir(cache)).toEqual([]);
  });
});

describe('the parsed-catalog cache', () => {
  it('parses once, then serves the same catalog warm', async () => {
    const cache = await freshCache();
    const cold = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(cache) });
    expect(cold.warm).toBe(false);
    const warm = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(cache) });
    expect(warm.warm).toBe(true);
    expect(warm.catalog.data).toEqual(cold.catalog.data);
    expect(warm.sha256).toBe(cold.sha256);
  });

  it.each([
    ['truncated JSON', (text: string) => text.slice(0, text.length / 2)],
    ['not JSON at all', () => '\u0000\u0001garbage'],
    [
      'another digest',
      (text: string) => text.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${'0'.repeat(64)}"`),
    ],
    ['an older format', (text: string) => text.replace('"formatVersion":1', '"formatVersion":0')],
    [
      'a damaged field',
      (text: string) => text.replace('"techniques":[', '"techniques":{"x":[').replace(/\}$/, '}}'),
    ],
    ['a wrong type deep inside', (text: string) => text.replace('"maturity":"realized"', '"maturity":42')],
  ])('ignores a corrupt entry (%s) and rebuilds it', async (_name, damage) => {
    const cache = await freshCache();
    const first = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(cache) });
    const path = catalogCachePath(cache, first.sha256);
    await writeFile(path, damage(await readFile(path, 'utf8')));
    const second = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(cache) });
    expect(second.warm).toBe(false);
    expect(second.catalog.techniques).toHaveLength(170);
    const third = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(cache) });
    expect(third.warm).toBe(true);
  });

  it('works when the cache directory cannot be written', async () => {
    const cache = await freshCache();
    const blocked = join(cache, 'file-not-dir');
    await writeFile(blocked, 'x');
    const result = await loadCatalog({ atlasData: atlasRelease('5.6.0'), env: env(blocked) });
    expect([result.catalog.version, result.warm]).toEqual(['5.6.0', false]);
  });
});

describe('damaged cached releases', () => {
  it('skips a release whose file no longer matches its digest, says so, and falls through', async () => {
    const cache = await freshCache();
    await cacheRelease(cache, '5.6.0');
    await cacheRelease(cache, '5.5.0');
    await writeFile(releaseYamlPath(cache, '5.6.0'), 'tampered');
    const notes: string[] = [];
    const result = await loadCatalog({ env: env(cache), log: (m) => notes.push(m) });
    expect(result.catalog.version).toBe('5.5.0');
    expect(notes.join('\n')).toMatch(
      /skipping cached ATLAS 5\.6\.0: its ATLAS\.yaml does not match the recorded sha256/,
    );
  });

  it('refuses a known release whose recorded digest is not the official one', async () => {
    const cache = await freshCache();
    const bytes = Buffer.from('id: ATLAS\n');
    await storeRelease(
      cache,
      { version: '5.6.0', sha256: sha256Hex(bytes), source: 'x', verification: 'official' },
      bytes,
    );
    const notes: string[] = [];
    await expect(
      loadCatalog({ env: env(cache, { ATLASGUARD_OFFLINE: '1' }), log: (m) => notes.push(m) }),
    ).rejects.toThrow(/no ATLAS data/);
    expect(notes.join('\n')).toMatch(/does not match the official 5\.6\.0 sha256/);
  });

  it('ignores a damaged release record', async () => {
    const cache = await freshCache();
    await mkdir(join(cache, 'releases', '5.6.0'), { recursive: true });
    await copyFile(atlasRelease('5.6.0'), releaseYamlPath(cache, '5.6.0'));
    await writeFile(join(cache, 'releases', '5.6.0', 'release.json'), '{"version":');
    await expect(loadCatalog({ env: env(cache, { ATLASGUARD_OFFLINE: '1' }) })).rejects.toThrow(
      /no ATLAS data/,
    );
  });
});

describe('loadCatalogSpec (kb diff arguments)', () => {
  it('takes a path or a cached version', async () => {
    const cache = await freshCache();
    await cacheRelease(cache, '5.5.0');
    expect((await loadCatalogSpec('v5.5.0', { env: env(cache) })).catalog.version).toBe('5.5.0');
    expect((await loadCatalogSpec(atlasRelease('5.4.0'), { env: env(cache) })).catalog.version).toBe('5.4.0');
  });

  it('says how to fetch a version that is not cached', async () => {
    const cache = await freshCache();
    await cacheRelease(cache, '5.5.0');
    const error = await failure(loadCatalogSpec('5.4.0', { env: env(cache) }));
    expect(error.message).toMatch(/ATLAS 5\.4\.0 is not in the cache/);
    expect(error.hint).toMatch(/kb update --version 5\.4\.0 --fetch-only.*cached: 5\.5\.0/);
  });
});
