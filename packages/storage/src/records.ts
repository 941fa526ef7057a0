import { z } from 'zod';

/** Roles of a workspace account (see the server's `can()` for what each may do). */
export const ROLES = ['admin', 'security', 'engineer', 'risk', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const treatmentSchema = z.enum(TREATMENTS);
export type Treatment = z.infer<typeof treatmentSchema>;

export const RISK_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'avoided'] as const;
export const riskStatusSchema = z.enum(RISK_STATUSES);
export type RiskStatus = z.infer<typeof riskStatusSchema>;

export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const ANSWERS = ['yes', 'no', 'partial', 'unknown', 'not-applicable'] as const;
export const answerSchema = z.enum(ANSWERS);
export type Answer = z.infer<typeof answerSchema>;

export const FINDINGS_KINDS = ['scan-model', 'scan-deps', 'scan-data', 'monitor', 'other'] as const;
export const findingsKindSchema = z.enum(FINDINGS_KINDS);
export type FindingsKind = z.infer<typeof findingsKindSchema>;

/** What caused an assessment run: a server-side trigger, or `upload` for a run made elsewhere and posted. */
export const RUN_TRIGGERS = [
  'model',
  'answer',
  'evidence',
  'findings',
  'acceptance',
  'manual',
  'expiry',
  'upload',
] as const;
export const runTriggerSchema = z.enum(RUN_TRIGGERS);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const severityCountsSchema = z.object({
  critical: z.number().int().min(0),
  high: z.number().int().min(0),
  medium: z.number().int().min(0),
  low: z.number().int().min(0),
  info: z.number().int().min(0),
});
export type SeverityCounts = z.infer<typeof severityCountsSchema>;

const iso = z.iso.datetime({ offset: false });
const id = z.string().min(1).max(64);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const userSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  passwordHash: z.string(),
  disabled: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});
export type User = z.infer<typeof userSchema>;

export const tokenScopesSchema = z.object({
  actions: z.array(z.string().max(64)).max(64),
  /** System IDs the token may touch; null = every system. */
  systems: z.array(id).max(1000).nullable(),
});
export type TokenScopes = z.infer<typeof tokenScopesSchema>;

export const apiTokenSchema = z.object({
  id,
  name: z.string(),
  tokenHash: sha256Hex,
  userId: id,
  scopes: tokenScopesSchema,
  createdAt: iso,
  expiresAt: iso.nullable(),
  lastUsedAt: iso.nullable(),
  revokedAt: iso.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export interface Session {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export const systemSchema = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  owner: z.string(),
  createdAt: iso,
  updatedAt: iso,
});
export type SystemRecord = z.infer<typeof systemSchema>;

export const modelVersionSchema = z.object({
  id,
  systemId: id,
  version: z.number().int().min(1),
  yaml: z.string(),
  sha256: sha256Hex,
  createdBy: id.nullable(),
  createdAt: iso,
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const assessmentRunSchema = z.object({
  id,
  systemId: id,
  modelVersion: z.number().int().min(1).nullable(),
  result: z.unknown(),
  residualLevel: z.string().nullable(),
  trigger: z.string().nullable(),
  summary: z.unknown(),
  createdBy: id.nullable(),
  createdAt: iso,
});
export type AssessmentRun = z.infer<typeof assessmentRunSchema>;

export const riskSchema = z.object({
  id,
  systemId: id,
  techniqueId: z.string().nullable(),
  title: z.string(),
  level: riskLevelSchema,
  owner: z.string(),
  treatment: treatmentSchema.nullable(),
  status: riskStatusSchema,
  notes: z.string(),
  acceptance: z
    .object({ approver: z.string(), reason: z.string(), acceptedAt: iso, expiresAt: iso })
    .nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type Risk = z.infer<typeof riskSchema>;

export const questionAnswerSchema = z.object({
  id,
  systemId: id,
  questionId: z.string(),
  answer: answerSchema,
  note: z.string(),
  answeredBy: id.nullable(),
  answeredAt: iso,
});
export type QuestionAnswer = z.infer<typeof questionAnswerSchema>;

export const evidenceSchema = z.object({
  id,
  systemId: id,
  questionId: z.string().nullable(),
  kind: z.enum(['file', 'link']),
  title: z.string(),
  url: z.string().nullable(),
  file: z
    .object({ name: z.string(), mediaType: z.string(), size: z.number().int().min(0), sha256: sha256Hex })
    .nullable(),
  expiresAt: iso.nullable(),
  createdBy: id.nullable(),
  createdAt: iso,
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const findingsUploadSchema = z.object({
  id,
  systemId: id,
  kind: findingsKindSchema,
  format: z.enum(['json', 'sarif']),
  sha256: sha256Hex,
  summary: severityCountsSchema,
  createdBy: id.nullable(),
  createdAt: iso,
});
export type FindingsUpload = z.infer<typeof findingsUploadSchema>;

export const auditEntrySchema = z.object({
  id,
  at: iso,
  actorId: id.nullable(),
  actorKind: z.enum(['user', 'token', 'system']),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** What a write records in the audit log, in the same transaction as the write. */
export interface AuditInput {
  actorId: string | null;
  actorKind: AuditEntry['actorKind'];
  action: string;
  detail?: Record<string, unknown>;
}
