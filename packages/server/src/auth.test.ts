import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server.js';
import { makeHarness, PASSWORD, type Harness } from './test-support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness({ session: { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 } });
});
afterAll(async () => {
  await h.dispose();
});

describe('login, sessions and cookies', () => {
  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite=Lax, and stores only its hash', async () => {
    const res = await h.call('POST', '/api/auth/login', {
      body: { email: 'viewer@example.org', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^__Host-session=[A-Za-z0-9_-]{43};/);
    expect(set).toContain('Path=/');
    expect(set).toContain('Secure');
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Lax');
    const token = /^__Host-session=([^;]+)/.exec(set)?.[1] ?? '';
    const rows = await h.storage.db.selectFrom('sessions').select('id').execute();
    expect(rows.some((r) => r.id === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user.email).toBe('viewer@example.org');
    expect(body.user).not.toHaveProperty('passwordHash');
  });

  it('answers /me for a session and 401 without one', async () => {
    const me = await h.call('GET', '/api/auth/me', { cookie: h.cookies.risk });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('risk');
    expect((await h.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { cookie: '__Host-session=forged' })).status).toBe(401);
  });

  it('refuses wrong passwords and unknown accounts alike', async () => {
    const a = await h.call('POST', '/api/auth/login', {
      body: { email: 'viewer@example.org', password: 'wrong password!' },
    });
    const b = await h.call('POST', '/api/auth/login', {
      body: { email: 'nobody@example.org', password: 'wrong password!' },
    });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.json()).toEqual(await b.json());
  });

  it('rotates the session on login: the old cookie stops working', async () => {
    const first = await h.login('engineer@example.org');
    const res = await h.call('POST', '/api/auth/login', {
      cookie: first,
      body: { email: 'engineer@example.org', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    const second = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(second).not.toBe(first);
    expect((await h.call('GET', '/api/auth/me', { cookie: first })).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { cookie: second })).status).toBe(200);
  });

  it('logs out by deleting the session row', async () => {
    const cookie = await h.login('viewer@example.org');
    expect((await h.call('POST', '/api/auth/logout', { cookie })).status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
  });

  it('ends sessions after the idle timeout and after the absolute timeout', async () => {
    const start = h.clock.now;
    const idle = await h.login('viewer@example.org');
    h.clock.now = start + 31 * 60_000;
    expect((await h.call('GET', '/api/auth/me', { cookie: idle })).status).toBe(401);
    h.clock.now = start;
    const busy = await h.login('viewer@example.org');
    for (let t = 20; t <= 8 * 60; t += 20) {
      h.clock.now = start + t * 60_000;
      const status = (await h.call('GET', '/api/auth/me', { cookie: busy })).status;
      expect(status).toBe(t < 8 * 60 ? 200 : 401);
    }
    h.clock.now = start;
  });

  it('ends a user’s sessions when an admin changes their role', async () => {
    const cookie = await h.login('risk@example.org');
    const res = await h.call('PATCH', `/api/users/${h.userIds.risk}`, {
      cookie: h.cookies.admin,
      body: { role: 'viewer' },
    });
    expect(res.status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    await h.call('PATCH', `/api/users/${h.userIds.risk}`, {
      cookie: h.cookies.admin,
      body: { role: 'risk' },
    });
    h.cookies.risk = await h.login('risk@example.org');
  });

  it('changes the own password only with the current one, and signs in again', async () => {
    const cookie = await h.login('security@example.org');
    const bad = await h.call('POST', '/api/auth/password', {
      cookie,
      body: { currentPassword: 'not it at all', newPassword: 'a much better passphrase' },
    });
    expect(bad.status).toBe(401);
    const ok = await h.call('POST', '/api/auth/password', {
      cookie,
      body: { currentPassword: PASSWORD, newPassword: 'a much better passphrase' },
    });
    expect(ok.status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    const fresh = (ok.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await h.call('GET', '/api/auth/me', { cookie: fresh })).status).toBe(200);
    await h.call('POST', '/api/auth/password', {
      cookie: fresh,
      body: { currentPassword: 'a much better passphrase', newPassword: PASSWORD },
    });
    h.cookies.security = await h.login('security@example.org');
  });
});

describe('login rate limiting', () => {
  it('blocks an account after 5 failures (even with the right password) and says when to retry', async () => {
    const t0 = h.clock.now;
    for (let i = 0; i < 5; i++) {
      const r = await h.call('POST', '/api/auth/login', {
        body: { email: 'admin@example.org', password: `wrong-${String(i)}-xxxxxxx` },
      });
      expect(r.status).toBe(401);
    }
    const blocked = await h.call('POST', '/api/auth/login', {
      body: { email: 'Admin@Example.org', password: PASSWORD },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.now = t0 + 16 * 60_000;
    expect(
      (await h.call('POST', '/api/auth/login', { body: { email: 'admin@example.org', password: PASSWORD } }))
        .status,
    ).toBe(200);
    h.clock.now = t0;
  });

  it('blocks an IP after its attempt budget, whatever the account', async () => {
    const limited = await makeHarness({
      login: { perIp: 8, perAccount: 100 },
      clientIp: () => '203.0.113.9',
    });
    try {
      // the harness already signed in 5 roles from this IP: 3 attempts left
      let last = 0;
      for (let i = 0; i < 4; i++) {
        last = (
          await limited.call('POST', '/api/auth/login', {
            body: { email: `x${String(i)}@example.org`, password: 'whatever-123456' },
          })
        ).status;
      }
      expect(last).toBe(429);
      const text = await (await limited.call('GET', '/metrics')).text();
      expect(text).toMatch(/atlasguard_rate_limited_total [1-9]/);
    } finally {
      await limited.dispose();
    }
  });
});

describe('CSRF and content types', () => {
  const body = { slug: 'csrf-test', name: 'CSRF test' };
  it('refuses a cross-site state change even with a valid session cookie', async () => {
    const r = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(r.status).toBe(403);
    const s = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body,
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(s.status).toBe(403);
    const o = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body,
      headers: { origin: 'https://evil.example' },
    });
    expect(o.status).toBe(403);
    const n = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body,
      headers: { origin: 'null' },
    });
    expect(n.status).toBe(403);
    expect(await h.storage.getSystemBySlug('csrf-test')).toBeUndefined();
  });

  it('refuses form posts and text bodies on JSON endpoints (415)', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain',
    ]) {
      const r = await h.call('POST', '/api/systems', {
        cookie: h.cookies.admin,
        raw: 'slug=csrf-test&name=x',
        headers: { 'content-type': type },
      });
      expect(r.status).toBe(415);
    }
    expect(await h.storage.getSystemBySlug('csrf-test')).toBeUndefined();
  });

  it('accepts a same-origin call', async () => {
    const r = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body,
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(r.status).toBe(201);
  });
});

