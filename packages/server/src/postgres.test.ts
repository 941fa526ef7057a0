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
import { minimalAssessment, PASSWORD } from './test-support/harness.js';

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
});
