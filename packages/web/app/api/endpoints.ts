import { z } from 'zod';
import { ApiFailure, call, withQuery, type Fetcher } from './http.js';
import {
  accountSchema,
  answerSchema,
  apiTokenSchema,
  auditEntrySchema,
  createdTokenSchema,
  checklistSchema,
  diffSchema,
  evidenceSchema,
  findingsUploadSchema,
  items,
  loginSchema,
  matrixSchema,
  meSchema,
  modelVersionSchema,
  portfolioSchema,
  riskSchema,
  runSchema,
  runSummarySchema,
  systemSchema,
  techniqueDetailSchema,
  validateResultSchema,
  type Answer,
  type ApiAction,
  type FindingsKind,
  type Persona,
  type RiskLevel,
  type RiskStatus,
  type Role,
  type Treatment,
} from './schemas.js';

const ok = z.object({ ok: z.literal(true) });
/** One path segment: encoded, and never a dot segment (URLs resolve `..` even when percent-encoded). */
export function enc(segment: string): string {
  if (segment === '' || /^(\.|%2e){1,2}$/i.test(segment))
    throw new ApiFailure(0, 'bad-id', `not an id: ${segment}`);
  return encodeURIComponent(segment);
}
const sys = (id: string) => `/api/systems/${enc(id)}`;

export type ReportFormat = 'html' | 'md' | 'json' | 'sarif' | 'navigator' | 'csv';

