/**
 * Row types of the workspace database, as both SQLite and PostgreSQL store them. Portable by construction:
 * IDs are app-generated text, timestamps are ISO 8601 UTC text (sortable, no int8-as-string trap), booleans
 * are 0/1 integers and JSON documents are text (the repository layer parses them with zod).
 */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  user_id: string;
  /** JSON: `{ actions: string[], systems: string[] | null }`. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SystemsTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  owner: string;
  created_at: string;
  updated_at: string;
}

export interface SystemModelsTable {
  id: string;
  system_id: string;
  version: number;
  yaml: string;
  sha256: string;
  created_by: string | null;
  created_at: string;
}

export interface AssessmentRunsTable {
  id: string;
  system_id: string;
  model_version: number | null;
  result: string;
  residual_level: string | null;
  created_by: string | null;
  created_at: string;
  /** What caused the run (model, answer, evidence, findings, manual, expiry, upload); null before 0002. */
  trigger: string | null;
  /** JSON summary of the run (levels, scores, coverage, per-tactic heat); null before 0002. */
  summary: string | null;
  /** 1, 2, … per system in the order runs were stored; null before 0002. */
  seq: number | null;
}

export interface RisksTable {
  id: string;
  system_id: string;
  technique_id: string | null;
  title: string;
  level: string;
  owner: string;
  treatment: string | null;
  status: string;
  notes: string;
  acceptance_approver: string | null;
  acceptance_reason: string | null;
  accepted_at: string | null;
  acceptance_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface QuestionAnswersTable {
  id: string;
  system_id: string;
  question_id: string;
  answer: string;
  note: string;
  answered_by: string | null;
  answered_at: string;
}

export interface EvidenceTable {
  id: string;
  system_id: string;
  question_id: string | null;
  kind: string;
  title: string;
  url: string | null;
  file_name: string | null;
  media_type: string | null;
  size: number | null;
  sha256: string | null;
  expires_at: string | null;
  created_by: string | null;
  created_at: string;
}

export interface EvidenceBlobsTable {
  sha256: string;
  size: number;
  data: Uint8Array;
}

export interface FindingsUploadsTable {
  id: string;
  system_id: string;
  kind: string;
  format: string;
  sha256: string;
  /** JSON: counts by severity. */
  summary: string;
  payload: string;
  created_by: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  /** JSON object. */
  detail: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  systems: SystemsTable;
  system_models: SystemModelsTable;
  assessment_runs: AssessmentRunsTable;
  risks: RisksTable;
  question_answers: QuestionAnswersTable;
  evidence: EvidenceTable;
  evidence_blobs: EvidenceBlobsTable;
  findings_uploads: FindingsUploadsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}
