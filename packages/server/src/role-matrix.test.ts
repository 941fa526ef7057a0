import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@atlasguard/storage';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { repoRoot } from '../../../test/shared-paths.js';
import {
  makeHarness,
  minimalAssessment,
  ROLE_LIST,
  type CallOptions,
  type Harness,
} from './test-support/harness.js';

/**
 * Role × route matrix: every API route, every role, the expected outcome written out by hand (not derived
 * from the permission table it checks). Allowed = neither 401 nor 403 (and no 5xx); forbidden = 403.
 */
const ALL: readonly Role[] = ROLE_LIST;
const SEC: readonly Role[] = ['admin', 'security'];
const ENG: readonly Role[] = ['admin', 'security', 'engineer'];
const RISK: readonly Role[] = ['admin', 'security', 'risk'];
const ADMIN: readonly Role[] = ['admin'];

interface Fixture {
  system: string;
  risk: string;
  evidence: string;
}

interface RouteCase {
  name: string;
  allowed: readonly Role[];
  request(f: Fixture, role: Role): [string, string, CallOptions?];
}

const EXAMPLE_MODEL = readFileSync(
  join(repoRoot, 'examples', 'card-fraud-scoring', 'atlasguard.yaml'),
  'utf8',
);
const NOPE = '00000000-0000-4000-8000-000000000000';

const CASES: RouteCase[] = [
  { name: 'GET /api/auth/me', allowed: ALL, request: () => ['GET', '/api/auth/me'] },
  { name: 'GET /api/systems', allowed: ALL, request: () => ['GET', '/api/systems'] },
  {
    name: 'POST /api/systems',
    allowed: SEC,
    request: (_f, role) => ['POST', '/api/systems', { body: { slug: `m-${role}`, name: 'M' } }],
  },
  { name: 'GET /api/systems/{id}', allowed: ALL, request: (f) => ['GET', `/api/systems/${f.system}`] },
  {
    name: 'PATCH /api/systems/{id}',
    allowed: SEC,
    request: (f) => ['PATCH', `/api/systems/${f.system}`, { body: { owner: 'x' } }],
  },
  { name: 'DELETE /api/systems/{id}', allowed: SEC, request: () => ['DELETE', `/api/systems/${NOPE}`] },
  {
    name: 'POST /api/systems/{id}/models',
    allowed: SEC,
    request: (f) => ['POST', `/api/systems/${f.system}/models`, { body: { yaml: EXAMPLE_MODEL } }],
  },
  {
    name: 'GET /api/systems/{id}/models',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/models`],
  },
  {
    name: 'GET /api/systems/{id}/models/{version}',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/models/latest`],
  },
  {
    name: 'POST /api/systems/{id}/runs',
    allowed: SEC,
    request: (f) => ['POST', `/api/systems/${f.system}/runs`, { body: { result: minimalAssessment() } }],
  },
  {
    name: 'GET /api/systems/{id}/runs',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/runs`],
  },
  { name: 'GET /api/runs/{id}', allowed: ALL, request: () => ['GET', `/api/runs/${NOPE}`] },
  {
    name: 'GET /api/systems/{id}/report',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/report?format=md`],
  },
  { name: 'GET /api/risks/export', allowed: ALL, request: () => ['GET', '/api/risks/export?format=xlsx'] },
  { name: 'GET /api/portfolio', allowed: ALL, request: () => ['GET', '/api/portfolio'] },
  {
    name: 'GET /api/systems/{id}/matrix',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/matrix`],
  },
  {
    name: 'GET /api/systems/{id}/techniques/{techniqueId}',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/techniques/AML.T0010`],
  },
  {
    name: 'GET /api/systems/{id}/checklist',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/checklist?persona=engineer`],
  },
  {
    name: 'GET /api/systems/{id}/runs/diff',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/runs/diff`],
  },
  {
    name: 'POST /api/systems/{id}/models/validate',
    allowed: ALL,
    request: (f) => ['POST', `/api/systems/${f.system}/models/validate`, { body: { yaml: EXAMPLE_MODEL } }],
  },
  {
    name: 'GET /api/schemas/system-model.json',
    allowed: ALL,
    request: () => ['GET', '/api/schemas/system-model.json'],
  },
  {
    name: 'POST /api/systems/{id}/assess',
    allowed: SEC,
    request: (f) => ['POST', `/api/systems/${f.system}/assess`],
  },
  { name: 'GET /api/risks', allowed: ALL, request: () => ['GET', '/api/risks'] },
  {
    name: 'POST /api/systems/{id}/risks',
    allowed: RISK,
    request: (f) => ['POST', `/api/systems/${f.system}/risks`, { body: { title: 'r', level: 'low' } }],
  },
  {
    name: 'PATCH /api/risks/{id}',
    allowed: RISK,
    request: (f) => ['PATCH', `/api/risks/${f.risk}`, { body: { owner: 'o' } }],
  },
  {
    name: 'POST /api/risks/{id}/acceptance',
    allowed: RISK,
    request: (f) => [
      'POST',
      `/api/risks/${f.risk}/acceptance`,
      { body: { approver: 'cfo', reason: 'ok', expiresAt: '2027-01-01T00:00:00.000Z' } },
    ],
  },
  {
    name: 'GET /api/systems/{id}/answers',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/answers`],
  },
  {
    name: 'PUT /api/systems/{id}/answers/{questionId}',
    allowed: ENG,
    request: (f) => ['PUT', `/api/systems/${f.system}/answers/Q-1`, { body: { answer: 'yes' } }],
  },
  {
    name: 'GET /api/systems/{id}/evidence',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/evidence`],
  },
  {
    name: 'POST /api/systems/{id}/evidence/links',
    allowed: ENG,
    request: (f) => [
      'POST',
      `/api/systems/${f.system}/evidence/links`,
      { body: { title: 'doc', url: 'https://example.org/doc' } },
    ],
  },
  {
    name: 'POST /api/systems/{id}/evidence/files',
    allowed: ENG,
    request: (f) => [
      'POST',
      `/api/systems/${f.system}/evidence/files?title=t&fileName=a.txt`,
      { raw: new TextEncoder().encode('hello'), headers: { 'content-type': 'application/octet-stream' } },
    ],
  },
  {
    name: 'GET /api/evidence/{id}/content',
    allowed: ALL,
    request: (f) => ['GET', `/api/evidence/${f.evidence}/content`],
  },
  { name: 'DELETE /api/evidence/{id}', allowed: ENG, request: () => ['DELETE', `/api/evidence/${NOPE}`] },
  {
    name: 'POST /api/systems/{id}/findings',
    allowed: ENG,
    request: (f) => [
      'POST',
      `/api/systems/${f.system}/findings`,
      {
        body: {
          kind: 'scan-deps',
          format: 'sarif',
          document: { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } } }] },
        },
      },
    ],
  },
  {
    name: 'GET /api/systems/{id}/findings',
    allowed: ALL,
    request: (f) => ['GET', `/api/systems/${f.system}/findings`],
  },
  { name: 'GET /api/users', allowed: ADMIN, request: () => ['GET', '/api/users'] },
  {
    name: 'POST /api/users',
    allowed: ADMIN,
    request: (_f, role) => [
      'POST',
      '/api/users',
      {
        body: {
          email: `new-${role}@example.org`,
          name: 'N',
          role: 'viewer',
          password: 'long enough password',
        },
      },
    ],
  },
  {
    name: 'PATCH /api/users/{id}',
    allowed: ADMIN,
    request: () => ['PATCH', `/api/users/${NOPE}`, { body: { name: 'x' } }],
  },
  { name: 'DELETE /api/users/{id}', allowed: ADMIN, request: () => ['DELETE', `/api/users/${NOPE}`] },
  { name: 'GET /api/tokens', allowed: SEC, request: () => ['GET', '/api/tokens'] },
  {
    name: 'POST /api/tokens',
    allowed: SEC,
    request: () => ['POST', '/api/tokens', { body: { name: 'ci', actions: ['findings:write'] } }],
  },
  { name: 'DELETE /api/tokens/{id}', allowed: SEC, request: () => ['DELETE', `/api/tokens/${NOPE}`] },
  { name: 'GET /api/audit', allowed: SEC, request: () => ['GET', '/api/audit'] },
  { name: 'GET /api/export', allowed: ADMIN, request: () => ['GET', '/api/export'] },
  {
    name: 'POST /api/import',
    allowed: ADMIN,
    request: () => ['POST', '/api/import', { body: { format: 'nope' } }],
  },
];

