import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../test/shared-paths.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, minimalAssessment, type Harness } from './test-support/harness.js';

let h: Harness;
let systemId: string;
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

beforeAll(async () => {
  h = await makeHarness();
  const res = await h.call('POST', '/api/systems', {
    cookie: h.cookies.security,
    body: { slug: 'fraud-scorer', name: 'Fraud scorer', owner: 'payments' },
  });
  expect(res.status).toBe(201);
  systemId = (await json<{ id: string }>(res)).id;
});
afterAll(async () => {
  await h.dispose();
});

describe('systems and models', () => {
  it('creates, lists, reads, updates and refuses duplicate slugs', async () => {
    const dup = await h.call('POST', '/api/systems', {
      cookie: h.cookies.admin,
      body: { slug: 'fraud-scorer', name: 'x' },
    });
    expect(dup.status).toBe(409);
    const list = await json<{ items: { slug: string }[]; total: number }>(
      await h.call('GET', '/api/systems', { cookie: h.cookies.viewer }),
    );
    expect(list.items.map((s) => s.slug)).toContain('fraud-scorer');
    expect(list.total).toBeGreaterThanOrEqual(1);
    const up = await h.call('PATCH', `/api/systems/${systemId}`, {
      cookie: h.cookies.admin,
      body: { description: 'scores payments' },
    });
    expect((await json<{ description: string }>(up)).description).toBe('scores payments');
    expect((await h.call('GET', '/api/systems/00000000-missing', { cookie: h.cookies.viewer })).status).toBe(
      404,
    );
  });

  it('stores model versions and refuses malformed YAML with positions (422)', async () => {
    const yaml = readFileSync(join(repoRoot, 'examples', 'card-fraud-scoring', 'atlasguard.yaml'), 'utf8');
    const v1 = await h.call('POST', `/api/systems/${systemId}/models`, {
      cookie: h.cookies.security,
      body: { yaml },
    });
    expect(v1.status).toBe(201);
    expect(await json<{ version: number; sha256: string }>(v1)).toMatchObject({
      version: 1,
      sha256: createHash('sha256').update(yaml).digest('hex'),
    });
    const bad = await h.call('POST', `/api/systems/${systemId}/models`, {
      cookie: h.cookies.security,
      body: { yaml: 'a: [1, 2\nb: }' },
    });
    expect(bad.status).toBe(422);
    const issues = (await json<{ error: { details: { line?: number }[] } }>(bad)).error.details;
    expect(issues[0]?.line).toBeGreaterThan(0);
    const list = await h.call('POST', `/api/systems/${systemId}/models`, {
      cookie: h.cookies.security,
      body: { yaml: '- a\n- b\n' },
    });
    expect(list.status).toBe(422);
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\n' +
      Array.from({ length: 150 }, (_, i) => `k${String(i)}: [*a, *a]`).join('\n');
    expect(
      (
        await h.call('POST', `/api/systems/${systemId}/models`, {
          cookie: h.cookies.security,
          body: { yaml: bomb },
        })
      ).status,
    ).toBe(422);
    const latest = await json<{ yaml: string; version: number }>(
      await h.call('GET', `/api/systems/${systemId}/models/latest`, { cookie: h.cookies.viewer }),
    );
    expect(latest).toMatchObject({ yaml, version: 1 });
    expect(
      (await h.call('GET', `/api/systems/${systemId}/models/7`, { cookie: h.cookies.viewer })).status,
    ).toBe(404);
  });
});

describe('assessment runs', () => {
  it('stores the assess JSON, derives the residual level and returns it whole', async () => {
    const res = await h.call('POST', `/api/systems/${systemId}/runs`, {
      cookie: h.cookies.security,
      body: { modelVersion: 1, result: minimalAssessment({ high: 2 }) },
    });
    expect(res.status).toBe(201);
    const run = await json<{ id: string; residualLevel: string }>(res);
    expect(run.residualLevel).toBe('high');
    const full = await json<{ result: unknown }>(
      await h.call('GET', `/api/runs/${run.id}`, { cookie: h.cookies.viewer }),
    );
    expect(full.result).toEqual(minimalAssessment({ high: 2 }));
    const listed = await json<{ items: unknown[] }>(
      await h.call('GET', `/api/systems/${systemId}/runs`, { cookie: h.cookies.viewer }),
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).not.toHaveProperty('result');
  });

  it('refuses documents that are not assessment results (422)', async () => {
    for (const result of [
      {},
      { schemaVersion: 2 },
      [],
      'x',
      { ...minimalAssessment(), tool: { name: 'other', version: '1' } },
    ]) {
      const res = await h.call('POST', `/api/systems/${systemId}/runs`, {
        cookie: h.cookies.security,
        body: { result },
      });
      expect(res.status).toBe(422);
    }
  });
});

