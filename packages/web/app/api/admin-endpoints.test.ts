import { describe, expect, it } from 'vitest';
import { createApi } from './endpoints.js';
import { ApiFailure } from './http.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const account = {
  id: 'u-2',
  email: 'eng@example.org',
  name: 'Eng',
  role: 'engineer',
  disabled: false,
  createdAt: '2026-06-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
};
const record = {
  id: 't-1',
  name: 'ci',
  userId: 'u-1',
  scopes: { actions: ['findings:write'], systems: ['s-1'] },
  createdAt: '2026-06-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
};

/** A fetcher that records each call and answers from the list. */
function recorder(answers: Response[]) {
  const seen: { url: string; method: string; body: unknown }[] = [];
  const api = createApi((url, init) => {
    seen.push({
      url,
      method: init.method ?? 'GET',
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    const next = answers.shift();
    return next === undefined ? Promise.reject(new Error('no answer left')) : Promise.resolve(next);
  });
  return { api, seen };
}

describe('administration calls', () => {
  it('send accounts, tokens, audit and password requests as the API documents them', async () => {
    const { api, seen } = recorder([
      json(200, { items: [account] }),
      json(201, account),
      json(200, { ...account, role: 'risk' }),
      json(200, { items: [record] }),
      json(201, { token: `agt_${'A'.repeat(43)}`, record }),
      json(200, { ok: true }),
      json(200, { items: [] }),
      json(200, { ok: true }),
      json(200, { ok: true, run: null }),
    ]);
    expect((await api.users()).items[0]?.email).toBe('eng@example.org');
    await api.createUser({ email: 'e@x.org', name: 'E', role: 'engineer', password: 'p'.repeat(12) });
    expect((await api.updateUser('u-2', { role: 'risk' })).role).toBe('risk');
    await api.tokens();
    const created = await api.createToken({
      name: 'ci',
      actions: ['findings:write'],
      systems: ['s-1'],
      expiresAt: null,
    });
    expect(created.token).toMatch(/^agt_/);
    await api.revokeToken('t-1');
    await api.audit({ limit: 100, offset: 200 });
    await api.changePassword('old passphrase', 'new passphrase!');
    expect(await api.deleteEvidence('e-1')).toEqual({ ok: true, run: null });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/users',
      'POST /api/users',
      'PATCH /api/users/u-2',
      'GET /api/tokens',
      'POST /api/tokens',
      'DELETE /api/tokens/t-1',
      'GET /api/audit?limit=100&offset=200',
      'POST /api/auth/password',
      'DELETE /api/evidence/e-1',
    ]);
    expect(seen[2]?.body).toEqual({ role: 'risk' });
    expect(seen[4]?.body).toEqual({
      name: 'ci',
      actions: ['findings:write'],
      systems: ['s-1'],
      expiresAt: null,
    });
    expect(seen[7]?.body).toEqual({ currentPassword: 'old passphrase', newPassword: 'new passphrase!' });
  });

  it('refuse a created token whose secret is not an AtlasGuard token, and ids that are dot segments', async () => {
    const { api } = recorder([json(201, { token: 'secret', record })]);
    await expect(
      api.createToken({ name: 'ci', actions: ['findings:write'], systems: null, expiresAt: null }),
    ).rejects.toMatchObject({ code: 'bad-response' });
    expect(() => api.revokeToken('..')).toThrow(ApiFailure);
    expect(() => api.updateUser('.', { disabled: true })).toThrow(ApiFailure);
  });

  it("carry the server's 409 and 400 answers with their details", async () => {
    const { api } = recorder([
      json(409, { error: { code: 'conflict', message: 'user already exists' } }),
      json(400, {
        error: {
          code: 'invalid-request',
          message: 'the request does not match the API schema',
          details: [{ path: 'password', message: 'too short' }],
        },
      }),
    ]);
    const body = { email: 'e@x.org', name: 'E', role: 'viewer' as const, password: 'p'.repeat(12) };
    await expect(api.createUser(body)).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(api.createUser(body)).rejects.toMatchObject({
      status: 400,
      details: [{ path: 'password', message: 'too short' }],
    });
  });
});