describe('hostile and malformed requests', () => {
  it('answers malformed JSON with 400 and no stack trace', async () => {
    const r = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      raw: '{"slug": "x", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(JSON.parse(text)).toHaveProperty('error.code');
  });

  it('validates bodies with zod: unknown keys, wrong types, bad slugs', async () => {
    for (const b of [
      { slug: 'ok', name: 'x', extra: 1 },
      { slug: 'Bad Slug', name: 'x' },
      { slug: 'ok' },
      [],
      'str',
      null,
    ]) {
      const r = await h.call('POST', '/api/systems', { cookie: h.cookies.admin, body: b });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('invalid-request');
    }
  });

  it('refuses oversized bodies with 413 before parsing them', async () => {
    const big = JSON.stringify({ slug: 'big', name: 'x', description: 'a'.repeat(2 * 1024 * 1024) });
    const r = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(413);
  });

  it('rejects malformed bearer tokens and prototype-pollution keys', async () => {
    expect((await h.call('GET', '/api/systems', { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    );
    expect((await h.call('GET', '/api/systems', { headers: { authorization: 'Basic YTpi' } })).status).toBe(
      401,
    );
    const r = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      raw: '{"slug":"proto","name":"p","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect([201, 400]).toContain(r.status);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('gives JSON 404s for unknown routes and long or odd IDs', async () => {
    expect((await h.call('GET', '/api/nope', { cookie: h.cookies.admin })).status).toBe(404);
    expect((await h.call('GET', `/api/systems/${'x'.repeat(100)}`, { cookie: h.cookies.admin })).status).toBe(
      400,
    );
    expect((await h.call('GET', '/api/systems/%00', { cookie: h.cookies.admin })).status).toBe(404);
  });

  it('sends security headers with a strict CSP and no-store on the API', async () => {
    const r = await h.call('GET', '/api/auth/me', { cookie: h.cookies.viewer });
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('strict-transport-security')).toContain('max-age=');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('first-start setup token', () => {
  it('creates the first admin once with the setup token, then refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-setup-'));
    const server = await startServer({
      db: join(dir, 'ws.sqlite'),
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
    });
    try {
      expect(server.setupToken).toMatch(/^setup_/);
      const post = (body: unknown) =>
        fetch(`${server.url}/api/auth/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect(
        (await post({ token: 'setup_wrong', email: 'a@example.org', name: 'A', password: PASSWORD })).status,
      ).toBe(403);
      expect(
        (await post({ token: server.setupToken, email: 'a@example.org', name: 'A', password: 'short' }))
          .status,
      ).toBe(400);
      const ok = await post({
        token: server.setupToken,
        email: 'a@example.org',
        name: 'A',
        password: PASSWORD,
      });
      expect(ok.status).toBe(200);
      expect(
        (await post({ token: server.setupToken, email: 'b@example.org', name: 'B', password: PASSWORD }))
          .status,
      ).toBe(409);
      expect((await server.storage.getUserByEmail('a@example.org'))?.role).toBe('admin');
      // a body-less DELETE / POST (as curl -X sends it: no Content-Length, no Content-Type) is not a 415
      const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const bare = (method: string, path: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${server.url}${path}`, { method, headers: { cookie } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await bare('DELETE', '/api/tokens/00000000-0000-4000-8000-000000000000')).toBe(404);
      expect(await bare('POST', '/api/auth/logout')).toBe(200);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the admin from flags and prints no setup token; refuses a weak password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-setup-'));
    try {
      await expect(
        startServer({
          db: join(dir, 'a.sqlite'),
          port: 0,
          host: '127.0.0.1',
          adminEmail: 'x@example.org',
          adminPassword: 'short',
        }),
      ).rejects.toThrow(/password/);
      const server = await startServer({
        db: join(dir, 'b.sqlite'),
        port: 0,
        host: '127.0.0.1',
        adminEmail: 'root@example.org',
        adminPassword: PASSWORD,
      });
      try {
        expect(server.setupToken).toBeUndefined();
        const res = await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'root@example.org', password: PASSWORD }),
        });
        expect(res.status).toBe(200);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deeply nested and odd JSON', () => {
  it('answers deep nesting without a server error', async () => {
    const depth = 200_000;
    for (const [path, wrap] of [
      ['/api/systems', (inner: string) => `{"slug":"deep","name":${inner}}`],
      [`/api/import`, (inner: string) => `{"format":${inner}}`],
    ] as const) {
      const r = await h.call('POST', path, {
        cookie: h.cookies.admin,
        raw: wrap('['.repeat(depth) + ']'.repeat(depth)),
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
  });
});
