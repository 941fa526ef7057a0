import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Role, type Storage } from '@atlasguard/storage';
import { createApp, type ServerOptions } from '../app.js';
import { PasswordHasher } from '../passwords.js';

export const PASSWORD = 'correct horse battery staple';
export const ROLE_LIST: readonly Role[] = ['admin', 'security', 'engineer', 'risk', 'viewer'];

export interface CallOptions {
  cookie?: string | undefined;
  token?: string | undefined;
  body?: unknown;
  raw?: string | Uint8Array | undefined;
  headers?: Record<string, string> | undefined;
}

export interface Harness {
  storage: Storage;
  clock: { now: number };
  app: ReturnType<typeof createApp>['app'];
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Signs in and returns the Cookie header value. */
  login(email: string, password?: string): Promise<string>;
  /** One signed-in cookie per role (accounts `<role>@example.org`). */
  cookies: Record<Role, string>;
  userIds: Record<Role, string>;
  dispose(): Promise<void>;
}

/** An in-process app over a temp SQLite file with one account per role. */
export async function makeHarness(options: Partial<ServerOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-server-'));
  const clock = { now: Date.parse('2026-06-01T12:00:00.000Z') };
  const storage = await openStorage(join(dir, 'ws.sqlite'), { clock: () => new Date(clock.now) });
  const hasher = new PasswordHasher(2);
  const { app } = createApp({ storage, hasher, now: () => clock.now, log: () => undefined, ...options });
  const call = (method: string, path: string, o: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.cookie !== undefined) headers.cookie = o.cookie;
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(
      app.request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
    );
  };
  const login = async (email: string, password = PASSWORD): Promise<string> => {
    const res = await call('POST', '/api/auth/login', { body: { email, password } });
    if (res.status !== 200)
      throw new Error(`login ${email} failed: ${String(res.status)} ${await res.text()}`);
    const set = res.headers.get('set-cookie') ?? '';
    return set.split(';')[0] ?? '';
  };
  const hash = await hasher.hash(PASSWORD);
  const userIds = {} as Record<Role, string>;
  for (const role of ROLE_LIST) {
    const u = await storage.createUser({
      email: `${role}@example.org`,
      name: role,
      role,
      passwordHash: hash,
    });
    userIds[role] = u.id;
  }
  const cookies = {} as Record<Role, string>;
  for (const role of ROLE_LIST) cookies[role] = await login(`${role}@example.org`);
  return {
    storage,
    clock,
    app,
    call,
    login,
    cookies,
    userIds,
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The smallest document `assessmentSchema` accepts (what `atlasguard assess --format json` writes). */
export function minimalAssessment(
  residual: { critical?: number; high?: number } = {},
): Record<string, unknown> {
  return {
    schemaVersion: 1,
    tool: { name: 'atlasguard', version: '0.1.0' },
    atlas: { version: '5.6.0', techniques: 170 },
    assessedOn: '2026-06-01',
    source: 'model.yaml',
    policy: { name: 'default', thresholds: [4, 9, 16] },
    system: {
      id: 'fraud',
      name: 'Fraud scorer',
      sector: 'finance',
      criticality: 'high',
      riskAppetite: 'low',
      regulations: [],
      dataClasses: [],
      owners: [],
      assets: [],
      actors: [],
      flows: 0,
      traits: [],
    },
    coverage: {
      techniques: 170,
      applies: 0,
      notApplicable: 0,
      unknown: 170,
      unknownToRules: [],
      decided: 0,
      mitigated: 0,
      gaps: 0,
      questions: { attached: 0, answered: 0, passed: 0 },
    },
    elements: [
      {
        element: 'model',
        assets: 1,
        applies: 1,
        unknown: 0,
        residual: { critical: residual.critical ?? 0, high: residual.high ?? 0, medium: 1, low: 0 },
      },
    ],
    ledger: [],
    risks: [],
    scenarios: [],
    questions: [],
    warnings: [],
  };
}
