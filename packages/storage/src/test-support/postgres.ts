import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Candidate URLs of the local test PostgreSQL (trust auth); ATLASGUARD_TEST_PG overrides. */
export function postgresCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env.ATLASGUARD_TEST_PG;
  if (explicit !== undefined && explicit !== '') return [explicit];
  return ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
}

/** The first candidate that answers, or undefined (callers fail under CI=true, skip visibly otherwise). */
export async function findTestPostgres(): Promise<string | undefined> {
  for (const url of postgresCandidates()) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return url;
    } catch {
      // next candidate
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

export const uniqueSchemaName = (prefix = 'ag_test'): string =>
  `${prefix}_${String(process.pid)}_${randomBytes(6).toString('hex')}`;

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema.replace(/"/g, '')}" cascade`);
  } finally {
    await client.end();
  }
}

/** Refuses to let the PostgreSQL run be skipped silently in CI. */
export function requirePostgresInCi(url: string | undefined): void {
  if (url === undefined && process.env.CI === 'true') {
    throw new Error(
      `PostgreSQL is unreachable (tried ${postgresCandidates().join(', ')}) and CI=true: the PostgreSQL contract run must not be skipped`,
    );
  }
}
