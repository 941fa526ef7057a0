import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { seededRandom } from '@atlasguard/core';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './context.js';
import { registerWebStatic, staticFilePath } from './web-static.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function builtApp(): { app: Hono<AppEnv>; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'atlasguard-web-'));
  dirs.push(root);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(root, '.secret'), 'hidden');
  writeFileSync(join(tmpdir(), 'atlasguard-web-outside.txt'), 'outside');
  const app = new Hono<AppEnv>();
  app.get('/api/known', (c) => c.json({ ok: true }));
  registerWebStatic(app, root);
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'no such route' } }, 404));
  return { app, root };
}

describe('web app static files', () => {
  const { app, root } = builtApp();

  it('serves index.html at / and for client-side routes, not cached', async () => {
    for (const path of ['/', '/systems/abc', '/risks?status=open', '/login']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>app</title>');
    }
  });

  it('serves hashed assets with their type, immutable', async () => {
    const js = await app.request('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/index-abc123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing file with an extension instead of the app', async () => {
    const res = await app.request('/assets/missing-1.js');
    expect(res.status).toBe(404);
  });

  it('leaves /api, /healthz and /metrics to their routes', async () => {
    expect(await (await app.request('/api/known')).json()).toEqual({ ok: true });
    for (const path of ['/api/unknown', '/api', '/healthz', '/metrics']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/json');
    }
  });

  it('refuses traversal, encoded separators, NUL and dot files', async () => {
    for (const path of [
      '/../atlasguard-web-outside.txt',
      '/%2e%2e/atlasguard-web-outside.txt',
      '/assets/%2e%2e/%2e%2e/atlasguard-web-outside.txt',
      '/assets/..%2f..%2fatlasguard-web-outside.txt',
      '/assets/..%5c..%5catlasguard-web-outside.txt',
      '/.secret',
      '/assets/%00.js',
      '/%E0%A4%A',
    ]) {
      const res = await app.request(path);
      const body = await res.text();
      expect(body, path).not.toContain('outside');
      expect(body, path).not.toContain('hidden');
    }
    expect(staticFilePath(root, '/a/../../x')).toBeNull();
    expect(staticFilePath(root, '/a%5cb')).toBeNull();
    expect(staticFilePath(root, '/%ff')).toBeNull();
    expect(staticFilePath(root, '/assets/x.js')).toBe(join(root, 'assets', 'x.js'));
  });

  it('answers a page saying how to build the app when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'atlasguard-web-empty-'));
    dirs.push(empty);
    const bare = new Hono<AppEnv>();
    registerWebStatic(bare, empty);
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('never maps a hostile path outside the build directory (seeded fuzz)', async () => {
    const random = seededRandom(0x5eb);
    const parts = [
      '..',
      '.',
      '%2e%2e',
      '%2E%2e',
      '%2f',
      '%5c',
      '\\',
      '%00',
      '%',
      '%zz',
      'assets',
      'index.html',
      '~',
      '//',
      'ä',
      '%c0%ae',
      '.secret',
      'a',
    ];
    const pick = () => parts[Math.floor(random() * parts.length)] ?? '';
    const base = resolve(root);
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(random() * 6);
      const path = '/' + Array.from({ length: n }, pick).join(random() < 0.7 ? '/' : '');
      const file = staticFilePath(root, path);
      if (file !== null) expect(file === base || file.startsWith(base + sep), path).toBe(true);
      if (i % 50 === 0) {
        const res = await app.request(path.replace(/\\/g, '%5c'));
        const body = await res.text();
        expect(body, path).not.toContain('outside');
        expect(body, path).not.toContain('hidden');
      }
    }
  });
});