let h: Harness;
let fixture: Fixture;

beforeAll(async () => {
  h = await makeHarness({ catalog: testCatalog() });
  const system = await h.storage.createSystem({ slug: 'matrix', name: 'Matrix', description: '', owner: '' });
  const risk = await h.storage.createRisk({
    systemId: system.id,
    techniqueId: null,
    title: 'r',
    level: 'high',
    owner: '',
    treatment: null,
    notes: '',
  });
  const evidence = await h.storage.addEvidence({
    systemId: system.id,
    questionId: null,
    title: 'e',
    expiresAt: null,
    createdBy: null,
    kind: 'file',
    fileName: 'e.txt',
    mediaType: 'text/plain',
    data: new TextEncoder().encode('evidence'),
  });
  await h.storage.addModelVersion(system.id, EXAMPLE_MODEL, null);
  await h.storage.addFindingsUpload({
    systemId: system.id,
    kind: 'scan-model',
    format: 'json',
    payload: '[]',
    summary: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    createdBy: null,
  });
  // two runs, so that every view of the latest run and the diff answer 200
  for (let i = 0; i < 2; i++)
    expect(
      (await h.call('POST', `/api/systems/${system.id}/assess`, { cookie: h.cookies.security })).status,
    ).toBe(201);
  fixture = { system: system.id, risk: risk.id, evidence: evidence.id };
});
afterAll(async () => {
  await h.dispose();
});

describe('role × route matrix', () => {
  it('covers every API route of the OpenAPI document', async () => {
    const doc = (await (await h.call('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set([
      ...CASES.map((c) => c.name),
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/setup',
      'POST /api/auth/password',
    ]);
    expect(documented.filter((d) => !covered.has(d))).toEqual([]);
  });

  for (const route of CASES) {
    for (const role of ALL) {
      const allowed = route.allowed.includes(role);
      it(`${route.name} as ${role}: ${allowed ? 'allowed' : 'forbidden'}`, async () => {
        const [method, path, options] = route.request(fixture, role);
        const res = await h.call(method, path, { ...options, cookie: h.cookies[role] });
        if (allowed) {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
        }
      });
    }
    it(`${route.name} without a session: 401`, async () => {
      const [method, path, options] = route.request(fixture, 'viewer');
      const res = await h.call(method, path, options);
      expect(res.status).toBe(401);
    });
  }

  it('leaves no trace of forbidden writes', async () => {
    for (const role of ['engineer', 'risk', 'viewer'] as const) {
      expect(await h.storage.getSystemBySlug(`m-${role}`)).toBeUndefined();
      expect(await h.storage.getUserByEmail(`new-${role}@example.org`)).toBeUndefined();
    }
    expect(await h.storage.getSystemBySlug('m-admin')).toBeDefined();
    expect(await h.storage.getUserByEmail('new-admin@example.org')).toBeDefined();
  });
});
