import type { Selectable } from 'kysely';
import type {
  ApiTokensTable,
  AssessmentRunsTable,
  AuditLogTable,
  EvidenceTable,
  FindingsUploadsTable,
  QuestionAnswersTable,
  RisksTable,
  SessionsTable,
  SystemModelsTable,
  SystemsTable,
  UsersTable,
} from './db-types.js';
import {
  answerSchema,
  findingsKindSchema,
  riskLevelSchema,
  riskStatusSchema,
  roleSchema,
  severityCountsSchema,
  tokenScopesSchema,
  treatmentSchema,
  type ApiToken,
  type AssessmentRun,
  type AuditEntry,
  type Evidence,
  type FindingsUpload,
  type ModelVersion,
  type QuestionAnswer,
  type Risk,
  type Session,
  type SystemRecord,
  type User,
} from './records.js';
import { StorageError } from './storage-error.js';

/** Row ↔ record mapping: the one place where 0/1 become booleans and JSON text becomes values. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StorageError('invalid', `stored ${what} is not valid JSON`, { cause: error });
  }
}

export const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: roleSchema.parse(r.role),
  passwordHash: r.password_hash,
  disabled: r.disabled !== 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toSession = (r: Selectable<SessionsTable>): Session => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
});

export const toApiToken = (r: Selectable<ApiTokensTable>): ApiToken => ({
  id: r.id,
  name: r.name,
  tokenHash: r.token_hash,
  userId: r.user_id,
  scopes: tokenScopesSchema.parse(parseJson(r.scopes, 'token scopes')),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export const toSystem = (r: Selectable<SystemsTable>): SystemRecord => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  owner: r.owner,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toModelVersion = (r: Selectable<SystemModelsTable>): ModelVersion => ({
  id: r.id,
  systemId: r.system_id,
  version: r.version,
  yaml: r.yaml,
  sha256: r.sha256,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toRun = (r: Selectable<AssessmentRunsTable>): AssessmentRun => ({
  id: r.id,
  systemId: r.system_id,
  modelVersion: r.model_version,
  result: parseJson(r.result, 'assessment result'),
  residualLevel: r.residual_level,
  trigger: r.trigger,
  summary: r.summary === null ? null : parseJson(r.summary, 'run summary'),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toRisk = (r: Selectable<RisksTable>): Risk => ({
  id: r.id,
  systemId: r.system_id,
  techniqueId: r.technique_id,
  title: r.title,
  level: riskLevelSchema.parse(r.level),
  owner: r.owner,
  treatment: r.treatment === null ? null : treatmentSchema.parse(r.treatment),
  status: riskStatusSchema.parse(r.status),
  notes: r.notes,
  acceptance:
    r.acceptance_approver !== null && r.accepted_at !== null && r.acceptance_expires_at !== null
      ? {
          approver: r.acceptance_approver,
          reason: r.acceptance_reason ?? '',
          acceptedAt: r.accepted_at,
          expiresAt: r.acceptance_expires_at,
        }
      : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toAnswer = (r: Selectable<QuestionAnswersTable>): QuestionAnswer => ({
  id: r.id,
  systemId: r.system_id,
  questionId: r.question_id,
  answer: answerSchema.parse(r.answer),
  note: r.note,
  answeredBy: r.answered_by,
  answeredAt: r.answered_at,
});

export const toEvidence = (r: Selectable<EvidenceTable>): Evidence => ({
  id: r.id,
  systemId: r.system_id,
  questionId: r.question_id,
  kind: r.kind === 'file' ? 'file' : 'link',
  title: r.title,
  url: r.url,
  file:
    r.kind === 'file' && r.sha256 !== null
      ? {
          name: r.file_name ?? '',
          mediaType: r.media_type ?? 'application/octet-stream',
          size: r.size ?? 0,
          sha256: r.sha256,
        }
      : null,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toFindingsUpload = (r: Omit<Selectable<FindingsUploadsTable>, 'payload'>): FindingsUpload => ({
  id: r.id,
  systemId: r.system_id,
  kind: findingsKindSchema.parse(r.kind),
  format: r.format === 'sarif' ? 'sarif' : 'json',
  sha256: r.sha256,
  summary: severityCountsSchema.parse(parseJson(r.summary, 'findings summary')),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const toAudit = (r: Selectable<AuditLogTable>): AuditEntry => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorKind: r.actor_kind === 'token' ? 'token' : r.actor_kind === 'system' ? 'system' : 'user',
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  detail: parseJson(r.detail, 'audit detail') as Record<string, unknown>,
});
