import { z } from 'zod';
import { sha256Hex, type Storage, type Tx } from './storage.js';
import { ROLES } from './records.js';
import { StorageError } from './storage-error.js';

/**
 * The whole workspace as one JSON document: every table except sessions and settings (live secrets), rows
 * as stored (snake_case), evidence files as base64. Import validates it all before writing anything.
 */
export const WORKSPACE_EXPORT_FORMAT = 'atlasguard-workspace';
export const WORKSPACE_EXPORT_VERSION = 1;

const text = z.string().max(16 * 1024 * 1024);
const short = z.string().max(4096);
const ts = z.string().max(40);
const nullable = <T extends z.ZodType>(t: T) => t.nullable();
const int = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const rowSchemas = {
  users: z.strictObject({
    id: short,
    email: short,
    name: short,
    role: z.enum(ROLES),
    password_hash: short,
    disabled: z.union([z.literal(0), z.literal(1)]),
    created_at: ts,
    updated_at: ts,
  }),
  api_tokens: z.strictObject({
    id: short,
    name: short,
    token_hash: short,
    user_id: short,
    scopes: short,
    created_at: ts,
    expires_at: nullable(ts),
    last_used_at: nullable(ts),
    revoked_at: nullable(ts),
  }),
  systems: z.strictObject({
    id: short,
    slug: short,
    name: short,
    description: text,
    owner: short,
    created_at: ts,
    updated_at: ts,
  }),
  system_models: z.strictObject({
    id: short,
    system_id: short,
    version: int,
    yaml: text,
    sha256: short,
    created_by: nullable(short),
    created_at: ts,
  }),
  assessment_runs: z.strictObject({
    id: short,
    system_id: short,
    model_version: nullable(int),
    result: text,
    residual_level: nullable(short),
    created_by: nullable(short),
    created_at: ts,
    // Added by migration 0002; exports made before it lack them.
    trigger: nullable(short).default(null),
    summary: nullable(text).default(null),
    seq: nullable(int).default(null),
  }),
  risks: z.strictObject({
    id: short,
    system_id: short,
    technique_id: nullable(short),
    title: short,
    level: short,
    owner: short,
    treatment: nullable(short),
    status: short,
    notes: text,
    acceptance_approver: nullable(short),
    acceptance_reason: nullable(text),
    accepted_at: nullable(ts),
    acceptance_expires_at: nullable(ts),
    created_at: ts,
    updated_at: ts,
  }),
  question_answers: z.strictObject({
    id: short,
    system_id: short,
    question_id: short,
    answer: short,
    note: text,
    answered_by: nullable(short),
    answered_at: ts,
  }),
  evidence_blobs: z.strictObject({ sha256: short, size: int, data: z.base64() }),
  evidence: z.strictObject({
    id: short,
    system_id: short,
    question_id: nullable(short),
    kind: z.enum(['file', 'link']),
    title: short,
    url: nullable(short),
    file_name: nullable(short),
    media_type: nullable(short),
    size: nullable(int),
    sha256: nullable(short),
    expires_at: nullable(ts),
    created_by: nullable(short),
    created_at: ts,
  }),
  findings_uploads: z.strictObject({
    id: short,
    system_id: short,
    kind: short,
    format: short,
    sha256: short,
    summary: short,
    payload: text,
    created_by: nullable(short),
    created_at: ts,
  }),
  audit_log: z.strictObject({
    id: short,
    at: ts,
    actor_id: nullable(short),
    actor_kind: short,
    action: short,
    resource_type: short,
    resource_id: nullable(short),
    detail: text,
  }),
} as const;

type TableName = keyof typeof rowSchemas;
/** Insert order (parents first). */
const TABLES: readonly TableName[] = [
  'users',
  'api_tokens',
  'systems',
  'system_models',
  'assessment_runs',
  'risks',
  'question_answers',
  'evidence_blobs',
  'evidence',
  'findings_uploads',
  'audit_log',
];

