import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  ledgerEntrySchema,
  questionById,
  RISK_LEVELS,
  systemModelJsonSchema,
  type Assessment,
} from '@atlasguard/core';
import type { Evidence, SystemRecord } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { runSummaryOut, type RunSummaryOut } from './assessor.js';
import {
  asAssessment,
  checklistOf,
  diffRuns,
  matrixOf,
  PERSONA_NAMES,
  uploadsTouching,
  type EvidenceOut,
} from './assessment-views.js';
import { authorize, type AppContext, type AppEnv, type ModelIssueOut, type ServerDeps } from './context.js';
import { cookieAuth, errorResponses, jsonBody, jsonContent } from './route-helpers.js';
import { systemOr404 } from './routes-systems.js';
import { readSummary } from './run-summary.js';
import {
  errorSchema,
  evidenceSchema,
  findingsUploadSchema,
  idParam,
  modelBody,
  runSummarySchema,
} from './schemas.js';

const level = z.enum(RISK_LEVELS);
const unavailable = { 503: jsonContent(errorSchema, 'No ATLAS data loaded') };

const portfolioSchema = z
  .object({
    systems: z.array(
      z.object({
        id: z.string(),
        slug: z.string(),
        name: z.string(),
        owner: z.string(),
        residualLevel: z.string().nullable(),
        inherentLevel: level.nullable(),
        coverage: z.number().nullable(),
        applicable: z.number().int().nullable(),
        gaps: z.number().int().nullable(),
        questions: z.object({ answered: z.number().int(), total: z.number().int() }),
        findings: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
        lastAssessedAt: z.string().nullable(),
        trend: z.array(
          z.object({
            runId: z.string(),
            at: z.string(),
            residualLevel: z.string().nullable(),
            residualScore: z.number().nullable(),
          }),
        ),
      }),
    ),
    heatmap: z.object({
      tactics: z.array(z.object({ id: z.string(), name: z.string() })),
      rows: z.array(z.object({ systemId: z.string(), cells: z.record(z.string(), level.nullable()) })),
    }),
  })
  .openapi('Portfolio');

const levelScore = z.object({ level: level.nullable(), score: z.number().nullable() });
const matrixSchema = z
  .object({
    runId: z.string(),
    tactics: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        techniques: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            parent: z.string().nullable(),
            decision: z.string(),
            inherent: levelScore,
            residual: levelScore,
            coverage: z.number().nullable(),
            maturity: z.string(),
          }),
        ),
      }),
    ),
  })
  .openapi('Matrix');

const questionOut = z.object({
  id: z.string(),
  text: z.string(),
  persona: z.enum(['security', 'engineer', 'data', 'risk']),
  answer: z.string(),
  note: z.string(),
  verified: z.boolean(),
  evidence: z.array(evidenceSchema),
});
const techniqueSchema = z
  .object({
    technique: z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      tactics: z.array(z.string()),
    }),
    /** The ledger entry of the latest run, as in assess JSON. */
    entry: ledgerEntrySchema,
    questions: z.array(questionOut),
    findings: z.array(findingsUploadSchema),
  })
  .openapi('TechniqueDetail');

