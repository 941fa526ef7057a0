import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, RisksTable } from './db-types.js';
import { parseJson } from './rows.js';
import type { DialectName } from './migrations.js';
import type {
  Answer,
  ApiToken,
  AssessmentRun,
  AuditEntry,
  AuditInput,
  Evidence,
  FindingsKind,
  FindingsUpload,
  ModelVersion,
  QuestionAnswer,
  Risk,
  RiskLevel,
  RiskStatus,
  Role,
  RunTrigger,
  Session,
  SeverityCounts,
  SystemRecord,
  TokenScopes,
  Treatment,
  User,
} from './records.js';
import {
  toAnswer,
  toApiToken,
  toAudit,
  toEvidence,
  toFindingsUpload,
  toModelVersion,
  toRisk,
  toRun,
  toSession,
  toSystem,
  toUser,
} from './rows.js';
import { mapDriverError, StorageError } from './storage-error.js';

export type Tx = Transaction<DB>;

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/** What a risk register sync did, by technique ID. */
export interface RiskSync {
  created: string[];
  updated: string[];
  reopened: string[];
  closed: string[];
}

export interface Page {
  limit?: number | undefined;
  offset?: number | undefined;
}
const MAX_PAGE = 500;
const pageOf = (page: Page | undefined): { limit: number; offset: number } => ({
  limit: Math.min(Math.max(page?.limit ?? 100, 1), MAX_PAGE),
  offset: Math.max(page?.offset ?? 0, 0),
});

/** Status a treatment leads to (acceptance needs an approver, so `accept` stays open until approved). */
const statusForTreatment = (treatment: Treatment | null): RiskStatus =>
  treatment === 'mitigate'
    ? 'mitigated'
    : treatment === 'transfer'
      ? 'transferred'
      : treatment === 'avoid'
        ? 'avoided'
        : 'open';

/** The mutable columns of a risk row. */
const riskUpdate = (
  r: Selectable<RisksTable>,
): Omit<Selectable<RisksTable>, 'id' | 'system_id' | 'created_at'> => ({
  technique_id: r.technique_id,
  title: r.title,
  level: r.level,
  owner: r.owner,
  treatment: r.treatment,
  status: r.status,
  notes: r.notes,
  acceptance_approver: r.acceptance_approver,
  acceptance_reason: r.acceptance_reason,
  accepted_at: r.accepted_at,
  acceptance_expires_at: r.acceptance_expires_at,
  updated_at: r.updated_at,
});

/**
 * The workspace store: one query layer over SQLite and PostgreSQL. Every write runs in a transaction and, when
 * given an audit input, records its audit entry in that same transaction.
 */
/** The columns of a run without its (large) result, and their record: for lists and trends. */
const RUN_HEAD_COLUMNS = [
  'id',
  'system_id',
  'model_version',
  'residual_level',
  'trigger',
  'summary',
  'created_by',
  'created_at',
] as const;

