import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { User } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { auditOf, requireActor, type AppContext, type AppEnv, type ServerDeps } from './context.js';
import { cookieAuth, errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { changePasswordBody, loginBody, publicUserSchema, setupBody } from './schemas.js';

export const SESSION_COOKIE = '__Host-session';
export const SETUP_TOKEN_KEY = 'setup-token-sha256';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
export const newSecret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;

export const publicUser = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/** Starts a session: a fresh token (rotating any session the request carried), stored as its SHA-256. */
async function startSession(c: AppContext, deps: ServerDeps, user: User): Promise<void> {
  const token = newSecret();
  const previous = c.get('sessionHash');
  const expiresAt = new Date(Date.parse(deps.storage.now()) + deps.session.absoluteMs).toISOString();
  await deps.storage.createSession(
    { tokenHash: sha256(token), userId: user.id, expiresAt, replace: previous ?? undefined },
    { actorId: user.id, actorKind: 'user', action: 'auth.login' },
  );
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: Math.floor(deps.session.absoluteMs / 1000),
  });
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/login',
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the __Host-session cookie',
      request: jsonBody(loginBody),
      responses: {
        200: jsonContent(z.object({ user: publicUserSchema }), 'Signed in'),
        ...errorResponses,
        429: jsonContent(
          z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
          'Too many attempts',
        ),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const account = email.trim().toLowerCase();
      const ip = deps.clientIp(c);
      const wait = Math.max(deps.loginByIp.retryAfter(ip), deps.loginByAccount.retryAfter(account));
      if (wait > 0) {
        deps.metrics.rateLimited += 1;
        throw new ApiError(429, 'rate-limited', 'too many sign-in attempts; try again later', {
          headers: { 'Retry-After': String(wait) },
        });
      }
      deps.loginByIp.hit(ip);
      const user = await deps.storage.getUserByEmail(account);
      const ok = await deps.hasher.verify(user?.passwordHash, password);
      if (!ok || user === undefined || user.disabled) {
        deps.loginByAccount.hit(account);
        deps.metrics.loginFailures += 1;
        await deps.storage.appendAudit({
          actorId: user?.id ?? null,
          actorKind: 'user',
          action: 'auth.login-failed',
          resourceType: 'user',
          resourceId: user?.id ?? null,
          detail: { ip },
        });
        throw new ApiError(401, 'bad-credentials', 'wrong email or password');
      }
      deps.loginByAccount.reset(account);
      await startSession(c, deps, user);
      return c.json({ user: publicUser(user) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/logout',
      tags: ['auth'],
      summary: 'End the current session',
      security: cookieAuth,
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Signed out'), ...errorResponses },
    }),
    async (c) => {
      const actor = requireActor(c);
      const hash = c.get('sessionHash');
      if (hash !== null) await deps.storage.deleteSession(hash, auditOf(actor, 'auth.logout'));
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/auth/me',
      tags: ['auth'],
      summary: 'The signed-in account (or the API token owner) and its role',
      security: cookieAuth,
      responses: {
        200: jsonContent(
          z.object({ user: publicUserSchema, via: z.enum(['session', 'token']) }),
          'The current account',
        ),
        ...errorResponses,
      },
    }),
    (c) => {
      const actor = requireActor(c);
      return c.json(
        {
          user: publicUser(actor.user),
          via: actor.kind === 'token' ? ('token' as const) : ('session' as const),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/password',
      tags: ['auth'],
      summary: 'Change your own password (ends every session of the account, then signs in again)',
      security: cookieAuth,
      request: jsonBody(changePasswordBody),
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Changed'), ...errorResponses },
    }),
    async (c) => {
      const actor = requireActor(c);
      if (actor.kind !== 'user') throw new ApiError(403, 'forbidden', 'API tokens cannot change passwords');
      const body = c.req.valid('json');
      if (!(await deps.hasher.verify(actor.user.passwordHash, body.currentPassword))) {
        throw new ApiError(401, 'bad-credentials', 'the current password is wrong');
      }
      const hash = await deps.hasher.hash(body.newPassword);
      const user = await deps.storage.updateUser(
        actor.user.id,
        { passwordHash: hash },
        auditOf(actor, 'auth.password'),
      );
      c.set('sessionHash', null);
      await startSession(c, deps, user);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/setup',
      tags: ['auth'],
      summary: 'First start only: create the first admin with the one-time setup token printed by the server',
      request: jsonBody(setupBody),
      responses: {
        200: jsonContent(z.object({ user: publicUserSchema }), 'Admin created and signed in'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if ((await deps.storage.countUsers()) > 0) {
        throw new ApiError(409, 'already-set-up', 'this workspace already has accounts');
      }
      const hash = await deps.hasher.hash(body.password);
      if (!(await deps.storage.takeSetting(SETUP_TOKEN_KEY, sha256(body.token)))) {
        throw new ApiError(403, 'bad-setup-token', 'the setup token is wrong or was already used');
      }
      const user = await deps.storage.createUser(
        { email: body.email, name: body.name, role: 'admin', passwordHash: hash },
        { actorId: null, actorKind: 'system', action: 'auth.setup' },
      );
      await startSession(c, deps, user);
      return c.json({ user: publicUser(user) }, 200);
    },
  );
}

/** Reads the session cookie or bearer token and puts the actor on the context (or null). */
export async function resolveActor(c: AppContext, deps: ServerDeps): Promise<void> {
  c.set('actor', null);
  c.set('sessionHash', null);
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer (agt_[A-Za-z0-9_-]{20,100})$/.exec(authorization);
    if (!match?.[1]) throw new ApiError(401, 'bad-token', 'malformed Authorization header');
    const token = await deps.storage.getApiTokenByHash(sha256(match[1]));
    const now = deps.storage.now();
    if (
      token === undefined ||
      token.revokedAt !== null ||
      (token.expiresAt !== null && token.expiresAt <= now)
    ) {
      throw new ApiError(401, 'bad-token', 'unknown, revoked or expired API token');
    }
    const user = await deps.storage.getUser(token.userId);
    if (user === undefined || user.disabled)
      throw new ApiError(401, 'bad-token', 'the token owner is disabled');
    if (token.lastUsedAt === null || Date.parse(now) - Date.parse(token.lastUsedAt) > 60_000) {
      await deps.storage.touchApiToken(token.id);
    }
    c.set('actor', { kind: 'token', user, token });
    return;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie === undefined || cookie.length > 200) return;
  const hash = sha256(cookie);
  const session = await deps.storage.getSession(hash);
  if (session === undefined) return;
  const now = Date.parse(deps.storage.now());
  if (Date.parse(session.expiresAt) <= now || Date.parse(session.lastSeenAt) + deps.session.idleMs <= now) {
    await deps.storage.deleteSession(hash);
    return;
  }
  const user = await deps.storage.getUser(session.userId);
  if (user === undefined || user.disabled) return;
  if (now - Date.parse(session.lastSeenAt) > 60_000) await deps.storage.touchSession(hash);
  c.set('actor', { kind: 'user', user });
  c.set('sessionHash', hash);
}