/** Every API call the pages make, typed and validated. `fetcher` is `window.fetch` in the browser. */
export function createApi(fetcher: Fetcher) {
  return {
    me: () => call(fetcher, '/api/auth/me', meSchema),
    login: (email: string, password: string) =>
      call(fetcher, '/api/auth/login', loginSchema, { method: 'POST', json: { email, password } }),
    logout: () => call(fetcher, '/api/auth/logout', ok, { method: 'POST' }),
    setup: (body: { token: string; email: string; name: string; password: string }) =>
      call(fetcher, '/api/auth/setup', loginSchema, { method: 'POST', json: body }),

    changePassword: (currentPassword: string, newPassword: string) =>
      call(fetcher, '/api/auth/password', ok, { method: 'POST', json: { currentPassword, newPassword } }),

    users: () => call(fetcher, '/api/users', items(accountSchema)),
    createUser: (body: { email: string; name: string; role: Role; password: string }) =>
      call(fetcher, '/api/users', accountSchema, { method: 'POST', json: body }),
    updateUser: (
      userId: string,
      body: { name?: string; role?: Role; disabled?: boolean; password?: string },
    ) => call(fetcher, `/api/users/${enc(userId)}`, accountSchema, { method: 'PATCH', json: body }),

    tokens: () => call(fetcher, '/api/tokens', items(apiTokenSchema)),
    createToken: (body: {
      name: string;
      actions: ApiAction[];
      systems: string[] | null;
      expiresAt: string | null;
    }) => call(fetcher, '/api/tokens', createdTokenSchema, { method: 'POST', json: body }),
    revokeToken: (tokenId: string) => call(fetcher, `/api/tokens/${enc(tokenId)}`, ok, { method: 'DELETE' }),

    audit: (page: { limit: number; offset: number }) =>
      call(fetcher, withQuery('/api/audit', page), items(auditEntrySchema)),

    portfolio: () => call(fetcher, '/api/portfolio', portfolioSchema),
    systems: () => call(fetcher, '/api/systems', items(systemSchema)),
    system: (id: string) => call(fetcher, sys(id), systemSchema),
    createSystem: (body: { slug: string; name: string; description: string; owner: string }) =>
      call(fetcher, '/api/systems', systemSchema, { method: 'POST', json: body }),

    models: (id: string) => call(fetcher, `${sys(id)}/models`, items(modelVersionSchema)),
    model: (id: string, version: number | 'latest') =>
      call(fetcher, `${sys(id)}/models/${String(version)}`, modelVersionSchema),
    importModel: (id: string, yaml: string) =>
      call(fetcher, `${sys(id)}/models`, modelVersionSchema, { method: 'POST', json: { yaml } }),
    validateModel: (id: string, yaml: string) =>
      call(fetcher, `${sys(id)}/models/validate`, validateResultSchema, { method: 'POST', json: { yaml } }),

    modelSchema: () => call(fetcher, '/api/schemas/system-model.json', z.unknown()),
    matrix: (id: string) => call(fetcher, `${sys(id)}/matrix`, matrixSchema),
    technique: (id: string, techniqueId: string) =>
      call(fetcher, `${sys(id)}/techniques/${enc(techniqueId)}`, techniqueDetailSchema),
    checklist: (id: string, persona: Persona) =>
      call(fetcher, withQuery(`${sys(id)}/checklist`, { persona }), checklistSchema),
    answer: (id: string, questionId: string, answer: Answer, note: string) =>
      call(fetcher, `${sys(id)}/answers/${enc(questionId)}`, answerSchema, {
        method: 'PUT',
        json: { answer, note },
      }),
    addLink: (
      id: string,
      body: { title: string; url: string; questionId: string | null; expiresAt: string | null },
    ) => call(fetcher, `${sys(id)}/evidence/links`, evidenceSchema, { method: 'POST', json: body }),
    addFile: (
      id: string,
      file: Blob,
      query: { title: string; fileName: string; questionId?: string; expiresAt?: string },
    ) =>
      call(fetcher, withQuery(`${sys(id)}/evidence/files`, query), evidenceSchema, {
        method: 'POST',
        bytes: file,
      }),
    deleteEvidence: (evidenceId: string) =>
      call(
        fetcher,
        `/api/evidence/${enc(evidenceId)}`,
        z.object({ ok: z.literal(true), run: runSummarySchema.nullable().optional() }),
        { method: 'DELETE' },
      ),

    findings: (id: string) => call(fetcher, `${sys(id)}/findings`, items(findingsUploadSchema)),
    uploadFindings: (id: string, kind: FindingsKind, format: 'json' | 'sarif', document: unknown) =>
      call(fetcher, `${sys(id)}/findings`, findingsUploadSchema, {
        method: 'POST',
        json: { kind, format, document },
      }),

    runs: (id: string) => call(fetcher, `${sys(id)}/runs`, items(runSummarySchema)),
    run: (runId: string) => call(fetcher, `/api/runs/${enc(runId)}`, runSchema),
    assess: (id: string) => call(fetcher, `${sys(id)}/assess`, runSummarySchema, { method: 'POST' }),
    diff: (id: string, from?: string, to?: string) =>
      call(fetcher, withQuery(`${sys(id)}/runs/diff`, { from, to }), diffSchema),

    risks: (filter: { systemId?: string; status?: RiskStatus; level?: RiskLevel; owner?: string }) =>
      call(fetcher, withQuery('/api/risks', { ...filter, limit: 500 }), items(riskSchema)),
    updateRisk: (
      riskId: string,
      body: { owner?: string; notes?: string; treatment?: Exclude<Treatment, 'accept'> | null },
    ) => call(fetcher, `/api/risks/${enc(riskId)}`, riskSchema, { method: 'PATCH', json: body }),
    acceptRisk: (riskId: string, body: { approver: string; reason: string; expiresAt: string }) =>
      call(fetcher, `/api/risks/${enc(riskId)}/acceptance`, riskSchema, { method: 'POST', json: body }),
  };
}

export type Api = ReturnType<typeof createApi>;

/** Download links (plain GETs the browser saves as attachments). */
export const links = {
  report: (id: string, format: ReportFormat) => withQuery(`${sys(id)}/report`, { format }),
  risksExport: (format: 'csv' | 'xlsx', filter: Record<string, string | undefined>) =>
    withQuery('/api/risks/export', { format, ...filter }),
  evidence: (evidenceId: string) => `/api/evidence/${enc(evidenceId)}/content`,
};
