import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { assessmentSchema, type Assessment } from '@atlasguard/core';
import type { SystemRecord } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { auditOf, authorize, type AppEnv, type ServerDeps } from './context.js';
import { runSummaryOut } from './assessor.js';
import { firstIssues } from './findings-summary.js';
import { reassess } from './reassess.js';
import { residualLevelOf, summarize } from './run-summary.js';
import { cookieAuth, errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import {
  createSystemBody,
  errorSchema,
  idParam,
  items,
  modelBody,
  modelVersionSchema,
  pageQuery,
  runBody,
  runSchema,
  runSummarySchema,
  systemSchema,
  updateSystemBody,
} from './schemas.js';

export async function systemOr404(deps: ServerDeps, id: string): Promise<SystemRecord> {
  const system = await deps.storage.getSystem(id);
  if (system === undefined) throw new ApiError(404, 'not-found', 'no such system');
  return system;
}

export function registerSystemRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  const { storage } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems',
      tags: ['systems'],
      summary: 'List AI systems (the portfolio)',
      security: cookieAuth,
      request: { query: pageQuery },
      responses: {
        200: jsonContent(items(systemSchema).extend({ total: z.number() }), 'Systems'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const actor = authorize(c, 'systems:read', { filteredList: true });
      const page = c.req.valid('query');
      let list = await storage.listSystems(page);
      if (actor.kind === 'token' && actor.token.scopes.systems !== null) {
        const allowed = new Set(actor.token.scopes.systems);
        list = list.filter((s) => allowed.has(s.id));
      }
      return c.json({ items: list, total: await storage.countSystems() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems',
      tags: ['systems'],
      summary: 'Create an AI system',
      security: cookieAuth,
      request: jsonBody(createSystemBody),
      responses: { 201: jsonContent(systemSchema, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const actor = authorize(c, 'systems:write');
      const body = c.req.valid('json');
      return c.json(
        await storage.createSystem(body, auditOf(actor, 'system.create', { slug: body.slug })),
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}',
      tags: ['systems'],
      summary: 'One AI system',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(systemSchema, 'The system'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      return c.json(await systemOr404(deps, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/systems/{id}',
      tags: ['systems'],
      summary: 'Change an AI system',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(updateSystemBody) },
      responses: { 200: jsonContent(systemSchema, 'Updated'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'systems:write', { systemId: id });
      return c.json(
        await storage.updateSystem(id, c.req.valid('json'), auditOf(actor, 'system.update')),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/systems/{id}',
      tags: ['systems'],
      summary: 'Delete an AI system and everything attached to it',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Deleted'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'systems:delete', { systemId: id });
      await storage.deleteSystem(id, auditOf(actor, 'system.delete'));
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/models',
      tags: ['models'],
      summary: 'Import a new version of the system model (YAML, validated before it is stored)',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(modelBody) },
      responses: {
        201: jsonContent(
          modelVersionSchema.extend({ run: runSummarySchema.nullable() }),
          'Stored, and the system re-assessed with it (run: null without ATLAS data)',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'models:write', { systemId: id });
      await systemOr404(deps, id);
      const { yaml } = c.req.valid('json');
      const check = deps.validateModel(yaml);
      if (!check.ok)
        throw new ApiError(422, 'invalid-model', 'the system model is not valid', { details: check.issues });
      const version = await storage.addModelVersion(id, yaml, actor.user.id, auditOf(actor, 'model.import'));
      return c.json({ ...version, run: await reassess(deps, id, 'model', actor) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/models',
      tags: ['models'],
      summary: 'Model versions of a system, newest first',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(items(modelVersionSchema), 'Versions'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      return c.json({ items: await storage.listModelVersions(id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/models/{version}',
      tags: ['models'],
      summary: 'One model version with its YAML (`latest` for the newest)',
      security: cookieAuth,
      request: {
        params: idParam.extend({
          version: z.union([z.literal('latest'), z.coerce.number().int().min(1).max(1e9)]),
        }),
      },
      responses: { 200: jsonContent(modelVersionSchema, 'The version'), ...errorResponses },
    }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      const found = await storage.getModelVersion(id, version === 'latest' ? undefined : version);
      if (found === undefined) throw new ApiError(404, 'not-found', 'no such model version');
      return c.json(found, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/runs',
      tags: ['runs'],
      summary: 'Store an assessment run (the JSON of `atlasguard assess --format json`)',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(runBody) },
      responses: { 201: jsonContent(runSummarySchema, 'Stored'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'runs:write', { systemId: id });
      await systemOr404(deps, id);
      const body = c.req.valid('json');
      const parsed = assessmentSchema.safeParse(body.result);
      if (!parsed.success) {
        throw new ApiError(422, 'invalid-assessment', 'not an assessment result (schemaVersion 1)', {
          details: firstIssues(parsed.error),
        });
      }
      const assessment: Assessment = parsed.data;
      const run = await storage.addRun(
        {
          systemId: id,
          modelVersion: body.modelVersion,
          result: body.result,
          residualLevel: residualLevelOf(assessment),
          createdBy: actor.user.id,
          trigger: 'upload',
          summary: summarize(assessment),
        },
        auditOf(actor, 'run.create'),
      );
      return c.json(runSummaryOut(run), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/runs',
      tags: ['runs'],
      summary: 'Assessment runs of a system, newest first (without their result)',
      security: cookieAuth,
      request: { params: idParam, query: pageQuery },
      responses: { 200: jsonContent(items(runSummarySchema), 'Runs'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      return c.json({ items: (await storage.listRuns(id, c.req.valid('query'))).map(runSummaryOut) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/assess',
      tags: ['runs'],
      summary:
        'Assess the system now (its latest model with the workspace answers, evidence and scan results)',
      security: cookieAuth,
      request: { params: idParam },
      responses: {
        201: jsonContent(runSummarySchema, 'The new run'),
        ...errorResponses,
        503: jsonContent(errorSchema, 'No ATLAS data loaded'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'runs:write', { systemId: id });
      await systemOr404(deps, id);
      deps.assessor.requireCatalog();
      const run = await reassess(deps, id, 'manual', actor);
      if (run === null)
        throw new ApiError(
          409,
          'no-model',
          'the system has no model yet: import its system model YAML first',
        );
      return c.json(run, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{id}',
      tags: ['runs'],
      summary: 'One assessment run with its result',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(runSchema, 'The run'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const run = await storage.getRun(id);
      authorize(c, 'systems:read', { systemId: run?.systemId ?? '' });
      if (run === undefined) throw new ApiError(404, 'not-found', 'no such run');
      return c.json({ ...runSummaryOut(run), result: run.result }, 200);
    },
  );
}