describe('risk register', () => {
  it('creates, treats, accepts with expiry, and reopens expired acceptances automatically', async () => {
    const created = await h.call('POST', `/api/systems/${systemId}/risks`, {
      cookie: h.cookies.risk,
      body: {
        techniqueId: 'AML.T0051',
        title: 'Prompt injection via support tickets',
        level: 'high',
        owner: 'ana',
      },
    });
    expect(created.status).toBe(201);
    const risk = await json<{ id: string; status: string }>(created);
    expect(risk.status).toBe('open');
    const bad = await h.call('POST', `/api/systems/${systemId}/risks`, {
      cookie: h.cookies.risk,
      body: { techniqueId: 'T1059', title: 'x', level: 'high' },
    });
    expect(bad.status).toBe(400);
    const viaPatch = await h.call('PATCH', `/api/risks/${risk.id}`, {
      cookie: h.cookies.risk,
      body: { treatment: 'accept' },
    });
    expect(viaPatch.status).toBe(400);
    const transfer = await h.call('PATCH', `/api/risks/${risk.id}`, {
      cookie: h.cookies.risk,
      body: { treatment: 'transfer' },
    });
    expect((await json<{ status: string }>(transfer)).status).toBe('transferred');
    const past = await h.call('POST', `/api/risks/${risk.id}/acceptance`, {
      cookie: h.cookies.risk,
      body: { approver: 'CFO', reason: 'cost', expiresAt: '2026-05-01T00:00:00.000Z' },
    });
    expect(past.status).toBe(400);
    const accepted = await h.call('POST', `/api/risks/${risk.id}/acceptance`, {
      cookie: h.cookies.risk,
      body: {
        approver: 'CFO',
        reason: 'compensating monitoring in place',
        expiresAt: '2026-07-01T00:00:00.000Z',
      },
    });
    expect(await json<{ status: string; acceptance: { approver: string } }>(accepted)).toMatchObject({
      status: 'accepted',
      acceptance: { approver: 'CFO' },
    });
    const before = await json<{ items: { id: string; status: string }[] }>(
      await h.call('GET', `/api/risks?systemId=${systemId}&status=accepted`, { cookie: h.cookies.viewer }),
    );
    expect(before.items.map((r) => r.id)).toEqual([risk.id]);
    h.clock.now = Date.parse('2026-07-02T00:00:00.000Z');
    try {
      // a month later every earlier session has timed out: sign in again (the shared cookies stay unused)
      const later = await h.login('viewer@example.org');
      const after = await json<{ items: { id: string; status: string; treatment: string | null }[] }>(
        await h.call('GET', `/api/risks?systemId=${systemId}`, { cookie: later }),
      );
      expect(after.items.find((r) => r.id === risk.id)).toMatchObject({ status: 'open', treatment: null });
    } finally {
      h.clock.now = Date.parse('2026-06-01T12:00:00.000Z');
    }
    const audit = await json<{ items: { action: string }[] }>(
      await h.call('GET', '/api/audit?limit=500', { cookie: h.cookies.security }),
    );
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['risk.create', 'risk.accept', 'risk.acceptance-expired']),
    );
  });
});

