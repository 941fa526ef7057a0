import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { Catalog } from '@atlasguard/core';
import { StorageError, type Storage } from '@atlasguard/storage';
import { Assessor } from './assessor.js';
import { ApiError, errorBody } from './api-error.js';
import { resolveActor } from './routes-auth.js';
import { registerAuthRoutes } from './routes-auth.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerRegisterRoutes } from './routes-register.js';
import { registerSystemRoutes } from './routes-systems.js';
import { registerViewRoutes } from './routes-views.js';
import { registerExportRoutes } from './routes-exports.js';
import type { AppContext, AppEnv, ModelCheck, ServerDeps, ServerLimits } from './context.js';
import { Metrics } from './metrics.js';
import { PasswordHasher } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { firstIssues } from './findings-summary.js';
import { SERVER_VERSION } from './version.js';
import { registerWebStatic } from './web-static.js';
import { webRoot } from '@atlasguard/web';

export interface ServerOptions {
  storage: Storage;
  /** The ATLAS catalog loaded at start; without it, assessment routes answer 503 no-atlas-data. */
  catalog?: Catalog | undefined;
  limits?: Partial<ServerLimits> | undefined;
  session?: { idleMs?: number | undefined; absoluteMs?: number | undefined } | undefined;
  login?: { perIp?: number; perAccount?: number; windowMs?: number } | undefined;
  allowedOrigins?: readonly string[] | undefined;
  clientIp?: ((c: Context) => string) | undefined;
  validateModel?: ((yaml: string) => ModelCheck) | undefined;
  /** When set, /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | undefined;
  hasher?: PasswordHasher | undefined;
  log?: ((line: string) => void) | undefined;
  /** Clock for the login limiter (tests). */
  now?: (() => number) | undefined;
}

export const DEFAULT_LIMITS: ServerLimits = {
  jsonBytes: 1024 * 1024,
  evidenceBytes: 25 * 1024 * 1024,
  findingsBytes: 16 * 1024 * 1024,
  importBytes: 256 * 1024 * 1024,
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function buildDeps(options: ServerOptions): ServerDeps {
  const windowMs = options.login?.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const assessor = new Assessor(options.storage, options.catalog);
  return {
    storage: options.storage,
    assessor,
    hasher: options.hasher ?? new PasswordHasher(2),
    metrics: new Metrics(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    session: {
      idleMs: options.session?.idleMs ?? 2 * 3600_000,
      absoluteMs: options.session?.absoluteMs ?? 12 * 3600_000,
    },
    loginByIp: new RateLimiter(options.login?.perIp ?? 30, windowMs, now),
    loginByAccount: new RateLimiter(options.login?.perAccount ?? 5, windowMs, now),
    allowedOrigins: options.allowedOrigins ?? [],
    clientIp: options.clientIp ?? (() => 'unknown'),
    validateModel: options.validateModel ?? ((yaml) => assessor.check(yaml)),
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

/** Which body cap and content type a state-changing API path takes. */
function bodyPolicy(path: string, limits: ServerLimits): { bytes: number; type: 'json' | 'octet' } {
  if (/^\/api\/systems\/[^/]+\/evidence\/files$/.test(path))
    return { bytes: limits.evidenceBytes, type: 'octet' };
  if (/^\/api\/systems\/[^/]+\/findings$/.test(path)) return { bytes: limits.findingsBytes, type: 'json' };
  if (path === '/api/import') return { bytes: limits.importBytes, type: 'json' };
  return { bytes: limits.jsonBytes, type: 'json' };
}

/** CSRF for cookie-authenticated calls: Fetch Metadata and Origin must say same-origin. */
function csrfCheck(c: Context, allowed: readonly string[]): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ApiError(403, 'cross-site', 'cross-site request refused');
  }
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    const own = new URL(c.req.url).origin;
    if (origin !== own && !allowed.includes(origin)) {
      throw new ApiError(403, 'cross-site', 'request from another origin refused');
    }
  }
}

function limitsMiddleware(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, MiddlewareHandler>();
  const limiterFor = (bytes: number): MiddlewareHandler => {
    let l = limiters.get(bytes);
    if (l === undefined) {
      l = bodyLimit({
        maxSize: bytes,
        onError: () => {
          throw new ApiError(413, 'too-large', `the request body is larger than ${String(bytes)} bytes`);
        },
      });
      limiters.set(bytes, l);
    }
    return l;
  };
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    const policy = bodyPolicy(c.req.path, deps.limits);
    const length = c.req.header('content-length');
    const contentType = c.req.header('content-type');
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const want = policy.type === 'json' ? 'application/json' : 'application/octet-stream';
    // A declared type must be the one this route takes; an undeclared one is fine only for an empty body.
    // HTTP/1.1: without Content-Length or Transfer-Encoding a request has no body (Node's parser agrees).
    const emptyBody =
      length === '0' || (length === undefined && c.req.header('transfer-encoding') === undefined);
    if (contentType !== undefined ? type !== want : !emptyBody) {
      throw new ApiError(415, 'unsupported-media-type', `send the body as ${want}`);
    }
    if (c.req.header('authorization') === undefined) csrfCheck(c, deps.allowedOrigins);
    return limiterFor(policy.bytes)(c, next);
  };
}

