import { describe, it } from 'vitest';
import { openStorage } from './open-storage.js';
import { runStorageContract } from './storage.case.test.js';
import {
  dropSchema,
  findTestPostgres,
  requirePostgresInCi,
  uniqueSchemaName,
} from './test-support/postgres.js';

const url = await findTestPostgres();
requirePostgresInCi(url);

if (url === undefined) {
  describe('storage contract: PostgreSQL', () => {
    it.skip('PostgreSQL at 127.0.0.1:5432 is unreachable (set ATLASGUARD_TEST_PG; CI=true makes this fail)', () => {
      // visible skip outside CI only
    });
  });
} else {
  const pgUrl = url;
  runStorageContract('PostgreSQL (unique schema per run)', async () => {
    const clock = { now: new Date('2026-06-01T12:00:00.000Z') };
    const schemas = [uniqueSchemaName()];
    const storage = await openStorage(pgUrl, { schema: schemas[0], clock: () => clock.now, poolSize: 3 });
    const extra: { close(): Promise<void> }[] = [];
    return {
      storage,
      clock,
      openEmpty: async () => {
        const schema = uniqueSchemaName();
        schemas.push(schema);
        const s = await openStorage(pgUrl, { schema, clock: () => clock.now, poolSize: 3 });
        extra.push(s);
        return s;
      },
      dispose: async () => {
        await storage.close();
        for (const s of extra) await s.close().catch(() => undefined);
        for (const schema of schemas) await dropSchema(pgUrl, schema);
      },
    };
  });
}