describe('checklist answers and evidence', () => {
  it('upserts answers', async () => {
    for (const answer of ['no', 'yes']) {
      const r = await h.call('PUT', `/api/systems/${systemId}/answers/Q-M0015-1`, {
        cookie: h.cookies.engineer,
        body: { answer, note: 'n' },
      });
      expect(r.status).toBe(200);
    }
    const all = await json<{ items: { questionId: string; answer: string }[] }>(
      await h.call('GET', `/api/systems/${systemId}/answers`, { cookie: h.cookies.viewer }),
    );
    expect(all.items).toEqual([expect.objectContaining({ questionId: 'Q-M0015-1', answer: 'yes' })]);
    expect(
      (
        await h.call('PUT', `/api/systems/${systemId}/answers/..%2F..`, {
          cookie: h.cookies.engineer,
          body: { answer: 'yes' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await h.call('PUT', `/api/systems/${systemId}/answers/Q1`, {
          cookie: h.cookies.engineer,
          body: { answer: 'maybe' },
        })
      ).status,
    ).toBe(400);
  });

  it('stores evidence files by SHA-256 and serves them back only as attachments', async () => {
    const bytes = new Uint8Array([60, 115, 99, 114, 105, 112, 116, 62, 0, 255]); // "<script>" + binary
    const up = await h.call(
      'POST',
      `/api/systems/${systemId}/evidence/files?title=Pen%20test&fileName=report%22.html&questionId=Q-M0015-1&expiresAt=2027-01-01T00:00:00.000Z`,
      {
        cookie: h.cookies.engineer,
        raw: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      },
    );
    expect(up.status).toBe(201);
    const ev = await json<{ id: string; file: { sha256: string; size: number }; expired: boolean }>(up);
    expect(ev.file).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), size: 10 });
    expect(ev.expired).toBe(false);
    const down = await h.call('GET', `/api/evidence/${ev.id}/content`, { cookie: h.cookies.viewer });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    expect(down.headers.get('content-disposition')).toBe('attachment; filename="report_.html"');
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(bytes);
    h.clock.now = Date.parse('2027-02-01T00:00:00.000Z');
    try {
      const later = await h.login('viewer@example.org');
      const list = await json<{ items: { id: string; expired: boolean }[] }>(
        await h.call('GET', `/api/systems/${systemId}/evidence`, { cookie: later }),
      );
      expect(list.items.find((e) => e.id === ev.id)?.expired).toBe(true);
    } finally {
      h.clock.now = Date.parse('2026-06-01T12:00:00.000Z');
    }
  });

  it('refuses empty, oversized, mistyped and path-named uploads', async () => {
    const path = `/api/systems/${systemId}/evidence/files?title=t&fileName=a.bin`;
    const octet = { 'content-type': 'application/octet-stream' };
    expect(
      (await h.call('POST', path, { cookie: h.cookies.engineer, raw: new Uint8Array(0), headers: octet }))
        .status,
    ).toBe(400);
    expect(
      (
        await h.call('POST', path, {
          cookie: h.cookies.engineer,
          raw: 'x',
          headers: { 'content-type': 'text/html' },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await h.call('POST', `/api/systems/${systemId}/evidence/files?title=t&fileName=..%2Fetc%2Fpasswd`, {
          cookie: h.cookies.engineer,
          raw: 'x',
          headers: octet,
        })
      ).status,
    ).toBe(400);
    const small = await makeHarness({ limits: { evidenceBytes: 1024 } });
    try {
      const sys = await small.storage.createSystem({ slug: 's', name: 's', description: '', owner: '' });
      const r = await small.call('POST', `/api/systems/${sys.id}/evidence/files?title=t&fileName=a.bin`, {
        cookie: small.cookies.engineer,
        raw: new Uint8Array(4096),
        headers: octet,
      });
      expect(r.status).toBe(413);
      expect(await small.storage.listEvidence(sys.id)).toEqual([]);
    } finally {
      await small.dispose();
    }
  });

  it('attaches links (http/https only)', async () => {
    const ok = await h.call('POST', `/api/systems/${systemId}/evidence/links`, {
      cookie: h.cookies.engineer,
      body: { title: 'Runbook', url: 'https://wiki.example.org/runbook' },
    });
    expect(ok.status).toBe(201);
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      const r = await h.call('POST', `/api/systems/${systemId}/evidence/links`, {
        cookie: h.cookies.engineer,
        body: { title: 'x', url },
      });
      expect(r.status).toBe(400);
    }
  });
});

describe('findings uploads', () => {
  const finding = (severity: string) => ({
    ruleId: 'AG-MODEL-001',
    title: 'Pickle imports os.system',
    severity,
    element: 'model',
    atlas: { techniques: ['AML.T0010.003'], mitigations: ['AML.M0014'] },
    message: 'unsafe global',
  });

  it('counts AtlasGuard findings JSON by severity', async () => {
    const r = await h.call('POST', `/api/systems/${systemId}/findings`, {
      cookie: h.cookies.engineer,
      body: {
        kind: 'scan-model',
        format: 'json',
        document: { findings: [finding('critical'), finding('low'), finding('critical')] },
      },
    });
    expect(r.status).toBe(201);
    expect((await json<{ summary: Record<string, number> }>(r)).summary).toEqual({
      critical: 2,
      high: 0,
      medium: 0,
      low: 1,
      info: 0,
    });
  });

  it('counts SARIF results by security-severity, else level', async () => {
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'atlasguard' } },
          results: [
            { level: 'error' },
            { level: 'note' },
            { level: 'warning', properties: { 'security-severity': '9.8' } },
          ],
        },
      ],
    };
    const r = await h.call('POST', `/api/systems/${systemId}/findings`, {
      cookie: h.cookies.engineer,
      body: { kind: 'scan-deps', format: 'sarif', document: sarif },
    });
    expect((await json<{ summary: Record<string, number> }>(r)).summary).toEqual({
      critical: 1,
      high: 1,
      medium: 0,
      low: 1,
      info: 0,
    });
    const list = await json<{ items: unknown[] }>(
      await h.call('GET', `/api/systems/${systemId}/findings`, { cookie: h.cookies.viewer }),
    );
    expect(list.items).toHaveLength(2);
  });

  it('refuses documents of the wrong shape (422)', async () => {
    for (const [format, document] of [
      ['json', { findings: [{ severity: 'apocalyptic' }] }],
      ['json', 'nope'],
      ['sarif', { version: '2.0.0', runs: [] }],
      ['sarif', { findings: [] }],
    ] as const) {
      const r = await h.call('POST', `/api/systems/${systemId}/findings`, {
        cookie: h.cookies.engineer,
        body: { kind: 'scan-model', format, document },
      });
      expect(r.status).toBe(422);
    }
  });
});

