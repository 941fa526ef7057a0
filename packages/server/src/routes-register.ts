import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Evidence } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { auditOf, authorize, type AppEnv, type ServerDeps } from './context.js';
import { summarizeFindings } from './findings-summary.js';
import { cookieAuth, errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { reassess } from './reassess.js';
import { systemOr404 } from './routes-systems.js';
import {
  acceptRiskBody,
  answerBody,
  answerSchema,
  createRiskBody,
  evidenceSchema,
  fileEvidenceQuery,
  findingsBody,
  findingsUploadSchema,
  idParam,
  items,
  linkEvidenceBody,
  questionParam,
  riskQuery,
  riskSchema,
  runSummarySchema,
  updateRiskBody,
} from './schemas.js';

const withRun = { run: runSummarySchema.nullable() };

export function registerRegisterRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  const { storage } = deps;
  const withExpiry = (e: Evidence) => ({
    ...e,
    expired: e.expiresAt !== null && e.expiresAt <= storage.now(),
  });

  const riskOr404 = async (id: string) => {
    const risk = await storage.getRisk(id);
    if (risk === undefined) throw new ApiError(404, 'not-found', 'no such risk');
    return risk;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/risks',
      tags: ['risks'],
      summary: 'The risk register across systems (filter by status, level, owner)',
      security: cookieAuth,
      request: { query: riskQuery.extend({ systemId: z.string().max(64).optional() }) },
      responses: { 200: jsonContent(items(riskSchema), 'Risks'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      authorize(c, 'reports:read', { systemId: q.systemId });
      await deps.assessor.sweepExpiry();
      return c.json(
        {
          items: await storage.listRisks({
            systemId: q.systemId,
            status: q.status,
            level: q.level,
            owner: q.owner,
            page: { limit: q.limit, offset: q.offset },
          }),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/risks',
      tags: ['risks'],
      summary: 'Add a risk to the register',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(createRiskBody) },
      responses: { 201: jsonContent(riskSchema, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'risks:write', { systemId: id });
      await systemOr404(deps, id);
      const risk = await storage.createRisk(
        { systemId: id, ...c.req.valid('json') },
        auditOf(actor, 'risk.create'),
      );
      return c.json(risk, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/risks/{id}',
      tags: ['risks'],
      summary:
        'Change a risk: owner, level, notes, treatment (mitigate, transfer, avoid; accept has its own route)',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(updateRiskBody) },
      responses: { 200: jsonContent(riskSchema, 'Updated'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const existing = await riskOr404(id);
      const actor = authorize(c, 'risks:write', { systemId: existing.systemId });
      return c.json(await storage.updateRisk(id, c.req.valid('json'), auditOf(actor, 'risk.update')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/risks/{id}/acceptance',
      tags: ['risks'],
      summary:
        'Accept a risk with an approver and an expiry; it reopens by itself when the acceptance expires',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(acceptRiskBody) },
      responses: {
        200: jsonContent(riskSchema.extend(withRun), 'Accepted (a technique risk re-assesses its system)'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const existing = await riskOr404(id);
      const actor = authorize(c, 'risks:accept', { systemId: existing.systemId });
      const body = c.req.valid('json');
      const risk = await storage.acceptRisk(
        id,
        body,
        auditOf(actor, 'risk.accept', { approver: body.approver }),
      );
      const run = risk.techniqueId === null ? null : await reassess(deps, risk.systemId, 'acceptance', actor);
      return c.json({ ...risk, run }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/answers',
      tags: ['checklist'],
      summary: 'Answers to verification questions for a system',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(items(answerSchema), 'Answers'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      return c.json({ items: await storage.listAnswers(id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/systems/{id}/answers/{questionId}',
      tags: ['checklist'],
      summary: 'Answer a verification question (replaces an earlier answer)',
      security: cookieAuth,
      request: { params: questionParam, ...jsonBody(answerBody) },
      responses: {
        200: jsonContent(answerSchema.extend(withRun), 'Stored, and the system re-assessed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, questionId } = c.req.valid('param');
      const actor = authorize(c, 'answers:write', { systemId: id });
      await systemOr404(deps, id);
      const body = c.req.valid('json');
      const answer = await storage.upsertAnswer(
        { systemId: id, questionId, answer: body.answer, note: body.note, answeredBy: actor.user.id },
        auditOf(actor, 'answer.put', { questionId, answer: body.answer }),
      );
      return c.json({ ...answer, run: await reassess(deps, id, 'answer', actor) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/evidence',
      tags: ['evidence'],
      summary: 'Evidence attached to a system (files and links), with expiry',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(items(evidenceSchema), 'Evidence'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      return c.json({ items: (await storage.listEvidence(id)).map(withExpiry) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/evidence/links',
      tags: ['evidence'],
      summary: 'Attach a link as evidence',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(linkEvidenceBody) },
      responses: {
        201: jsonContent(evidenceSchema.extend(withRun), 'Attached, and the system re-assessed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'evidence:write', { systemId: id });
      await systemOr404(deps, id);
      const body = c.req.valid('json');
      const evidence = await storage.addEvidence(
        {
          systemId: id,
          kind: 'link',
          url: body.url,
          title: body.title,
          questionId: body.questionId,
          expiresAt: body.expiresAt,
          createdBy: actor.user.id,
        },
        auditOf(actor, 'evidence.add-link'),
      );
      return c.json({ ...withExpiry(evidence), run: await reassess(deps, id, 'evidence', actor) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/evidence/files',
      tags: ['evidence'],
      summary:
        'Upload a file as evidence (raw bytes, Content-Type application/octet-stream; stored with its SHA-256)',
      security: cookieAuth,
      request: {
        params: idParam,
        query: fileEvidenceQuery,
        body: {
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
          required: true,
        },
      },
      responses: {
        201: jsonContent(evidenceSchema.extend(withRun), 'Stored, and the system re-assessed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'evidence:write', { systemId: id });
      await systemOr404(deps, id);
      const q = c.req.valid('query');
      const data = new Uint8Array(await c.req.arrayBuffer());
      if (data.byteLength === 0) throw new ApiError(400, 'empty-file', 'the uploaded file is empty');
      const evidence = await storage.addEvidence(
        {
          systemId: id,
          kind: 'file',
          fileName: q.fileName,
          mediaType: 'application/octet-stream',
          data,
          title: q.title,
          questionId: q.questionId ?? null,
          expiresAt: q.expiresAt ?? null,
          createdBy: actor.user.id,
        },
        auditOf(actor, 'evidence.add-file', { bytes: data.byteLength }),
      );
      return c.json({ ...withExpiry(evidence), run: await reassess(deps, id, 'evidence', actor) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/evidence/{id}/content',
      tags: ['evidence'],
      summary: 'Download an evidence file (always as an attachment, never rendered)',
      security: cookieAuth,
      request: { params: idParam },
      responses: {
        200: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const evidence = await storage.getEvidence(id);
      authorize(c, 'systems:read', { systemId: evidence?.systemId ?? '' });
      if (evidence?.file == null) throw new ApiError(404, 'not-found', 'no such evidence file');
      const data = await storage.getBlob(evidence.file.sha256);
      if (data === undefined) throw new ApiError(404, 'not-found', 'the evidence file is missing');
      const safeName = evidence.file.name.replace(/[^A-Za-z0-9._-]/g, '_');
      return c.body(new Uint8Array(data), 200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${safeName}"`,
        'X-Content-SHA256': evidence.file.sha256,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/evidence/{id}',
      tags: ['evidence'],
      summary: 'Remove evidence',
      security: cookieAuth,
      request: { params: idParam },
      responses: {
        200: jsonContent(
          z.object({ ok: z.literal(true), run: runSummarySchema.nullable() }),
          'Removed, and the system re-assessed',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const evidence = await storage.getEvidence(id);
      const actor = authorize(c, 'evidence:write', { systemId: evidence?.systemId ?? '' });
      await storage.deleteEvidence(id, auditOf(actor, 'evidence.delete'));
      const run = evidence === undefined ? null : await reassess(deps, evidence.systemId, 'evidence', actor);
      return c.json({ ok: true as const, run }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/findings',
      tags: ['findings'],
      summary: 'Upload scan results (scan model/deps/data, monitor): AtlasGuard findings JSON or SARIF 2.1.0',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(findingsBody) },
      responses: {
        201: jsonContent(findingsUploadSchema.extend(withRun), 'Stored, and the system re-assessed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = authorize(c, 'findings:write', { systemId: id });
      await systemOr404(deps, id);
      const body = c.req.valid('json');
      const summary = summarizeFindings(body.format, body.document);
      const upload = await storage.addFindingsUpload(
        {
          systemId: id,
          kind: body.kind,
          format: body.format,
          payload: JSON.stringify(body.document),
          summary,
          createdBy: actor.user.id,
        },
        auditOf(actor, 'findings.upload', { kind: body.kind }),
      );
      return c.json({ ...upload, run: await reassess(deps, id, 'findings', actor) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/findings',
      tags: ['findings'],
      summary: 'Scan result uploads of a system, newest first',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(items(findingsUploadSchema), 'Uploads'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      return c.json({ items: await storage.listFindingsUploads(id) }, 200);
    },
  );
}
