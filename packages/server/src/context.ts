import type { Context } from 'hono';
import type { AuditInput, Storage } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import type { Assessor } from './assessor.js';
import type { Metrics } from './metrics.js';
import type { PasswordHasher } from './passwords.js';
import { can, type Action, type Actor, type Resource } from './permissions.js';
import type { RateLimiter } from './rate-limit.js';

/** Result of checking an uploaded system model YAML. */
export interface ModelIssueOut {
  message: string;
  hint?: string;
  path?: string;
  line?: number;
  column?: number;
}
export type ModelCheck = { ok: true } | { ok: false; issues: ModelIssueOut[] };

export interface ServerLimits {
  /** Default cap for JSON request bodies. */
  jsonBytes: number;
  evidenceBytes: number;
  findingsBytes: number;
  importBytes: number;
}

export interface ServerDeps {
  storage: Storage;
  /** Server-side assessment (catalog, effective model, runs, register sync). */
  assessor: Assessor;
  hasher: PasswordHasher;
  metrics: Metrics;
  limits: ServerLimits;
  session: { idleMs: number; absoluteMs: number };
  loginByIp: RateLimiter;
  loginByAccount: RateLimiter;
  /** Origins allowed to make state-changing calls with a session cookie (besides the request's own). */
  allowedOrigins: readonly string[];
  clientIp: (c: Context) => string;
  validateModel: (yaml: string) => ModelCheck;
  log: (line: string) => void;
}

export interface AppEnv {
  Variables: {
    actor: Actor | null;
    sessionHash: string | null;
  };
}

export type AppContext = Context<AppEnv>;

/** The actor, or 401. */
export function requireActor(c: AppContext): Actor {
  const actor = c.get('actor');
  if (actor === null) throw new ApiError(401, 'unauthenticated', 'sign in or send an API token');
  return actor;
}

/** The service-layer gate: 401 without an actor, 403 when `can()` says no. */
export function authorize(c: AppContext, action: Action, resource: Resource = {}): Actor {
  const actor = requireActor(c);
  if (!can(actor, action, resource)) {
    throw new ApiError(403, 'forbidden', `your role may not do ${action}`);
  }
  return actor;
}

export function auditOf(actor: Actor, action: string, detail?: Record<string, unknown>): AuditInput {
  return actor.kind === 'token'
    ? { actorId: actor.token.id, actorKind: 'token', action, detail: { ...detail, userId: actor.user.id } }
    : { actorId: actor.user.id, actorKind: 'user', action, ...(detail === undefined ? {} : { detail }) };
}
