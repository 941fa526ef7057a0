import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import { openStorage, redactUrl, type Storage } from '@atlasguard/storage';
import { createApp, type ServerOptions } from './app.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';
import { newSecret, SETUP_TOKEN_KEY, sha256 } from './routes-auth.js';

export interface StartOptions extends Omit<ServerOptions, 'storage'> {
  /** `--db`: undefined = the SQLite file in the data dir. */
  db?: string | undefined;
  /** PostgreSQL schema to work in (tests, benchmarks). */
  schema?: string | undefined;
  port: number;
  host: string;
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
  /** Sweep interval for expired acceptances and stale sessions (ms). */
  sweepMs?: number | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  storage: Storage;
  /** Printed once on first start when no admin was given; undefined otherwise. */
  setupToken: string | undefined;
  close(): Promise<void>;
}

/** First start: an admin from flags, or a one-time setup token. Never a default password. */
async function bootstrap(storage: Storage, options: StartOptions): Promise<string | undefined> {
  if ((await storage.countUsers()) > 0) return undefined;
  if (options.adminEmail !== undefined) {
    const password = options.adminPassword;
    if (password === undefined || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      throw new AtlasGuardError(
        `--admin-email needs a password of ${String(PASSWORD_MIN)} to ${String(PASSWORD_MAX)} characters`,
        {
          hint: 'set ATLASGUARD_ADMIN_PASSWORD or pipe it on stdin with --admin-password-stdin',
          exitCode: ExitCode.Usage,
        },
      );
    }
    const { PasswordHasher } = await import('./passwords.js');
    await storage.createUser(
      {
        email: options.adminEmail,
        name: 'Administrator',
        role: 'admin',
        passwordHash: await new PasswordHasher(1).hash(password),
      },
      { actorId: null, actorKind: 'system', action: 'auth.bootstrap-admin' },
    );
    return undefined;
  }
  const token = newSecret('setup_');
  await storage.setSetting(SETUP_TOKEN_KEY, sha256(token));
  return token;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const storage = await openStorage(options.db, {
    env: options.env,
    cwd: options.cwd,
    schema: options.schema,
  });
  let setupToken: string | undefined;
  try {
    setupToken = await bootstrap(storage, options);
  } catch (error) {
    await storage.close();
    throw error;
  }
  const { app, deps } = createApp({
    ...options,
    storage,
    clientIp:
      options.clientIp ??
      ((c) => {
        try {
          return getConnInfo(c).remote.address ?? 'unknown';
        } catch {
          return 'unknown';
        }
      }),
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  // Slow-client bounds: headers within 10 s, whole request within 60 s.
  Object.assign(server, { headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new AtlasGuardError(
          `cannot listen on ${options.host}:${String(options.port)}: ${error.code ?? error.message}`,
          {
            hint: error.code === 'EADDRINUSE' ? 'choose another --port' : 'check --host and --port',
            exitCode: ExitCode.Error,
          },
        ),
      );
    });
    server.listen(options.port, options.host, () => {
      resolve();
    });
  }).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const sweep = async (): Promise<void> => {
    try {
      await deps.assessor.sweepExpiry();
      await storage.deleteStaleSessions(
        new Date(Date.parse(storage.now()) - deps.session.idleMs).toISOString(),
      );
    } catch (error) {
      deps.log(`atlasguard serve: sweep failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
  };
  const timer = setInterval(() => void sweep(), options.sweepMs ?? 60_000);
  timer.unref();
  await sweep();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${String(address.port)}`,
    port: address.port,
    storage,
    setupToken,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await storage.close();
    },
  };
}

export { redactUrl };