describe('API tokens', () => {
  it('lets a scoped CI token upload findings for its system only, never more', async () => {
    const other = await json<{ id: string }>(
      await h.call('POST', '/api/systems', {
        cookie: h.cookies.admin,
        body: { slug: 'other', name: 'Other' },
      }),
    );
    const created = await h.call('POST', '/api/tokens', {
      cookie: h.cookies.security,
      body: { name: 'ci', actions: ['findings:write', 'systems:read'], systems: [systemId] },
    });
    expect(created.status).toBe(201);
    const { token, record } = await json<{ token: string; record: { id: string } }>(created);
    expect(token).toMatch(/^agt_/);
    const stored = await h.storage.listApiTokens();
    expect(JSON.stringify(stored)).not.toContain(token);
    const doc = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] };
    const body = { kind: 'scan-deps', format: 'sarif', document: doc };
    expect((await h.call('POST', `/api/systems/${systemId}/findings`, { token, body })).status).toBe(201);
    // bearer calls skip the cookie CSRF check but still need JSON
    expect(
      (
        await h.call('POST', `/api/systems/${systemId}/findings`, {
          token,
          body,
          headers: { 'sec-fetch-site': 'cross-site' },
        })
      ).status,
    ).toBe(201);
    expect((await h.call('POST', `/api/systems/${other.id}/findings`, { token, body })).status).toBe(403);
    expect(
      (await h.call('PUT', `/api/systems/${systemId}/answers/Q1`, { token, body: { answer: 'yes' } })).status,
    ).toBe(403);
    expect((await h.call('GET', '/api/users', { token })).status).toBe(403);
    expect(
      (await h.call('POST', '/api/tokens', { token, body: { name: 'x', actions: ['findings:write'] } }))
        .status,
    ).toBe(403);
    const listed = await json<{ items: { id: string }[] }>(await h.call('GET', '/api/systems', { token }));
    expect(listed.items.map((s) => s.id)).toEqual([systemId]);
    expect((await h.call('DELETE', `/api/tokens/${record.id}`, { cookie: h.cookies.security })).status).toBe(
      200,
    );
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('refuses tokens with actions beyond the creator’s role, and expired tokens', async () => {
    const beyond = await h.call('POST', '/api/tokens', {
      cookie: h.cookies.security,
      body: { name: 'x', actions: ['users:manage'] },
    });
    expect(beyond.status).toBe(403);
    const short = await json<{ token: string }>(
      await h.call('POST', '/api/tokens', {
        cookie: h.cookies.admin,
        body: { name: 'short', actions: ['systems:read'], expiresAt: '2026-06-02T00:00:00.000Z' },
      }),
    );
    expect((await h.call('GET', '/api/systems', { token: short.token })).status).toBe(200);
    h.clock.now = Date.parse('2026-06-03T00:00:00.000Z');
    try {
      expect((await h.call('GET', '/api/systems', { token: short.token })).status).toBe(401);
    } finally {
      h.clock.now = Date.parse('2026-06-01T12:00:00.000Z');
    }
  });
});

