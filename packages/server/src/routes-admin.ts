import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { exportWorkspace, importWorkspace, type ApiToken } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { auditOf, authorize, type AppEnv, type ServerDeps } from './context.js';
import { ROLE_ACTIONS } from './permissions.js';
import { cookieAuth, errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { newSecret, publicUser, sha256 } from './routes-auth.js';
import {
  auditSchema,
  createTokenBody,
  createUserBody,
  idParam,
  importQuery,
  items,
  pageQuery,
  publicUserSchema,
  tokenSchema,
  updateUserBody,
} from './schemas.js';

const publicToken = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  userId: t.userId,
  scopes: t.scopes,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  const { storage } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      tags: ['users'],
      summary: 'List accounts (admin)',
      security: cookieAuth,
      responses: { 200: jsonContent(items(publicUserSchema), 'Accounts'), ...errorResponses },
    }),
    async (c) => {
      authorize(c, 'users:manage');
      return c.json({ items: (await storage.listUsers()).map(publicUser) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      tags: ['users'],
      summary: 'Create an account (admin)',
      security: cookieAuth,
      request: jsonBody(createUserBody),
      responses: { 201: jsonContent(publicUserSchema, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const actor = authorize(c, 'users:manage');
      const body = c.req.valid('json');
      const user = await storage.createUser(
        {
          email: body.email,
          name: body.name,
          role: body.role,
          passwordHash: await deps.hasher.hash(body.password),
        },
        auditOf(actor, 'user.create', { role: body.role }),
      );
      return c.json(publicUser(user), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/users/{id}',
      tags: ['users'],
      summary: 'Change an account: name, role, disabled, password (admin; ends its sessions on role change)',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(updateUserBody) },
      responses: { 200: jsonContent(publicUserSchema, 'Updated'), ...errorResponses },
    }),
    async (c) => {
      const actor = authorize(c, 'users:manage');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (
        id === actor.user.id &&
        ((body.role !== undefined && body.role !== 'admin') || body.disabled === true)
      ) {
        throw new ApiError(409, 'self-lockout', 'you cannot demote or disable your own account');
      }
      const user = await storage.updateUser(
        id,
        {
          name: body.name,
          role: body.role,
          disabled: body.disabled,
          passwordHash: body.password === undefined ? undefined : await deps.hasher.hash(body.password),
        },
        auditOf(actor, 'user.update', {
          fields: Object.keys(body)
            .filter((k) => k !== 'password')
            .concat(body.password === undefined ? [] : ['password']),
        }),
      );
      return c.json(publicUser(user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/users/{id}',
      tags: ['users'],
      summary: 'Delete an account (admin)',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Deleted'), ...errorResponses },
    }),
    async (c) => {
      const actor = authorize(c, 'users:manage');
      const { id } = c.req.valid('param');
      if (id === actor.user.id) throw new ApiError(409, 'self-lockout', 'you cannot delete your own account');
      await storage.deleteUser(id, auditOf(actor, 'user.delete'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tokens',
      tags: ['tokens'],
      summary: 'List API tokens (never their secret)',
      security: cookieAuth,
      responses: { 200: jsonContent(items(tokenSchema), 'Tokens'), ...errorResponses },
    }),
    async (c) => {
      authorize(c, 'tokens:manage');
      return c.json({ items: (await storage.listApiTokens()).map(publicToken) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      tags: ['tokens'],
      summary:
        'Create an API token for CI, scoped to actions and optionally systems; the secret is shown once',
      security: cookieAuth,
      request: jsonBody(createTokenBody),
      responses: {
        201: jsonContent(z.object({ token: z.string(), record: tokenSchema }), 'Created'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const actor = authorize(c, 'tokens:manage');
      if (actor.kind !== 'user') throw new ApiError(403, 'forbidden', 'API tokens cannot create tokens');
      const body = c.req.valid('json');
      const allowed = ROLE_ACTIONS[actor.user.role];
      const beyond = body.actions.filter((a) => !allowed.has(a));
      if (beyond.length > 0) {
        throw new ApiError(
          403,
          'forbidden',
          `a token cannot carry actions your role lacks: ${beyond.join(', ')}`,
        );
      }
      const secret = newSecret('agt_');
      const record = await storage.createApiToken(
        {
          name: body.name,
          tokenHash: sha256(secret),
          userId: actor.user.id,
          scopes: { actions: [...new Set(body.actions)], systems: body.systems },
          expiresAt: body.expiresAt,
        },
        auditOf(actor, 'token.create', { actions: body.actions }),
      );
      return c.json({ token: secret, record: publicToken(record) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/tokens/{id}',
      tags: ['tokens'],
      summary: 'Revoke an API token',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Revoked'), ...errorResponses },
    }),
    async (c) => {
      const actor = authorize(c, 'tokens:manage');
      await storage.revokeApiToken(c.req.valid('param').id, auditOf(actor, 'token.revoke'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      tags: ['audit'],
      summary: 'The audit log, newest first',
      security: cookieAuth,
      request: { query: pageQuery },
      responses: { 200: jsonContent(items(auditSchema), 'Entries'), ...errorResponses },
    }),
    async (c) => {
      authorize(c, 'audit:read');
      return c.json({ items: await storage.listAudit(c.req.valid('query')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/export',
      tags: ['workspace'],
      summary: 'Export the whole workspace as JSON (admin; contains password hashes: keep it safe)',
      security: cookieAuth,
      responses: {
        200: { description: 'The workspace export (atlasguard-workspace v1)' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const actor = authorize(c, 'workspace:export');
      const dump = await exportWorkspace(storage);
      await storage.appendAudit({
        ...auditOf(actor, 'workspace.export'),
        resourceType: 'workspace',
        resourceId: null,
      });
      c.header('Content-Disposition', 'attachment; filename="atlasguard-workspace.json"');
      return c.json(dump, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/import',
      tags: ['workspace'],
      summary:
        'Import a workspace export (admin) into an empty workspace, or replace everything with ?replace=true',
      security: cookieAuth,
      request: {
        query: importQuery,
        body: { content: { 'application/json': { schema: z.unknown() } }, required: true },
      },
      responses: {
        200: jsonContent(z.object({ counts: z.record(z.string(), z.number()) }), 'Imported'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const actor = authorize(c, 'workspace:import');
      const replace = c.req.valid('query').replace === 'true';
      const summary = await importWorkspace(storage, c.req.valid('json'), { replace });
      await storage.appendAudit({
        ...auditOf(actor, 'workspace.import', { replace }),
        resourceType: 'workspace',
        resourceId: null,
      });
      return c.json(summary, 200);
    },
  );
}
