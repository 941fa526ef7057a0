import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import { DEFAULT_DB_FILE, defaultDataDir } from './data-dir.js';
import type { DB } from './db-types.js';
import { migrationProvider, type DialectName } from './migrations.js';

export interface DatabaseTarget {
  dialect: DialectName;
  /** SQLite: the file path (or `:memory:`). PostgreSQL: the connection string. */
  location: string;
}

/**
 * Reads `--db`: nothing → the SQLite file in the data directory; `postgres://…` / `postgresql://…` →
 * PostgreSQL; `sqlite:PATH` or a plain path → that SQLite file.
 */
export function resolveDatabaseTarget(
  url: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): DatabaseTarget {
  if (url === undefined || url === '') {
    return { dialect: 'sqlite', location: join(defaultDataDir(env), DEFAULT_DB_FILE) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', location: url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new AtlasGuardError(`unsupported database URL scheme in --db ${redactUrl(url)}`, {
      hint: 'use postgres://user@host:5432/db, sqlite:PATH or a file path',
      exitCode: ExitCode.Usage,
    });
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path === '') {
    throw new AtlasGuardError('empty SQLite path in --db', {
      hint: 'use sqlite:PATH',
      exitCode: ExitCode.Usage,
    });
  }
  return { dialect: 'sqlite', location: path === ':memory:' ? path : resolve(cwd, path) };
}

/** A connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export interface OpenOptions {
  /** PostgreSQL only: work inside this schema (created if missing); used by tests to isolate runs. */
  schema?: string | undefined;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number | undefined;
}

export interface OpenedDatabase {
  db: Kysely<DB>;
  dialect: DialectName;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the database and brings its schema up to date. */
export async function openDatabase(
  target: DatabaseTarget,
  options: OpenOptions = {},
): Promise<OpenedDatabase> {
  let db: Kysely<DB>;
  if (target.dialect === 'sqlite') {
    if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true, mode: 0o700 });
    let database: BetterSqlite3.Database;
    try {
      database = new BetterSqlite3(target.location);
    } catch (error) {
      throw new AtlasGuardError(`cannot open the SQLite database ${target.location}`, {
        hint: error instanceof Error ? error.message : 'check the path and its permissions',
        cause: error,
      });
    }
    // WAL lets readers run beside the writer; synchronous=FULL fsyncs each commit, so an acknowledged write
    // survives a killed process and a power cut; the busy timeout waits out another process's lock.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  } else {
    const schema = options.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new AtlasGuardError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`, {
        exitCode: ExitCode.Usage,
      });
    }
    const pool = new pg.Pool({ connectionString: target.location, max: options.poolSize ?? 10 });
    db = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool,
        ...(schema === undefined
          ? {}
          : {
              onCreateConnection: async (connection) => {
                await connection.executeQuery(sql`set search_path to ${sql.id(schema)}`.compile(db));
              },
            }),
      }),
    });
    try {
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      else await sql`select 1`.execute(db);
    } catch (error) {
      await db.destroy();
      throw new AtlasGuardError(`cannot connect to PostgreSQL at ${redactUrl(target.location)}`, {
        hint: error instanceof Error ? error.message : 'check that the server is up and the URL is right',
        cause: error,
      });
    }
  }
  // With a schema, the migration tables live in it too (Kysely otherwise finds another schema's tables).
  const migrator = new Migrator({
    db,
    provider: migrationProvider(target.dialect),
    ...(target.dialect === 'postgres' && options.schema !== undefined
      ? { migrationTableSchema: options.schema }
      : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new AtlasGuardError('database migration failed', {
      hint: error instanceof Error ? error.message : 'see the database log',
      cause: error,
    });
  }
  return { db, dialect: target.dialect };
}