const checklistSchema = z
  .object({
    runId: z.string(),
    questions: z.array(
      questionOut.extend({
        why: z.string(),
        techniques: z.array(z.string()),
        mitigations: z.array(z.string()),
        answeredBy: z.string().nullable(),
        answeredAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('Checklist');

const change = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t }).nullable();
const diffSchema = z
  .object({
    from: runSummarySchema,
    to: runSummarySchema,
    risks: z.object({
      baseline: z.string(),
      new: z.array(z.object({ id: z.string(), level, score: z.number() })),
      resolved: z.array(z.object({ id: z.string(), level, score: z.number() })),
      changed: z.array(
        z.object({
          id: z.string(),
          from: z.object({ level, score: z.number(), status: z.string() }),
          to: z.object({ level, score: z.number(), status: z.string() }),
        }),
      ),
    }),
    techniques: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        decision: change(z.string().nullable()),
        level: change(level.nullable()),
        score: change(z.number().nullable()),
        mitigations: z.array(
          z.object({ id: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
        ),
      }),
    ),
  })
  .openapi('RunDiff');

const validateSchema = z
  .object({
    ok: z.boolean(),
    issues: z.array(
      z.object({
        line: z.number().nullable(),
        col: z.number().nullable(),
        message: z.string(),
        path: z.string(),
      }),
    ),
    warnings: z.array(
      z.object({
        line: z.number().nullable(),
        col: z.number().nullable(),
        message: z.string(),
        path: z.string(),
      }),
    ),
  })
  .openapi('ModelValidation');

/** Systems the caller may see (a token scoped to some systems sees only those). */
async function visibleSystems(c: AppContext, deps: ServerDeps): Promise<SystemRecord[]> {
  const actor = authorize(c, 'systems:read', { filteredList: true });
  const all: SystemRecord[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await deps.storage.listSystems({ limit: 500, offset });
    all.push(...page);
    if (page.length < 500) break;
  }
  if (actor.kind === 'token' && actor.token.scopes.systems !== null) {
    const allowed = new Set(actor.token.scopes.systems);
    return all.filter((s) => allowed.has(s.id));
  }
  return all;
}

/** Matrices of recent runs kept in memory (each is a few tens of KB). */
const MATRIX_CACHE = 256;

export function registerViewRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  const { storage } = deps;
  const matrices = new Map<string, ReturnType<typeof matrixOf>>();
  const withExpiry = (e: Evidence): EvidenceOut => ({
    ...e,
    expired: e.expiresAt !== null && e.expiresAt <= storage.now(),
  });

  /** The latest run of a system with its assessment, or 404 no-run. */
  const latestOr404 = async (id: string): Promise<{ run: RunSummaryOut; assessment: Assessment }> => {
    await systemOr404(deps, id);
    const latest = await deps.assessor.latest(id);
    if (latest === undefined)
      throw new ApiError(404, 'no-run', 'the system has not been assessed yet: import its model first');
    return latest;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/portfolio',
      tags: ['portfolio'],
      summary:
        'Every AI system with its residual level, coverage, findings and trend; a heat map across systems',
      security: cookieAuth,
      responses: { 200: jsonContent(portfolioSchema, 'The portfolio'), ...errorResponses },
    }),
    async (c) => {
      const systems = await visibleSystems(c, deps);
      const [recent, uploads] = await Promise.all([
        storage.recentRunsBySystem(12),
        storage.latestFindingsByKind(),
      ]);
      const findings = new Map<string, { critical: number; high: number; medium: number; low: number }>();
      for (const u of uploads) {
        const f = findings.get(u.systemId) ?? { critical: 0, high: 0, medium: 0, low: 0 };
        f.critical += u.summary.critical;
        f.high += u.summary.high;
        f.medium += u.summary.medium;
        f.low += u.summary.low;
        findings.set(u.systemId, f);
      }
      const tacticIds = new Set<string>();
      const rows = systems.map((s) => {
        const runs = recent.get(s.id) ?? [];
        const latest = runs[0];
        const summary = latest === undefined ? null : readSummary(latest.summary);
        for (const t of Object.keys(summary?.tactics ?? {})) tacticIds.add(t);
        return {
          system: {
            id: s.id,
            slug: s.slug,
            name: s.name,
            owner: s.owner,
            residualLevel: latest?.residualLevel ?? null,
            inherentLevel: summary?.inherentLevel ?? null,
            coverage: summary?.coverage ?? null,
            applicable: summary?.applicable ?? null,
            gaps: summary?.gaps ?? null,
            questions: summary?.questions ?? { answered: 0, total: 0 },
            findings: findings.get(s.id) ?? { critical: 0, high: 0, medium: 0, low: 0 },
            lastAssessedAt: latest?.createdAt ?? null,
            trend: [...runs].reverse().map((r) => ({
              runId: r.id,
              at: r.createdAt,
              residualLevel: r.residualLevel,
              residualScore: readSummary(r.summary)?.residualScore ?? null,
            })),
          },
          cells: summary?.tactics ?? {},
        };
      });
      const catalog = deps.assessor.catalog;
      const tactics =
        catalog === undefined
          ? [...tacticIds].sort().map((id) => ({ id, name: id }))
          : catalog.tactics.map((t) => ({ id: t.id, name: t.name }));
      return c.json(
        {
          systems: rows.map((r) => r.system),
          heatmap: {
            tactics,
            rows: rows.map((r) => ({
              systemId: r.system.id,
              cells: Object.fromEntries(tactics.map((t) => [t.id, r.cells[t.id] ?? null])),
            })),
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/matrix',
      tags: ['assessment'],
      summary:
        'The ATLAS matrix of the latest run: decision, inherent and residual risk, coverage per technique',
      security: cookieAuth,
      request: { params: idParam },
      responses: { 200: jsonContent(matrixSchema, 'The matrix'), ...errorResponses, ...unavailable },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      const catalog = deps.assessor.requireCatalog();
      await systemOr404(deps, id);
      // The matrix of a run never changes: keep recent ones (small) and skip even loading the result.
      const [head] = await storage.listRuns(id, { limit: 1 });
      const cached = head === undefined ? undefined : matrices.get(head.id);
      if (head !== undefined && cached !== undefined) return c.json({ runId: head.id, ...cached }, 200);
      const { run, assessment } = await latestOr404(id);
      const matrix = matrixOf(assessment, catalog);
      matrices.set(run.id, matrix);
      if (matrices.size > MATRIX_CACHE) {
        const oldest = matrices.keys().next().value;
        if (oldest !== undefined) matrices.delete(oldest);
      }
      return c.json({ runId: run.id, ...matrix }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/techniques/{techniqueId}',
      tags: ['assessment'],
      summary:
        'One technique for a system: why it applies, mitigations, case studies, questions, evidence, scans',
      security: cookieAuth,
      request: {
        params: idParam.extend({
          techniqueId: z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/, 'an ATLAS technique ID'),
        }),
      },
      responses: { 200: jsonContent(techniqueSchema, 'The technique'), ...errorResponses, ...unavailable },
    }),
    async (c) => {
      const { id, techniqueId } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      const catalog = deps.assessor.requireCatalog();
      const technique = catalog.technique(techniqueId);
      if (technique === undefined)
        throw new ApiError(404, 'not-found', `${techniqueId} is not a technique of ATLAS ${catalog.version}`);
      const { assessment } = await latestOr404(id);
      const entry = assessment.ledger.find((e) => e.techniqueId === techniqueId);
      if (entry === undefined)
        throw new ApiError(404, 'not-found', `${techniqueId} is not in the latest run`);
      const [answers, evidence, uploads, states] = await Promise.all([
        storage.listAnswers(id),
        storage.listEvidence(id),
        storage.listFindingsUploads(id),
        deps.assessor.questionStates(id),
      ]);
      const stored = new Map(answers.map((a) => [a.questionId, a]));
      return c.json(
        {
          technique: {
            id: technique.id,
            name: technique.name,
            description: technique.description,
            tactics: technique.tactics,
          },
          entry,
          questions: entry.questions.flatMap((q) => {
            const bank = questionById(q.id);
            if (bank === undefined) return [];
            const persona = (Object.keys(PERSONA_NAMES) as (keyof typeof PERSONA_NAMES)[]).find(
              (k) => PERSONA_NAMES[k] === bank.persona,
            );
            return [
              {
                id: q.id,
                text: bank.text,
                persona: persona ?? 'security',
                answer: q.answer,
                note: stored.get(q.id)?.note ?? '',
                verified: states.get(q.id)?.verified ?? false,
                evidence: evidence.filter((e) => e.questionId === q.id).map(withExpiry),
              },
            ];
          }),
          findings: uploadsTouching(entry, uploads),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/checklist',
      tags: ['checklist'],
      summary: 'The verification questions the latest run asks, most valuable first (filter by persona)',
      security: cookieAuth,
      request: {
        params: idParam,
        query: z.object({ persona: z.enum(['security', 'engineer', 'data', 'risk', 'all']).default('all') }),
      },
      responses: { 200: jsonContent(checklistSchema, 'The checklist'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      const { persona } = c.req.valid('query');
      const { run, assessment } = await latestOr404(id);
      const [answers, evidence, states] = await Promise.all([
        storage.listAnswers(id),
        storage.listEvidence(id),
        deps.assessor.questionStates(id),
      ]);
      return c.json(
        {
          runId: run.id,
          questions: checklistOf(
            assessment,
            { answers, evidence: evidence.map(withExpiry), states },
            persona,
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/runs/diff',
      tags: ['runs'],
      summary:
        'What changed between two runs (default: the two latest): risks, decisions, levels, mitigations',
      security: cookieAuth,
      request: {
        params: idParam,
        query: z.object({
          from: z.string().min(1).max(64).optional(),
          to: z.string().min(1).max(64).optional(),
        }),
      },
      responses: { 200: jsonContent(diffSchema, 'The changes'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      const q = c.req.valid('query');
      const latestTwo =
        q.from === undefined || q.to === undefined ? await storage.listRuns(id, { limit: 2 }) : [];
      const load = async (runId: string | undefined) => {
        if (runId === undefined) throw new ApiError(404, 'no-run', 'the system needs two runs to compare');
        const run = await storage.getRun(runId);
        const assessment = run === undefined ? undefined : asAssessment(run.result);
        if (run?.systemId !== id || assessment === undefined)
          throw new ApiError(404, 'not-found', `no run ${runId} of this system`);
        return { run, assessment };
      };
      const to = await load(q.to ?? latestTwo[0]?.id);
      const from = await load(q.from ?? (q.to === undefined ? latestTwo[1]?.id : undefined));
      return c.json({ from: runSummaryOut(from.run), to: runSummaryOut(to.run), ...diffRuns(from, to) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/systems/{id}/models/validate',
      tags: ['models'],
      summary:
        'Check a system model YAML (schema, and ATLAS IDs when the catalog is loaded) without storing it',
      security: cookieAuth,
      request: { params: idParam, ...jsonBody(modelBody) },
      responses: { 200: jsonContent(validateSchema, 'The verdict'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'systems:read', { systemId: id });
      await systemOr404(deps, id);
      const result = deps.assessor.check(c.req.valid('json').yaml);
      const out = (i: ModelIssueOut) => ({
        line: i.line ?? null,
        col: i.column ?? null,
        message: i.hint === undefined ? i.message : `${i.message} (${i.hint})`,
        path: i.path ?? '',
      });
      return c.json(
        result.ok
          ? { ok: true, issues: [], warnings: result.warnings.map(out) }
          : { ok: false, issues: result.issues.map(out), warnings: [] },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/schemas/system-model.json',
      tags: ['models'],
      summary: 'The JSON Schema of the system model (for editors)',
      security: cookieAuth,
      responses: {
        200: jsonContent(z.record(z.string(), z.unknown()), 'JSON Schema (draft 2020-12)'),
        ...errorResponses,
      },
    }),
    (c) => {
      authorize(c, 'systems:read', { filteredList: true });
      return c.json(systemModelJsonSchema(), 200);
    },
  );
}