export const workspaceExportSchema = z.strictObject({
  format: z.literal(WORKSPACE_EXPORT_FORMAT),
  version: z.literal(WORKSPACE_EXPORT_VERSION),
  exportedAt: ts,
  tables: z.strictObject({
    users: z.array(rowSchemas.users),
    api_tokens: z.array(rowSchemas.api_tokens),
    systems: z.array(rowSchemas.systems),
    system_models: z.array(rowSchemas.system_models),
    assessment_runs: z.array(rowSchemas.assessment_runs),
    risks: z.array(rowSchemas.risks),
    question_answers: z.array(rowSchemas.question_answers),
    evidence_blobs: z.array(rowSchemas.evidence_blobs),
    evidence: z.array(rowSchemas.evidence),
    findings_uploads: z.array(rowSchemas.findings_uploads),
    audit_log: z.array(rowSchemas.audit_log),
  }),
});
export type WorkspaceExport = z.infer<typeof workspaceExportSchema>;

const ORDER_KEY: Record<TableName, string> = {
  users: 'id',
  api_tokens: 'id',
  systems: 'id',
  system_models: 'id',
  assessment_runs: 'id',
  risks: 'id',
  question_answers: 'id',
  evidence_blobs: 'sha256',
  evidence: 'id',
  findings_uploads: 'id',
  audit_log: 'id',
};

/** Reads the whole workspace in one transaction (a consistent snapshot). */
export async function exportWorkspace(storage: Storage): Promise<WorkspaceExport> {
  return storage.db.transaction().execute(async (trx) => {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const rows = (await trx
        .selectFrom(table)
        .selectAll()
        .orderBy(ORDER_KEY[table] as never)
        .execute()) as Record<string, unknown>[];
      tables[table] = rows.map((row) => normalizeRow(table, row));
    }
    return workspaceExportSchema.parse({
      format: WORKSPACE_EXPORT_FORMAT,
      version: WORKSPACE_EXPORT_VERSION,
      exportedAt: storage.now(),
      tables,
    });
  });
}

function normalizeRow(table: TableName, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (table === 'evidence_blobs' && key === 'data' && value instanceof Uint8Array) {
      out[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    } else if (typeof value === 'bigint' || (typeof value === 'string' && isIntColumn(table, key))) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const INT_COLUMNS = new Set(['disabled', 'version', 'model_version', 'size', 'seq']);
const isIntColumn = (_table: TableName, key: string): boolean => INT_COLUMNS.has(key);

export interface ImportOptions {
  /** Delete the current workspace content first; otherwise the workspace must be empty. */
  replace?: boolean | undefined;
}

export interface ImportSummary {
  counts: Record<TableName, number>;
}

/**
 * Imports an export (validated first) in one transaction: all or nothing. Refuses a non-empty workspace
 * unless `replace` is set. Blobs are checked against their SHA-256.
 */
export async function importWorkspace(
  storage: Storage,
  input: unknown,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const parsed = workspaceExportSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StorageError(
      'invalid',
      `not a valid workspace export${first ? ` (${first.path.join('.')}: ${first.message})` : ''}`,
    );
  }
  const data = parsed.data;
  const blobs = data.tables.evidence_blobs.map((b) => {
    const bytes = Buffer.from(b.data, 'base64');
    if (sha256Hex(bytes) !== b.sha256 || bytes.byteLength !== b.size) {
      throw new StorageError('invalid', `evidence file ${b.sha256} does not match its SHA-256 or size`);
    }
    return { sha256: b.sha256, size: b.size, data: bytes };
  });
  return storage.write('workspace import', async (trx: Tx) => {
    if (options.replace === true) {
      await trx.deleteFrom('sessions').execute();
      for (const table of [...TABLES].reverse()) await trx.deleteFrom(table).execute();
    } else {
      for (const table of TABLES) {
        const any = await trx.selectFrom(table).select(trx.fn.countAll().as('n')).executeTakeFirstOrThrow();
        if (Number(any.n) > 0) {
          throw new StorageError('conflict', `the workspace is not empty (${table} has rows)`);
        }
      }
    }
    const counts = {} as Record<TableName, number>;
    for (const table of TABLES) {
      const rows: readonly object[] = table === 'evidence_blobs' ? blobs : data.tables[table];
      counts[table] = rows.length;
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto(table)
          .values(rows.slice(i, i + 200))
          .execute();
      }
    }
    return { counts };
  });
}
