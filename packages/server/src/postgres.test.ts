import { describe, expect, it } from 'vitest';
import { openStorage } from '@atlasguard/storage';
import {
  dropSchema,
  findTestPostgres,
  requirePostgresInCi,
  uniqueSchemaName,
} from '../../storage/src/test-support/postgres.js';
import { createApp } from './app.js';
import { PasswordHasher } from './passwords.js';
import { readFileSync } from 'node:fs';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { minimalAssessment, PASSWORD } from './test-support/harness.js';

const EXAMPLE = readFileSync(
  new URL('../../../examples/card-fraud-scoring/atlasguard.yaml', import.meta.url),
  'utf8',
);

const url = await findTestPostgres();
requirePostgresInCi(url);

describe.skipIf(url === undefined)('server on PostgreSQL (unique schema)', () => {
  it('runs the main flow: login, system, model, run, risk acceptance, evidence, findings, export', async () => {
    const schema = uniqueSchemaName('ag_srv');
    const storage = await openStorage(url, { schema, poolSize: 4 });
    try {
      const hasher = new PasswordHasher(2);
      await storage.createUser({
        email: 'admin@example.org',
        name: 'A',
        role: 'admin',
        passwordHash: await hasher.hash(PASSWORD),
      });
      const { app } = createApp({ storage, hasher, log: () => undefined });
      const call = async (method: string, path: string, body?: unknown, cookie?: string) =>
        app.request(`http://localhost${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const login = await call('POST', '/api/auth/login', { email: 'admin@example.org', password: PASSWORD });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const sys = (await (await call('POST', '/api/systems', { slug: 'pg', name: 'PG' }, cookie)).json()) as {
        id: string;
      };
      expect(
        (
          await call(
            'POST',
            `/api/systems/${sys.id}/runs`,
            { result: minimalAssessment({ critical: 1 }) },
            cookie,
          )
        ).status,
      ).toBe(201);
      const risk = (await (
        await call('POST', `/api/systems/${sys.id}/risks`, { title: 'r', level: 'critical' }, cookie)
      ).json()) as { id: string };
      const accepted = await call(
        'POST',
        `/api/risks/${risk.id}/acceptance`,
        { approver: 'CISO', reason: 'r', expiresAt: '2099-01-01T00:00:00.000Z' },
        cookie,
      );
      expect(((await accepted.json()) as { status: string }).status).toBe('accepted');
      const file = await app.request(
        `http://localhost/api/systems/${sys.id}/evidence/files?title=t&fileName=a.bin`,
        {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/octet-stream' },
          body: new Uint8Array([1, 2, 3, 0, 255]),
        },
      );
      expect(file.status).toBe(201);
      const evidence = (await file.json()) as { id: string };
      const back = await app.request(`http://localhost/api/evidence/${evidence.id}/content`, {
        headers: { cookie },
      });
      expect(Array.from(new Uint8Array(await back.arrayBuffer()))).toEqual([1, 2, 3, 0, 255]);
      const runs = (await (await call('GET', `/api/systems/${sys.id}/runs`, undefined, cookie)).json()) as {
        items: { residualLevel: string }[];
      };
      expect(runs.items[0]?.residualLevel).toBe('critical');
      const dump = (await (await call('GET', '/api/export', undefined, cookie)).json()) as {
        tables: { evidence_blobs: unknown[] };
      };
      expect(dump.tables.evidence_blobs).toHaveLength(1);
      expect(await (await call('GET', '/healthz')).json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      await storage.close();
      if (url !== undefined) await dropSchema(url, schema);
    }
  });

  it('assesses on the server: model, answer with evidence, portfolio, matrix, register sync, XLSX export', async () => {
    const schema = uniqueSchemaName('ag_srv_assess');
    const storage = await openStorage(url, { schema, poolSize: 4 });
    try {
      const hasher = new PasswordHasher(2);
      await storage.createUser({
        email: 'sec@example.org',
        name: 'S',
        role: 'security',
        passwordHash: await hasher.hash(PASSWORD),
      });
      const { app } = createApp({ storage, hasher, catalog: testCatalog(), log: () => undefined });
      const call = async (method: string, path: string, body?: unknown, cookie?: string) =>
        app.request(`http://localhost${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const login = await call('POST', '/api/auth/login', { email: 'sec@example.org', password: PASSWORD });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const sys = (await (await call('POST', '/api/systems', { slug: 'pg', name: 'PG' }, cookie)).json()) as {
        id: string;
      };
      const up = (await (
        await call('POST', `/api/systems/${sys.id}/models`, { yaml: EXAMPLE }, cookie)
      ).json()) as { run: { trigger: string; residualLevel: string; residualScore: number } };
      expect(up.run).toMatchObject({ trigger: 'model', residualLevel: 'critical' });
      await call(
        'POST',
        `/api/systems/${sys.id}/evidence/links`,
        { title: 'log', url: 'https://ci.example.org/l', questionId: 'Q-AML.M0014-1' },
        cookie,
      );
      const put = (await (
        await call('PUT', `/api/systems/${sys.id}/answers/Q-AML.M0014-1`, { answer: 'yes' }, cookie)
      ).json()) as { run: { trigger: string; residualScore: number } };
      expect(put.run.trigger).toBe('answer');
      expect(put.run.residualScore).toBeLessThan(up.run.residualScore);
      const matrix = (await (
        await call('GET', `/api/systems/${sys.id}/matrix`, undefined, cookie)
      ).json()) as {
        tactics: { techniques: { id: string; residual: { level: string | null } }[] }[];
      };
      const t10 = matrix.tactics.flatMap((t) => t.techniques).find((t) => t.id === 'AML.T0010');
      expect(t10?.residual.level).toBe('medium');
      const portfolio = (await (await call('GET', '/api/portfolio', undefined, cookie)).json()) as {
        systems: { trend: unknown[]; residualLevel: string }[];
      };
      expect(portfolio.systems[0]?.trend).toHaveLength(3);
      const risks = await storage.listRisks({ systemId: sys.id, page: { limit: 500 } });
      expect(risks.length).toBe(79);
      expect(risks.find((r) => r.techniqueId === 'AML.T0010')?.level).toBe('medium');
      const xlsx = await call('GET', `/api/risks/export?format=xlsx&systemId=${sys.id}`, undefined, cookie);
      expect(xlsx.status).toBe(200);
      expect(
        Buffer.from(await xlsx.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
    } finally {
      await storage.close();
      if (url !== undefined) await dropSchema(url, schema);
    }
  });
});
