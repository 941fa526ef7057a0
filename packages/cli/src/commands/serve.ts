import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import type { Catalog } from '@atlasguard/core';
import type { CliContext } from '../context.js';

// `atlasguard serve`: the HTTP API over the workspace database. Registration is cheap: the server, the database
// drivers and argon2 load only when the command runs.

export interface ServeOptions {
  db?: string | undefined;
  port: number;
  host: string;
  adminEmail?: string | undefined;
  adminPasswordStdin?: true | undefined;
  origin?: string[] | undefined;
}

const parsePort = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
};

const parseOrigin = (value: string, previous: string[] | undefined): string[] => {
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    throw new InvalidArgumentError('expected an origin like https://atlasguard.example.org');
  }
  if (origin === 'null') throw new InvalidArgumentError('expected an http(s) origin');
  return [...(previous ?? []), origin];
};

/** Reads the first admin's password from stdin (at most 1 KiB; one trailing newline dropped). */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1024) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function serve(ctx: CliContext, options: ServeOptions, signal?: AbortSignal): Promise<void> {
  const { startServer, redactUrl } = await import('@atlasguard/server');
  const db = options.db ?? (ctx.env.ATLASGUARD_DB === '' ? undefined : ctx.env.ATLASGUARD_DB);
  const adminPassword =
    options.adminEmail === undefined
      ? undefined
      : options.adminPasswordStdin === true
        ? await readPasswordFromStdin()
        : ctx.env.ATLASGUARD_ADMIN_PASSWORD;
  // The ATLAS catalog, resolved like `assess` does. Without it the server still starts; assessment routes
  // answer 503 no-atlas-data.
  let catalog: Catalog | undefined;
  try {
    const { loadKbCatalog } = await import('./kb-runtime.js');
    const loaded = await loadKbCatalog(ctx);
    catalog = loaded.catalog;
    ctx.stderr.write(`atlasguard serve: ATLAS ${loaded.catalog.version} from ${loaded.source}\n`);
  } catch (error) {
    const hint = (error as { hint?: unknown }).hint;
    ctx.stderr.write(
      `atlasguard serve: assessment is off: ${error instanceof Error ? error.message : String(error)}` +
        (typeof hint === 'string' ? `\n  ${hint}\n` : '\n'),
    );
  }
  const server = await startServer({
    catalog,
    db,
    port: options.port,
    host: options.host,
    adminEmail: options.adminEmail,
    adminPassword,
    allowedOrigins: options.origin,
    metricsToken: ctx.env.ATLASGUARD_METRICS_TOKEN === '' ? undefined : ctx.env.ATLASGUARD_METRICS_TOKEN,
    env: ctx.env,
    cwd: ctx.cwd,
    log: (line) => ctx.stderr.write(`${line}\n`),
  });
  const where = server.storage.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  ctx.stderr.write(
    `atlasguard serve: listening on ${server.url} (${where}${db === undefined ? ', default data directory' : ` ${redactUrl(db)}`})\n`,
  );
  if (server.setupToken !== undefined) {
    ctx.stderr.write(
      `atlasguard serve: no accounts yet. One-time setup token (shown once):\n  ${server.setupToken}\n` +
        `  create the first admin: POST ${server.url}/api/auth/setup {"token","email","name","password"}\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  ctx.stderr.write('atlasguard serve: shutting down\n');
  await server.close();
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(
      'run the AtlasGuard HTTP API (SQLite in the data directory by default; --db postgres://… for a team)',
    )
    .option(
      '--db <url>',
      'database: postgres://user@host/db, sqlite:PATH or a file path (else $ATLASGUARD_DB, else the data dir)',
    )
    .addOption(new Option('--port <n>', 'TCP port').argParser(parsePort).default(8484))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--admin-email <email>',
      'first start only: create this admin (password from $ATLASGUARD_ADMIN_PASSWORD)',
    )
    .option('--admin-password-stdin', 'read the first admin password from stdin instead of the environment')
    .option(
      '--origin <url>',
      'another origin allowed to call the API with a session cookie (repeatable)',
      parseOrigin,
    )
    .action(async (options) => {
      await serve(ctx, options);
    });
}