describe('users', () => {
  it('creates accounts with strong-enough passwords and protects the admin from locking themselves out', async () => {
    const weak = await h.call('POST', '/api/users', {
      cookie: h.cookies.admin,
      body: { email: 'w@example.org', name: 'W', role: 'viewer', password: 'short' },
    });
    expect(weak.status).toBe(400);
    const made = await h.call('POST', '/api/users', {
      cookie: h.cookies.admin,
      body: {
        email: 'New.Person@Example.org',
        name: 'New',
        role: 'engineer',
        password: 'a fine long password',
      },
    });
    expect(made.status).toBe(201);
    expect(await json<{ email: string }>(made)).toMatchObject({ email: 'new.person@example.org' });
    const stored = await h.storage.getUserByEmail('new.person@example.org');
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(
      (
        await h.call('PATCH', `/api/users/${h.userIds.admin}`, {
          cookie: h.cookies.admin,
          body: { role: 'viewer' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await h.call('DELETE', `/api/users/${h.userIds.admin}`, { cookie: h.cookies.admin })).status,
    ).toBe(409);
    const users = await json<{ items: Record<string, unknown>[] }>(
      await h.call('GET', '/api/users', { cookie: h.cookies.admin }),
    );
    expect(users.items.every((u) => !('passwordHash' in u))).toBe(true);
  });
});

describe('export and import over HTTP', () => {
  it('exports the workspace and imports it into a fresh server (round trip)', async () => {
    const res = await h.call('GET', '/api/export', { cookie: h.cookies.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const dump = await json<{ tables: { systems: unknown[]; evidence_blobs: unknown[] } }>(res);
    expect(dump.tables.systems.length).toBeGreaterThanOrEqual(2);
    const fresh = await makeHarness();
    try {
      const refused = await fresh.call('POST', '/api/import', { cookie: fresh.cookies.admin, body: dump });
      expect(refused.status).toBe(409);
      const ok = await fresh.call('POST', '/api/import?replace=true', {
        cookie: fresh.cookies.admin,
        body: dump,
      });
      expect(ok.status).toBe(200);
      const again = await h.storage.listSystems();
      expect((await fresh.storage.listSystems()).map((s) => s.id)).toEqual(again.map((s) => s.id));
      // the import replaced the accounts: the old session is gone, the exported accounts sign in
      expect((await fresh.call('GET', '/api/auth/me', { cookie: fresh.cookies.admin })).status).toBe(401);
      await fresh.login('admin@example.org');
    } finally {
      await fresh.dispose();
    }
  });
});

describe('operations endpoints', () => {
  it('serves /healthz, Prometheus /metrics with bounded labels, and the OpenAPI 3.1 document', async () => {
    const health = await h.call('GET', '/healthz');
    expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite' });
    for (let i = 0; i < 5; i++)
      await h.call('GET', `/api/systems/${String(i)}-random-${String(Math.random())}`, {
        cookie: h.cookies.viewer,
      });
    const metrics = await (await h.call('GET', '/metrics')).text();
    expect(metrics).toContain('# TYPE atlasguard_http_requests_total counter');
    expect(metrics).toMatch(
      /atlasguard_http_requests_total\{method="GET",route="\/api\/systems\/:id",status="4xx"\} \d+/,
    );
    expect(metrics).not.toContain('random');
    expect(metrics).toMatch(/atlasguard_systems \d+/);
    const doc = await json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>(await h.call('GET', '/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/systems/{id}/findings');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['System', 'Risk', 'Evidence', 'Error']),
    );
  });

  it('protects /metrics with a token when one is configured', async () => {
    const m = await makeHarness({ metricsToken: 'metrics-secret' });
    try {
      expect((await m.call('GET', '/metrics')).status).toBe(401);
      expect(
        (await m.call('GET', '/metrics', { headers: { authorization: 'Bearer metrics-secret' } })).status,
      ).toBe(200);
    } finally {
      await m.dispose();
    }
  });
});
