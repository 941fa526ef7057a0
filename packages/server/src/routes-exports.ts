import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  csvRecord,
  writeCsv,
  writeHtml,
  writeJson,
  writeMarkdown,
  writeNavigator,
  writeSarifAssessment,
  type AssessmentWriter,
} from '@atlasguard/core';
import type { Risk } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import { authorize, type AppEnv, type ServerDeps } from './context.js';
import { cookieAuth, errorResponses, jsonContent } from './route-helpers.js';
import { systemOr404 } from './routes-systems.js';
import { errorSchema, idParam, riskQuery } from './schemas.js';
import { writeXlsx, type XlsxCell } from './xlsx-writer.js';

/** Report formats of the latest run: the CLI's `assess --format` writers, byte for byte. */
export const REPORT_FORMATS: Readonly<
  Record<string, { writer: AssessmentWriter; type: string; suffix: string }>
> = {
  html: { writer: writeHtml, type: 'text/html; charset=utf-8', suffix: '.html' },
  md: { writer: writeMarkdown, type: 'text/markdown; charset=utf-8', suffix: '.md' },
  json: { writer: writeJson, type: 'application/json; charset=utf-8', suffix: '.json' },
  sarif: { writer: writeSarifAssessment, type: 'application/sarif+json; charset=utf-8', suffix: '.sarif' },
  navigator: { writer: writeNavigator, type: 'application/json; charset=utf-8', suffix: '.navigator.json' },
  csv: { writer: writeCsv, type: 'text/csv; charset=utf-8', suffix: '.csv' },
};
const REPORT_FORMAT_NAMES = ['html', 'md', 'json', 'sarif', 'navigator', 'csv'] as const;

export const RISK_EXPORT_HEADER = [
  'Risk ID',
  'System',
  'System name',
  'Technique',
  'Title',
  'Level',
  'Status',
  'Owner',
  'Treatment',
  'Approver',
  'Acceptance reason',
  'Accepted at',
  'Acceptance expires',
  'Notes',
  'Created',
  'Updated',
] as const;

export function riskExportRow(r: Risk, system: { slug: string; name: string } | undefined): XlsxCell[] {
  return [
    r.id,
    system?.slug ?? r.systemId,
    system?.name ?? '',
    r.techniqueId ?? '',
    r.title,
    r.level,
    r.status,
    r.owner,
    r.treatment ?? '',
    r.acceptance?.approver ?? '',
    r.acceptance?.reason ?? '',
    r.acceptance?.acceptedAt ?? '',
    r.acceptance?.expiresAt ?? '',
    r.notes,
    r.createdAt,
    r.updatedAt,
  ];
}

/** At most this many risks in one export (the register's list pages through them). */
const MAX_EXPORT = 100_000;
const binary = (type: string) => ({
  description: 'The file (an attachment)',
  content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } },
});

export function registerExportRoutes(app: OpenAPIHono<AppEnv>, deps: ServerDeps): void {
  const { storage } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/systems/{id}/report',
      tags: ['reports'],
      summary: 'The latest run as a report: html, md, json, sarif, navigator (ATT&CK Navigator layer) or csv',
      security: cookieAuth,
      request: { params: idParam, query: z.object({ format: z.enum(REPORT_FORMAT_NAMES).default('html') }) },
      responses: {
        200: binary('application/octet-stream'),
        ...errorResponses,
        503: jsonContent(errorSchema, 'No ATLAS data loaded'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      authorize(c, 'reports:read', { systemId: id });
      const catalog = deps.assessor.requireCatalog();
      const system = await systemOr404(deps, id);
      const latest = await deps.assessor.latest(id);
      if (latest === undefined)
        throw new ApiError(404, 'no-run', 'the system has not been assessed yet: import its model first');
      const { run, assessment } = latest;
      const format = REPORT_FORMATS[c.req.valid('query').format];
      if (format === undefined) throw new ApiError(400, 'invalid-request', 'unknown report format');
      const body = format.writer(assessment, catalog);
      return c.body(body, 200, {
        'Content-Type': format.type,
        'Content-Disposition': `attachment; filename="${system.slug}-atlasguard${format.suffix}"`,
        'X-Run-Id': run.id,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/risks/export',
      tags: ['risks'],
      summary: 'The risk register as CSV or XLSX (same filters as GET /api/risks)',
      security: cookieAuth,
      request: {
        query: riskQuery.omit({ limit: true, offset: true }).extend({
          systemId: z.string().max(64).optional(),
          format: z.enum(['csv', 'xlsx']).default('csv'),
        }),
      },
      responses: {
        200: binary('text/csv'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const actor = authorize(c, 'reports:read', {
        systemId: q.systemId,
        filteredList: q.systemId === undefined,
      });
      await deps.assessor.sweepExpiry();
      const scoped =
        actor.kind === 'token' && actor.token.scopes.systems !== null
          ? new Set(actor.token.scopes.systems)
          : null;
      const risks: Risk[] = [];
      for (let offset = 0; offset < MAX_EXPORT; offset += 500) {
        const page = await storage.listRisks({
          systemId: q.systemId,
          status: q.status,
          level: q.level,
          owner: q.owner,
          page: { limit: 500, offset },
        });
        risks.push(...page.filter((r) => scoped === null || scoped.has(r.systemId)));
        if (page.length < 500) break;
      }
      const systems = new Map<string, { slug: string; name: string }>();
      for (const id of new Set(risks.map((r) => r.systemId))) {
        const s = await storage.getSystem(id);
        if (s !== undefined) systems.set(id, s);
      }
      const rows = risks.map((r) => riskExportRow(r, systems.get(r.systemId)));
      const stamp = storage.now().slice(0, 10);
      if (q.format === 'xlsx') {
        return c.body(new Uint8Array(writeXlsx('Risk register', RISK_EXPORT_HEADER, rows)), 200, {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename="atlasguard-risks-${stamp}.xlsx"`,
        });
      }
      const csv = [RISK_EXPORT_HEADER, ...rows].map((cells) => csvRecord(cells.map((v) => v ?? ''))).join('');
      return c.body(csv, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="atlasguard-risks-${stamp}.csv"`,
      });
    },
  );
}