/** Builds the Hono app (no socket): tests call `app.request()`; `startServer` serves it. */
export function createApp(options: ServerOptions): { app: OpenAPIHono<AppEnv>; deps: ServerDeps } {
  const deps = buildDeps(options);
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(400, 'invalid-request', 'the request does not match the API schema', {
          details: firstIssues(result.error),
        });
      }
      return undefined;
    },
  });

  app.use('*', async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      deps.metrics.observe(
        c.req.method,
        routePath(c as Context),
        c.res.status,
        (performance.now() - start) / 1000,
      );
    }
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CSP,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      xFrameOptions: 'DENY',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('/api/*', limitsMiddleware(deps));
  app.use('/api/*', async (c, next) => {
    await resolveActor(c as AppContext, deps);
    return next();
  });

  app.get('/healthz', async (c) => {
    try {
      await deps.storage.ping();
      return c.json({ status: 'ok', database: deps.storage.dialect });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    if (
      options.metricsToken !== undefined &&
      c.req.header('authorization') !== `Bearer ${options.metricsToken}`
    ) {
      return c.json(errorBody('unauthenticated', 'metrics need the metrics token'), 401);
    }
    const systems = await deps.storage.countSystems().catch(() => -1);
    return c.text(deps.metrics.render({ atlasguard_systems: systems }), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });

  registerAuthRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerSystemRoutes(app, deps);
  registerRegisterRoutes(app, deps);
  registerViewRoutes(app, deps);
  registerExportRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-session',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', { type: 'http', scheme: 'bearer' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'AtlasGuard API',
      version: SERVER_VERSION,
      description:
        'Portfolio, risk register, checklists, evidence and scan results of AI systems. State-changing calls take JSON (evidence files: application/octet-stream).',
    },
  });

  registerWebStatic(app, webRoot());
  app.notFound((c) => c.json(errorBody('not-found', 'no such route'), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
      return c.json(errorBody(error.code, error.message, error.details), error.status);
    }
    if (error instanceof StorageError) {
      const status = error.code === 'not-found' ? 404 : error.code === 'conflict' ? 409 : 400;
      return c.json(errorBody(error.code, error.message), status);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json(
        errorBody(
          status === 413 ? 'too-large' : 'bad-request',
          status === 400 ? 'malformed request body' : error.message,
        ),
        status,
      );
    }
    deps.log(
      `atlasguard serve: internal error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}`,
    );
    return c.json(errorBody('internal', 'internal error'), 500);
  });
  return { app, deps };
}