const toRunHead = (
  r: Pick<Selectable<DB['assessment_runs']>, (typeof RUN_HEAD_COLUMNS)[number]>,
): Omit<AssessmentRun, 'result'> => ({
  id: r.id,
  systemId: r.system_id,
  modelVersion: r.model_version,
  residualLevel: r.residual_level,
  trigger: r.trigger,
  summary: r.summary === null ? null : parseJson(r.summary, 'run summary'),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class Storage {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  private readonly clock: () => Date;

  constructor(db: Kysely<DB>, dialect: DialectName, clock: () => Date = () => new Date()) {
    this.db = db;
    this.dialect = dialect;
    this.clock = clock;
  }

  now(): string {
    return this.clock().toISOString();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** A cheap round trip for health checks. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /** Runs `fn` in one transaction; driver constraint errors become StorageErrors naming `what`. */
  async write<T>(what: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn);
    } catch (error) {
      return mapDriverError(error, what);
    }
  }

  private async audit(
    trx: Tx,
    input: AuditInput | undefined,
    resourceType: string,
    resourceId: string | null,
  ): Promise<void> {
    if (input === undefined) return;
    await trx
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        at: this.now(),
        actor_id: input.actorId,
        actor_kind: input.actorKind,
        action: input.action,
        resource_type: resourceType,
        resource_id: resourceId,
        detail: JSON.stringify(input.detail ?? {}),
      })
      .execute();
  }

  // ---- users ----

  async createUser(
    input: { email: string; name: string; role: Role; passwordHash: string },
    audit?: AuditInput,
  ): Promise<User> {
    const at = this.now();
    const row = {
      id: randomUUID(),
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: input.passwordHash,
      disabled: 0,
      created_at: at,
      updated_at: at,
    };
    return this.write('user', async (trx) => {
      await trx.insertInto('users').values(row).execute();
      await this.audit(trx, audit, 'user', row.id);
      return toUser(row);
    });
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async getUser(id: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async getUserByEmail(email: string): Promise<User | undefined> {
    const r = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return r && toUser(r);
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email').execute();
    return rows.map(toUser);
  }

  /** Updates a user; a role change, disabling or a password change ends the user's sessions. */
  async updateUser(
    id: string,
    patch: {
      name?: string | undefined;
      role?: Role | undefined;
      disabled?: boolean | undefined;
      passwordHash?: string | undefined;
    },
    audit?: AuditInput,
  ): Promise<User> {
    return this.write('user', async (trx) => {
      const before = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new StorageError('not-found', 'no such user');
      const next = {
        ...before,
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.disabled === undefined ? {} : { disabled: patch.disabled ? 1 : 0 }),
        ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
        updated_at: this.now(),
      };
      await trx
        .updateTable('users')
        .set({
          name: next.name,
          role: next.role,
          disabled: next.disabled,
          password_hash: next.password_hash,
          updated_at: next.updated_at,
        })
        .where('id', '=', id)
        .execute();
      if (
        next.role !== before.role ||
        next.disabled !== before.disabled ||
        patch.passwordHash !== undefined
      ) {
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      }
      await this.audit(trx, audit, 'user', id);
      return toUser(next);
    });
  }

  async deleteUser(id: string, audit?: AuditInput): Promise<void> {
    await this.write('user', async (trx) => {
      const r = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw new StorageError('not-found', 'no such user');
      await this.audit(trx, audit, 'user', id);
    });
  }

  // ---- sessions (only the SHA-256 of the token is stored) ----

  async createSession(
    input: { tokenHash: string; userId: string; expiresAt: string; replace?: string | undefined },
    audit?: AuditInput,
  ): Promise<Session> {
    const at = this.now();
    const row = {
      id: input.tokenHash,
      user_id: input.userId,
      created_at: at,
      last_seen_at: at,
      expires_at: input.expiresAt,
    };
    return this.write('session', async (trx) => {
      if (input.replace !== undefined)
        await trx.deleteFrom('sessions').where('id', '=', input.replace).execute();
      await trx.insertInto('sessions').values(row).execute();
      await this.audit(trx, audit, 'user', input.userId);
      return toSession(row);
    });
  }

  async getSession(tokenHash: string): Promise<Session | undefined> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id', '=', tokenHash).executeTakeFirst();
    return r && toSession(r);
  }

  async touchSession(tokenHash: string): Promise<void> {
    await this.write('session', (trx) =>
      trx.updateTable('sessions').set({ last_seen_at: this.now() }).where('id', '=', tokenHash).execute(),
    );
  }

  async deleteSession(tokenHash: string, audit?: AuditInput): Promise<void> {
    await this.write('session', async (trx) => {
      const r = await trx
        .deleteFrom('sessions')
        .where('id', '=', tokenHash)
        .returning('user_id')
        .executeTakeFirst();
      await this.audit(trx, audit, 'user', r?.user_id ?? null);
    });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.write('session', (trx) => trx.deleteFrom('sessions').where('user_id', '=', userId).execute());
  }

  /** Deletes sessions past their absolute expiry or idle since before `idleBefore`; returns how many. */
  async deleteStaleSessions(idleBefore: string): Promise<number> {
    return this.write('session', async (trx) => {
      const r = await trx
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', this.now()), eb('last_seen_at', '<', idleBefore)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  // ---- API tokens (hashed, scoped) ----

  async createApiToken(
    input: { name: string; tokenHash: string; userId: string; scopes: TokenScopes; expiresAt: string | null },
    audit?: AuditInput,
  ): Promise<ApiToken> {
    const row = {
      id: randomUUID(),
      name: input.name,
      token_hash: input.tokenHash,
      user_id: input.userId,
      scopes: JSON.stringify(input.scopes),
      created_at: this.now(),
      expires_at: input.expiresAt,
      last_used_at: null,
      revoked_at: null,
    };
    return this.write('API token', async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      await this.audit(trx, audit, 'api-token', row.id);
      return toApiToken(row);
    });
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const r = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r && toApiToken(r);
  }

  async listApiTokens(): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
    return rows.map(toApiToken);
  }

  async touchApiToken(id: string): Promise<void> {
    await this.write('API token', (trx) =>
      trx.updateTable('api_tokens').set({ last_used_at: this.now() }).where('id', '=', id).execute(),
    );
  }

  async revokeApiToken(id: string, audit?: AuditInput): Promise<void> {
    await this.write('API token', async (trx) => {
      const r = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: this.now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw new StorageError('not-found', 'no such active API token');
      await this.audit(trx, audit, 'api-token', id);
    });
  }

  // ---- settings (one-time setup token hash, …) ----

  async getSetting(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.write('setting', (trx) =>
      trx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute(),
    );
  }

  /** Deletes a setting if it still has `value`; true when this call deleted it (single use). */
  async takeSetting(key: string, value: string): Promise<boolean> {
    return this.write('setting', async (trx) => {
      const r = await trx
        .deleteFrom('settings')
        .where('key', '=', key)
        .where('value', '=', value)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    });
  }

  // ---- systems ----

  async createSystem(
    input: { slug: string; name: string; description: string; owner: string },
    audit?: AuditInput,
  ): Promise<SystemRecord> {
    const at = this.now();
    const row = { id: randomUUID(), ...input, created_at: at, updated_at: at };
    return this.write(`system ${input.slug}`, async (trx) => {
      await trx.insertInto('systems').values(row).execute();
      await this.audit(trx, audit, 'system', row.id);
      return toSystem(row);
    });
  }

  async getSystem(id: string): Promise<SystemRecord | undefined> {
    const r = await this.db.selectFrom('systems').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toSystem(r);
  }

  async getSystemBySlug(slug: string): Promise<SystemRecord | undefined> {
    const r = await this.db.selectFrom('systems').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r && toSystem(r);
  }

  async listSystems(page?: Page): Promise<SystemRecord[]> {
    const { limit, offset } = pageOf(page);
    const rows = await this.db
      .selectFrom('systems')
      .selectAll()
      .orderBy('slug')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toSystem);
  }

  async countSystems(): Promise<number> {
    const r = await this.db
      .selectFrom('systems')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async updateSystem(
    id: string,
    patch: { name?: string | undefined; description?: string | undefined; owner?: string | undefined },
    audit?: AuditInput,
  ): Promise<SystemRecord> {
    return this.write('system', async (trx) => {
      const before = await trx.selectFrom('systems').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new StorageError('not-found', 'no such system');
      const next = {
        ...before,
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.owner === undefined ? {} : { owner: patch.owner }),
        updated_at: this.now(),
      };
      await trx
        .updateTable('systems')
        .set({
          name: next.name,
          description: next.description,
          owner: next.owner,
          updated_at: next.updated_at,
        })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, audit, 'system', id);
      return toSystem(next);
    });
  }

  /** Deletes a system and everything attached to it (models, runs, risks, answers, evidence, findings). */
  async deleteSystem(id: string, audit?: AuditInput): Promise<void> {
    await this.write('system', async (trx) => {
      // Explicit child deletes: the same behaviour whether or not the connection enforces cascades.
      for (const table of [
        'system_models',
        'assessment_runs',
        'risks',
        'question_answers',
        'evidence',
        'findings_uploads',
      ] as const) {
        await trx.deleteFrom(table).where('system_id', '=', id).execute();
      }
      const r = await trx.deleteFrom('systems').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw new StorageError('not-found', 'no such system');
      await this.audit(trx, audit, 'system', id);
    });
  }

  // ---- system model versions ----

  /** Stores a new version of a system's model (version = last + 1, decided inside the transaction). */
  async addModelVersion(
    systemId: string,
    yaml: string,
    createdBy: string | null,
    audit?: AuditInput,
  ): Promise<ModelVersion> {
    return this.write('model version', async (trx) => {
      const last = await trx
        .selectFrom('system_models')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('system_id', '=', systemId)
        .executeTakeFirst();
      const row = {
        id: randomUUID(),
        system_id: systemId,
        version: (last?.v ?? 0) + 1,
        yaml,
        sha256: sha256Hex(yaml),
        created_by: createdBy,
        created_at: this.now(),
      };
      await trx.insertInto('system_models').values(row).execute();
      await trx
        .updateTable('systems')
        .set({ updated_at: row.created_at })
        .where('id', '=', systemId)
        .execute();
      await this.audit(trx, audit, 'system-model', row.id);
      return toModelVersion(row);
    });
  }

  async listModelVersions(systemId: string): Promise<Omit<ModelVersion, 'yaml'>[]> {
    const rows = await this.db
      .selectFrom('system_models')
      .select(['id', 'system_id', 'version', 'sha256', 'created_by', 'created_at'])
      .where('system_id', '=', systemId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      systemId: r.system_id,
      version: r.version,
      sha256: r.sha256,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /** A version of the model, or the latest when `version` is undefined. */
  async getModelVersion(systemId: string, version?: number): Promise<ModelVersion | undefined> {
    let q = this.db.selectFrom('system_models').selectAll().where('system_id', '=', systemId);
    q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return r && toModelVersion(r);
  }

  // ---- assessment runs ----

  async addRun(
    input: {
      systemId: string;
      modelVersion: number | null;
      result: unknown;
      residualLevel: string | null;
      createdBy: string | null;
      trigger?: RunTrigger | undefined;
      summary?: unknown;
    },
    audit?: AuditInput,
  ): Promise<AssessmentRun> {
    return this.write('assessment run', async (trx) => {
      const row = await this.runRow(trx, input);
      await trx.insertInto('assessment_runs').values(row).execute();
      await this.audit(trx, audit, 'assessment-run', row.id);
      return toRun(row);
    });
  }

  private async runRow(
    trx: Tx,
    input: {
      systemId: string;
      modelVersion: number | null;
      result: unknown;
      residualLevel: string | null;
      createdBy: string | null;
      trigger?: RunTrigger | undefined;
      summary?: unknown;
    },
  ): Promise<Selectable<DB['assessment_runs']>> {
    const last = await trx
      .selectFrom('assessment_runs')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('system_id', '=', input.systemId)
      .executeTakeFirst();
    return {
      id: randomUUID(),
      system_id: input.systemId,
      model_version: input.modelVersion,
      result: JSON.stringify(input.result),
      residual_level: input.residualLevel,
      created_by: input.createdBy,
      created_at: this.now(),
      trigger: input.trigger ?? 'upload',
      summary: input.summary === undefined ? null : JSON.stringify(input.summary),
      seq: (last?.seq ?? 0) + 1,
    };
  }

  /**
   * Stores a server-side assessment run and brings the risk register in line with it, in one transaction:
   * one risk per applicable technique, upserted by technique ID (title and level follow the run; owner,
   * treatment, acceptance and notes are kept; a risk the sync itself closed reopens); a technique that no
   * longer applies closes its open risk as `mitigated` with `closeNote` appended. Manual risks (no technique)
   * are never touched.
   */
  async recordAssessment(
    input: {
      run: {
        systemId: string;
        modelVersion: number | null;
        result: unknown;
        residualLevel: string | null;
        createdBy: string | null;
        trigger: RunTrigger;
        summary: unknown;
      };
      risks: ReadonlyArray<{ techniqueId: string; title: string; level: RiskLevel }>;
      closeNote: string;
    },
    audit: AuditInput,
  ): Promise<{ run: AssessmentRun; sync: RiskSync }> {
    const systemId = input.run.systemId;
    return this.write('assessment run', async (trx) => {
      const row = await this.runRow(trx, input.run);
      await trx.insertInto('assessment_runs').values(row).execute();
      await this.audit(trx, audit, 'assessment-run', row.id);
      const existing = await trx
        .selectFrom('risks')
        .selectAll()
        .where('system_id', '=', systemId)
        .where('technique_id', 'is not', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const byTechnique = new Map<string, Selectable<RisksTable>>();
      for (const r of existing)
        if (!byTechnique.has(r.technique_id ?? '')) byTechnique.set(r.technique_id ?? '', r);
      const at = this.now();
      const sync: RiskSync = { created: [], updated: [], reopened: [], closed: [] };
      const applicable = new Set<string>();
      for (const risk of input.risks) {
        applicable.add(risk.techniqueId);
        const before = byTechnique.get(risk.techniqueId);
        if (before === undefined) {
          const id = randomUUID();
          await trx
            .insertInto('risks')
            .values({
              id,
              system_id: systemId,
              technique_id: risk.techniqueId,
              title: risk.title,
              level: risk.level,
              owner: '',
              treatment: null,
              status: 'open',
              notes: '',
              acceptance_approver: null,
              acceptance_reason: null,
              accepted_at: null,
              acceptance_expires_at: null,
              created_at: at,
              updated_at: at,
            })
            .execute();
          sync.created.push(risk.techniqueId);
          continue;
        }
        const reopen = before.status === 'mitigated' && before.treatment === null;
        if (before.title === risk.title && before.level === risk.level && !reopen) continue;
        await trx
          .updateTable('risks')
          .set({
            title: risk.title,
            level: risk.level,
            ...(reopen ? { status: 'open' } : {}),
            updated_at: at,
          })
          .where('id', '=', before.id)
          .execute();
        (reopen ? sync.reopened : sync.updated).push(risk.techniqueId);
      }
      for (const [techniqueId, before] of byTechnique) {
        if (applicable.has(techniqueId) || before.status !== 'open') continue;
        const notes = before.notes === '' ? input.closeNote : `${before.notes}\n${input.closeNote}`;
        await trx
          .updateTable('risks')
          .set({ status: 'mitigated', notes: notes.slice(-20_000), updated_at: at })
          .where('id', '=', before.id)
          .execute();
        sync.closed.push(techniqueId);
      }
      if (sync.created.length + sync.updated.length + sync.reopened.length + sync.closed.length > 0) {
        await this.audit(
          trx,
          { ...audit, action: 'risk.sync', detail: { runId: row.id, ...sync } },
          'system',
          systemId,
        );
      }
      return { run: toRun(row), sync };
    });
  }

  async listRuns(systemId: string, page?: Page): Promise<Omit<AssessmentRun, 'result'>[]> {
    const { limit, offset } = pageOf(page);
    const rows = await this.db
      .selectFrom('assessment_runs')
      .select(RUN_HEAD_COLUMNS)
      .where('system_id', '=', systemId)
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toRunHead);
  }

  /** The newest run of a system (with its result), or undefined. */
  async getLatestRun(systemId: string): Promise<AssessmentRun | undefined> {
    const r = await this.db
      .selectFrom('assessment_runs')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r && toRun(r);
  }

  /**
   * The newest `perSystem` runs of every system (without results), newest first within a system: one query
   * with a window function (SQLite 3.25+ and PostgreSQL alike).
   */
  async recentRunsBySystem(perSystem: number): Promise<Map<string, Omit<AssessmentRun, 'result'>[]>> {
    const n = Math.min(Math.max(Math.trunc(perSystem), 1), 100);
    const ranked = this.db
      .selectFrom('assessment_runs')
      .select([
        ...RUN_HEAD_COLUMNS,
        sql<number>`row_number() over (partition by system_id order by created_at desc, seq desc, id desc)`.as(
          'rn',
        ),
      ])
      .as('ranked');
    const rows = await this.db
      .selectFrom(ranked)
      .selectAll()
      .where('rn', '<=', n)
      .orderBy('system_id')
      .orderBy('rn')
      .execute();
    const out = new Map<string, Omit<AssessmentRun, 'result'>[]>();
    for (const r of rows) {
      const list = out.get(r.system_id) ?? [];
      list.push(toRunHead(r));
      out.set(r.system_id, list);
    }
    return out;
  }

  /** The newest findings upload of each kind, per system (or for one system). */
  async latestFindingsByKind(systemId?: string): Promise<FindingsUpload[]> {
    let inner = this.db
      .selectFrom('findings_uploads')
      .select([
        'id',
        'system_id',
        'kind',
        'format',
        'sha256',
        'summary',
        'created_by',
        'created_at',
        sql<number>`row_number() over (partition by system_id, kind order by created_at desc, id desc)`.as(
          'rn',
        ),
      ]);
    if (systemId !== undefined) inner = inner.where('system_id', '=', systemId);
    const rows = await this.db
      .selectFrom(inner.as('ranked'))
      .selectAll()
      .where('rn', '=', 1)
      .orderBy('system_id')
      .orderBy('kind')
      .execute();
    return rows.map((r) =>
      toFindingsUpload({
        id: r.id,
        system_id: r.system_id,
        kind: r.kind,
        format: r.format,
        sha256: r.sha256,
        summary: r.summary,
        created_by: r.created_by,
        created_at: r.created_at,
      }),
    );
  }

  async getRun(id: string): Promise<AssessmentRun | undefined> {
    const r = await this.db.selectFrom('assessment_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRun(r);
  }

  // ---- risk register ----

  async createRisk(
    input: {
      systemId: string;
      techniqueId: string | null;
      title: string;
      level: RiskLevel;
      owner: string;
      treatment: Exclude<Treatment, 'accept'> | null;
      notes: string;
    },
    audit?: AuditInput,
  ): Promise<Risk> {
    const at = this.now();
    const row = {
      id: randomUUID(),
      system_id: input.systemId,
      technique_id: input.techniqueId,
      title: input.title,
      level: input.level,
      owner: input.owner,
      treatment: input.treatment,
      status: statusForTreatment(input.treatment),
      notes: input.notes,
      acceptance_approver: null,
      acceptance_reason: null,
      accepted_at: null,
      acceptance_expires_at: null,
      created_at: at,
      updated_at: at,
    };
    return this.write('risk', async (trx) => {
      await trx.insertInto('risks').values(row).execute();
      await this.audit(trx, audit, 'risk', row.id);
      return toRisk(row);
    });
  }

  async getRisk(id: string): Promise<Risk | undefined> {
    const r = await this.db.selectFrom('risks').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRisk(r);
  }

  async listRisks(filter: {
    systemId?: string | undefined;
    status?: RiskStatus | undefined;
    level?: RiskLevel | undefined;
    owner?: string | undefined;
    page?: Page | undefined;
  }): Promise<Risk[]> {
    const { limit, offset } = pageOf(filter.page);
    let q = this.db.selectFrom('risks').selectAll();
    if (filter.systemId !== undefined) q = q.where('system_id', '=', filter.systemId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.level !== undefined) q = q.where('level', '=', filter.level);
    if (filter.owner !== undefined) q = q.where('owner', '=', filter.owner);
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute();
    return rows.map(toRisk);
  }

  /**
   * Updates register fields. Setting a treatment other than `accept` clears any acceptance; `accept` itself
   * goes through `acceptRisk` (it needs an approver and an expiry).
   */
  async updateRisk(
    id: string,
    patch: {
      title?: string | undefined;
      level?: RiskLevel | undefined;
      owner?: string | undefined;
      notes?: string | undefined;
      treatment?: Exclude<Treatment, 'accept'> | null | undefined;
    },
    audit?: AuditInput,
  ): Promise<Risk> {
    return this.write('risk', async (trx) => {
      const before = await trx.selectFrom('risks').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new StorageError('not-found', 'no such risk');
      const treatmentChange =
        patch.treatment === undefined
          ? {}
          : {
              treatment: patch.treatment,
              status: statusForTreatment(patch.treatment),
              acceptance_approver: null,
              acceptance_reason: null,
              accepted_at: null,
              acceptance_expires_at: null,
            };
      const next = {
        ...before,
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.level === undefined ? {} : { level: patch.level }),
        ...(patch.owner === undefined ? {} : { owner: patch.owner }),
        ...(patch.notes === undefined ? {} : { notes: patch.notes }),
        ...treatmentChange,
        updated_at: this.now(),
      };
      await trx.updateTable('risks').set(riskUpdate(next)).where('id', '=', id).execute();
      await this.audit(trx, audit, 'risk', id);
      return toRisk(next);
    });
  }

  /** Accepts a risk: treatment `accept`, status `accepted` until `expiresAt`, then it reopens. */
  async acceptRisk(
    id: string,
    acceptance: { approver: string; reason: string; expiresAt: string },
    audit?: AuditInput,
  ): Promise<Risk> {
    if (acceptance.expiresAt <= this.now()) {
      throw new StorageError('invalid', 'an acceptance must expire in the future');
    }
    return this.write('risk', async (trx) => {
      const before = await trx.selectFrom('risks').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new StorageError('not-found', 'no such risk');
      const at = this.now();
      const next = {
        ...before,
        treatment: 'accept',
        status: 'accepted',
        acceptance_approver: acceptance.approver,
        acceptance_reason: acceptance.reason,
        accepted_at: at,
        acceptance_expires_at: acceptance.expiresAt,
        updated_at: at,
      };
      await trx.updateTable('risks').set(riskUpdate(next)).where('id', '=', id).execute();
      await this.audit(trx, audit, 'risk', id);
      return toRisk(next);
    });
  }

  /**
   * Reopens every accepted risk whose acceptance has expired (status `open`, the acceptance kept for the
   * record, treatment cleared). Returns the reopened IDs; each gets an audit entry.
   */
  async reopenExpiredAcceptances(): Promise<string[]> {
    const at = this.now();
    // Cheap read first: list endpoints call this on every request, and most of the time nothing expired.
    const any = await this.db
      .selectFrom('risks')
      .select('id')
      .where('status', '=', 'accepted')
      .where('acceptance_expires_at', '<=', at)
      .limit(1)
      .executeTakeFirst();
    if (any === undefined) return [];
    return this.write('risk', async (trx) => {
      const expired = await trx
        .selectFrom('risks')
        .select('id')
        .where('status', '=', 'accepted')
        .where('acceptance_expires_at', '<=', at)
        .execute();
      if (expired.length === 0) return [];
      const ids = expired.map((r) => r.id);
      await trx
        .updateTable('risks')
        .set({ status: 'open', treatment: null, updated_at: at })
        .where('id', 'in', ids)
        .execute();
      for (const id of ids) {
        await this.audit(
          trx,
          { actorId: null, actorKind: 'system', action: 'risk.acceptance-expired' },
          'risk',
          id,
        );
      }
      return ids;
    });
  }

  async deleteRisk(id: string, audit?: AuditInput): Promise<void> {
    await this.write('risk', async (trx) => {
      const r = await trx.deleteFrom('risks').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw new StorageError('not-found', 'no such risk');
      await this.audit(trx, audit, 'risk', id);
    });
  }

  // ---- question answers ----

  async upsertAnswer(
    input: { systemId: string; questionId: string; answer: Answer; note: string; answeredBy: string | null },
    audit?: AuditInput,
  ): Promise<QuestionAnswer> {
    const at = this.now();
    return this.write('answer', async (trx) => {
      const row = {
        id: randomUUID(),
        system_id: input.systemId,
        question_id: input.questionId,
        answer: input.answer,
        note: input.note,
        answered_by: input.answeredBy,
        answered_at: at,
      };
      await trx
        .insertInto('question_answers')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['system_id', 'question_id']).doUpdateSet({
            answer: row.answer,
            note: row.note,
            answered_by: row.answered_by,
            answered_at: row.answered_at,
          }),
        )
        .execute();
      const stored = await trx
        .selectFrom('question_answers')
        .selectAll()
        .where('system_id', '=', input.systemId)
        .where('question_id', '=', input.questionId)
        .executeTakeFirstOrThrow();
      await this.audit(trx, audit, 'answer', stored.id);
      return toAnswer(stored);
    });
  }

  async listAnswers(systemId: string): Promise<QuestionAnswer[]> {
    const rows = await this.db
      .selectFrom('question_answers')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('question_id')
      .execute();
    return rows.map(toAnswer);
  }

  // ---- evidence ----

  async addEvidence(
    input: {
      systemId: string;
      questionId: string | null;
      title: string;
      expiresAt: string | null;
      createdBy: string | null;
    } & (
      { kind: 'link'; url: string } | { kind: 'file'; fileName: string; mediaType: string; data: Uint8Array }
    ),
    audit?: AuditInput,
  ): Promise<Evidence> {
    const base = {
      id: randomUUID(),
      system_id: input.systemId,
      question_id: input.questionId,
      kind: input.kind,
      title: input.title,
      expires_at: input.expiresAt,
      created_by: input.createdBy,
      created_at: this.now(),
    };
    const row =
      input.kind === 'link'
        ? { ...base, url: input.url, file_name: null, media_type: null, size: null, sha256: null }
        : {
            ...base,
            url: null,
            file_name: input.fileName,
            media_type: input.mediaType,
            size: input.data.byteLength,
            sha256: sha256Hex(input.data),
          };
    return this.write('evidence', async (trx) => {
      if (input.kind === 'file' && row.sha256 !== null) {
        await trx
          .insertInto('evidence_blobs')
          .values({ sha256: row.sha256, size: input.data.byteLength, data: input.data })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute();
      }
      await trx.insertInto('evidence').values(row).execute();
      await this.audit(trx, audit, 'evidence', row.id);
      return toEvidence(row);
    });
  }

  async listEvidence(systemId: string): Promise<Evidence[]> {
    const rows = await this.db
      .selectFrom('evidence')
      .selectAll()
      .where('system_id', '=', systemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toEvidence);
  }

  /** Systems with evidence whose expiry falls in (after, upTo] — what a periodic sweep re-assesses. */
  async systemsWithEvidenceExpiring(after: string, upTo: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('evidence')
      .select('system_id')
      .distinct()
      .where('expires_at', '>', after)
      .where('expires_at', '<=', upTo)
      .orderBy('system_id')
      .execute();
    return rows.map((r) => r.system_id);
  }

  async getEvidence(id: string): Promise<Evidence | undefined> {
    const r = await this.db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toEvidence(r);
  }

  async getBlob(sha256: string): Promise<Uint8Array | undefined> {
    const r = await this.db
      .selectFrom('evidence_blobs')
      .select('data')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return r?.data;
  }

  /** Deletes evidence; its stored file goes too once no other evidence refers to it. */
  async deleteEvidence(id: string, audit?: AuditInput): Promise<void> {
    await this.write('evidence', async (trx) => {
      const r = await trx.deleteFrom('evidence').where('id', '=', id).returning('sha256').executeTakeFirst();
      if (!r) throw new StorageError('not-found', 'no such evidence');
      if (r.sha256 !== null) {
        const still = await trx
          .selectFrom('evidence')
          .select('id')
          .where('sha256', '=', r.sha256)
          .limit(1)
          .executeTakeFirst();
        if (!still) await trx.deleteFrom('evidence_blobs').where('sha256', '=', r.sha256).execute();
      }
      await this.audit(trx, audit, 'evidence', id);
    });
  }

  // ---- findings uploads ----

  async addFindingsUpload(
    input: {
      systemId: string;
      kind: FindingsKind;
      format: 'json' | 'sarif';
      payload: string;
      summary: SeverityCounts;
      createdBy: string | null;
    },
    audit?: AuditInput,
  ): Promise<FindingsUpload> {
    const row = {
      id: randomUUID(),
      system_id: input.systemId,
      kind: input.kind,
      format: input.format,
      sha256: sha256Hex(input.payload),
      summary: JSON.stringify(input.summary),
      payload: input.payload,
      created_by: input.createdBy,
      created_at: this.now(),
    };
    return this.write('findings upload', async (trx) => {
      await trx.insertInto('findings_uploads').values(row).execute();
      await this.audit(trx, audit, 'findings-upload', row.id);
      return toFindingsUpload(row);
    });
  }

  async listFindingsUploads(systemId: string): Promise<FindingsUpload[]> {
    const rows = await this.db
      .selectFrom('findings_uploads')
      .select(['id', 'system_id', 'kind', 'format', 'sha256', 'summary', 'created_by', 'created_at'])
      .where('system_id', '=', systemId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toFindingsUpload);
  }

  async getFindingsPayload(id: string): Promise<{ upload: FindingsUpload; payload: string } | undefined> {
    const r = await this.db
      .selectFrom('findings_uploads')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && { upload: toFindingsUpload(r), payload: r.payload };
  }

  // ---- audit log ----

  async appendAudit(entry: AuditInput & { resourceType: string; resourceId: string | null }): Promise<void> {
    await this.write('audit entry', (trx) => this.audit(trx, entry, entry.resourceType, entry.resourceId));
  }

  async listAudit(page?: Page): Promise<AuditEntry[]> {
    const { limit, offset } = pageOf(page);
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toAudit);
  }
}
