import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/run-cli.js';
import { writeZip } from '../test-support/zip-writer.js';
import { loadOsvIndex } from './load-osv.js';
import { osvExportPath, osvMetaPath, syncMetaSchema } from './osv-cache-layout.js';
import { syncOsv } from './sync.js';

const record = (id: string, ecosystem: string, name: string) =>
  Buffer.from(
    JSON.stringify({
      id,
      modified: '2025-01-01T00:00:00Z',
      affected: [{ package: { ecosystem, name }, versions: ['1.0.0'] }],
    }),
  );
const exportsByPath = new Map<string, Buffer>([
  ['/PyPI/all.zip', writeZip([{ name: 'PYSEC-1.json', data: record('PYSEC-1', 'PyPI', 'torch') }])],
  ['/npm/all.zip', writeZip([{ name: 'GHSA-1.json', data: record('GHSA-1', 'npm', 'axios') }])],
  ['/broken/PyPI/all.zip', Buffer.from('this is not a zip file, the server is confused')],
]);

let server: Server;
let base: string;
let dir: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = exportsByPath.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/zip', 'content-length': String(body.length) })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  dir = await mkdtemp(join(tmpdir(), 'ag-sync-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

const options = (cacheDir: string, baseUrl: string) => ({
  cacheDir,
  ecosystems: ['PyPI', 'npm'] as const,
  baseUrl,
  fetch: (url: string, init?: { signal?: AbortSignal }) => fetch(url, init),
  now: () => new Date('2025-05-01T12:00:00Z'),
  maxBytes: 1024 * 1024,
  timeoutMs: 10_000,
});

describe('osv sync (local server, no network)', () => {
  it('downloads each export with provenance, and scan data reads the cache', async () => {
    const cacheDir = join(dir, 'ok');
    const metas = await syncOsv(options(cacheDir, base));
    expect(metas.map((m) => m.ecosystem)).toEqual(['PyPI', 'npm']);
    const zip = await readFile(osvExportPath(cacheDir, 'PyPI'));
    const meta = syncMetaSchema.parse(JSON.parse(await readFile(osvMetaPath(cacheDir, 'PyPI'), 'utf8')));
    expect(meta).toMatchObject({
      url: `${base}/PyPI/all.zip`,
      fetchedAt: '2025-05-01T12:00:00.000Z',
      entries: 1,
      bytes: zip.length,
    });
    expect(meta.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
    const index = await loadOsvIndex({ cacheDir });
    expect(index.packageKeys().sort()).toEqual(['PyPI:torch', 'npm:axios']);
    expect(index.meta.dbTime).toBe('2025-05-01T12:00:00.000Z');
  });

  it('keeps the previous cache when a download is not a zip, fails on HTTP errors and size limits', async () => {
    const cacheDir = join(dir, 'keep');
    await syncOsv(options(cacheDir, base));
    const before = await readFile(osvExportPath(cacheDir, 'PyPI'));
    await expect(syncOsv({ ...options(cacheDir, `${base}/broken`), ecosystems: ['PyPI'] })).rejects.toThrow(
      /not a usable zip/,
    );
    expect(await readFile(osvExportPath(cacheDir, 'PyPI'))).toEqual(before);
    await expect(syncOsv({ ...options(cacheDir, `${base}/missing`), ecosystems: ['npm'] })).rejects.toThrow(
      /HTTP 404/,
    );
    await expect(syncOsv({ ...options(cacheDir, base), maxBytes: 10 })).rejects.toThrow(/limit/);
  });

  it('works with an injected fetch', async () => {
    const cacheDir = join(dir, 'fake');
    const seen: string[] = [];
    const fakeFetch = (url: string): Promise<Response> => {
      seen.push(url);
      const body = exportsByPath.get(new URL(url).pathname) ?? Buffer.alloc(0);
      return Promise.resolve(new Response(body, { status: 200 }));
    };
    await syncOsv({ ...options(cacheDir, 'https://exports.example/'), fetch: fakeFetch });
    expect(seen).toEqual(['https://exports.example/PyPI/all.zip', 'https://exports.example/npm/all.zip']);
  });

  it('atlasguard osv sync (CLI) prints provenance; scan deps then uses the cache', async () => {
    const cacheDir = join(dir, 'cli');
    const r = await runCli(['osv', 'sync', '--cache-dir', cacheDir, '--base-url', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^PyPI: 1 records, \d+ bytes, sha256 [0-9a-f]{64}, from http:\/\/127\.0\.0\.1:\d+\/PyPI\/all\.zip at /m,
    );
    expect(r.stdout).toMatch(/^npm: 1 records/m);
    const bad = await runCli(['osv', 'sync', '--cache-dir', cacheDir, '--base-url', 'ftp://example']);
    expect(bad.code).toBe(4);
    const failed = await runCli(['osv', 'sync', '--cache-dir', cacheDir, '--base-url', `${base}/missing`]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/HTTP 404/);
  });
});
