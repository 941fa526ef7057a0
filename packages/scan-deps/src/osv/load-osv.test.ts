import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { OSV_FIXTURES } from '../test-support/paths.js';
import { writeZip } from '../test-support/zip-writer.js';
import { loadOsvIndex } from './load-osv.js';
import { listZipEntries, readZipEntry, ZipError } from './zip-reader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ag-osv-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixtureZip(options: { zip64?: boolean } = {}): Promise<Buffer> {
  const names = (await readdir(OSV_FIXTURES)).filter((n) => n.endsWith('.json')).sort();
  const entries = await Promise.all(
    names.map(async (name) => {
      const data = await readFile(join(OSV_FIXTURES, name));
      return { name, data };
    }),
  );
  return writeZip(entries, options);
}

describe('zip reader', () => {
  it('reads stored, deflated and ZIP64 archives through the central directory', () => {
    for (const zip64 of [false, true]) {
      const buf = writeZip(
        [
          { name: 'a.json', data: Buffer.from('{"id":"A"}'), store: true },
          { name: 'b.json', data: Buffer.from('{"id":"B"}'.repeat(100)) },
        ],
        { zip64 },
      );
      const entries = listZipEntries(buf);
      expect(entries.map((e) => e.name)).toEqual(['a.json', 'b.json']);
      expect(readZipEntry(buf, entries[1]!).toString()).toBe('{"id":"B"}'.repeat(100));
    }
  });
  it('refuses encrypted entries, bombs, truncation and garbage', () => {
    const enc = writeZip([{ name: 'x.json', data: Buffer.from('{}'), encrypted: true }]);
    expect(() => readZipEntry(enc, listZipEntries(enc)[0]!)).toThrow(/encrypted/);
    const bomb = writeZip([{ name: 'bomb.json', data: Buffer.alloc(8 * 1024 * 1024, 0x20) }]);
    expect(() => readZipEntry(bomb, listZipEntries(bomb)[0]!)).toThrow(/ratio/);
    const big = writeZip([{ name: 'big.json', data: Buffer.alloc(1024, 0x41) }]);
    expect(() =>
      readZipEntry(big, listZipEntries(big)[0]!, {
        maxEntries: 10,
        maxEntryBytes: 100,
        maxTotalBytes: 1e9,
        maxRatio: 1000,
      }),
    ).toThrow(/larger/);
    expect(() => listZipEntries(Buffer.from('not a zip at all, just text that is long enough'))).toThrow(
      ZipError,
    );
    const good = writeZip([{ name: 'a.json', data: Buffer.from('{"id":"A"}') }]);
    expect(() => listZipEntries(good.subarray(0, good.length - 30))).toThrow(ZipError);
    const lying = Buffer.from(good);
    lying.writeUInt32LE(5, lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    expect(() => readZipEntry(lying, listZipEntries(lying)[0]!)).toThrow(ZipError);
  });
});

describe('loadOsvIndex', () => {
  it('indexes a directory: PEP 503 names, withdrawn records dropped, severities', async () => {
    const index = await loadOsvIndex({ path: OSV_FIXTURES, cacheDir: dir });
    expect(index.meta.recordCount).toBe(9);
    expect(index.meta.withdrawnCount).toBe(1);
    expect(index.hasPackage('PyPI:numpy')).toBe(false);
    expect(index.lookup('PyPI:mlflow')).toHaveLength(1);
    const byId = new Map(
      index.packageKeys().flatMap((k) => index.lookup(k).map(({ vuln }) => [vuln.id, vuln] as const)),
    );
    expect(byId.get('GHSA-53q9-r3pm-6pq6')).toMatchObject({
      severity: 'critical',
      score: 9.3,
      severitySource: 'cvss4',
    });
    expect(byId.get('GHSA-hxxf-235m-72v3')).toMatchObject({
      severity: 'high',
      score: 7.8,
      severitySource: 'cvss3',
    });
    expect(byId.get('MAL-2022-7426')).toMatchObject({ severity: 'critical', malicious: true });
    expect(byId.get('PYSEC-2024-212')).toMatchObject({ severity: 'medium', severitySource: 'default' });
    expect(byId.get('GHSA-wf5p-g6vw-rhxx')).toMatchObject({ severity: 'medium', score: 6.5 });
  });

  it('reads an ecosystem zip export (ZIP64) and caches the index by source digest', async () => {
    const zip = join(dir, 'all.zip');
    await writeFile(zip, await fixtureZip({ zip64: true }));
    const cacheDir = join(dir, 'cache');
    const first = await loadOsvIndex({ path: zip, cacheDir });
    expect(first.meta.recordCount).toBe(9);
    const cached = join(cacheDir, 'osv-index', `${first.meta.digest}.json`);
    const [head = '', ...rest] = (await readFile(cached, 'utf8')).split('\n');
    const header = JSON.parse(head) as { source: string };
    // A second run uses the cached index (proved by a marker only the cache file carries).
    await writeFile(cached, [JSON.stringify({ ...header, source: 'from-cache' }), ...rest].join('\n'));
    const second = await loadOsvIndex({ path: zip, cacheDir });
    expect(second.meta.source).toBe('from-cache');
    expect(second.meta.digest).toBe(first.meta.digest);
    expect(
      second
        .lookup('PyPI:torch')
        .map((h) => h.vuln.id)
        .sort(),
    ).toEqual(
      first
        .lookup('PyPI:torch')
        .map((h) => h.vuln.id)
        .sort(),
    );
    expect(second.lookup('PyPI:transfomers')[0]?.entry.versions).toEqual(['4.40.0', '4.40.1']);
    const fresh = await loadOsvIndex({ path: zip, cacheDir, useIndexCache: false });
    expect(fresh.meta.source).toBe(zip);
    // A cache file of another digest or format is ignored and rebuilt.
    await writeFile(cached, '{"format":1}\n');
    expect((await loadOsvIndex({ path: zip, cacheDir })).meta.source).toBe(zip);
  });

  it('counts invalid records instead of trusting them, and fails when nothing is valid', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'x.json'), JSON.stringify({ nope: true }));
    await expect(loadOsvIndex({ path: bad, cacheDir: dir })).rejects.toThrow(/no valid OSV records/);
    await writeFile(join(bad, 'y.json'), '{ not json');
    await expect(loadOsvIndex({ path: bad, cacheDir: dir })).rejects.toMatchObject({
      exitCode: 2,
      position: { file: join(bad, 'y.json') },
    });
  });

  it('without data: exit 2 and says how to get it', async () => {
    const error = await loadOsvIndex({ cacheDir: join(dir, 'empty') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect((error as AtlasGuardError).exitCode).toBe(2);
    expect((error as AtlasGuardError).hint).toMatch(/osv sync/);
    expect((error as AtlasGuardError).hint).toMatch(/--osv PATH/);
  });
});
