import type { Kysely, Migration, MigrationProvider } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Migrations in code (they run from the compiled dist without a migrations folder). A migration cannot ask
 * Kysely for its dialect, so the dialect is passed in by closure. Append new migrations; never edit old ones.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001_workspace': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('systems')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('system_models')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('yaml', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('system_models_version', ['system_id', 'version'])
          .execute();
        await db.schema
          .createTable('assessment_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('model_version', 'integer')
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('residual_level', 'text')
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('assessment_runs_system')
          .on('assessment_runs')
          .columns(['system_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('risks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('technique_id', 'text')
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('treatment', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('notes', 'text', (c) => c.notNull())
          .addColumn('acceptance_approver', 'text')
          .addColumn('acceptance_reason', 'text')
          .addColumn('accepted_at', 'text')
          .addColumn('acceptance_expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('risks_system').on('risks').column('system_id').execute();
        await db.schema
          .createIndex('risks_acceptance_expiry')
          .on('risks')
          .columns(['status', 'acceptance_expires_at'])
          .execute();
        await db.schema
          .createTable('question_answers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('question_id', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('answered_by', 'text')
          .addColumn('answered_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('question_answers_one', ['system_id', 'question_id'])
          .execute();
        await db.schema
          .createTable('evidence_blobs')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('data', blob, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('evidence')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('question_id', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('url', 'text')
          .addColumn('file_name', 'text')
          .addColumn('media_type', 'text')
          .addColumn('size', 'integer')
          .addColumn('sha256', 'text')
          .addColumn('expires_at', 'text')
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('evidence_system').on('evidence').column('system_id').execute();
        await db.schema
          .createTable('findings_uploads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('findings_uploads_system')
          .on('findings_uploads')
          .column('system_id')
          .execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_kind', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('resource_type', 'text', (c) => c.notNull())
          .addColumn('resource_id', 'text')
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        for (const table of [
          'settings',
          'audit_log',
          'findings_uploads',
          'evidence',
          'evidence_blobs',
          'question_answers',
          'risks',
          'assessment_runs',
          'system_models',
          'systems',
          'api_tokens',
          'sessions',
          'users',
        ]) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
    '0002_assessment_triggers': {
      // Server-side assessment: what caused each run, and a small summary (levels, scores, coverage, per-tactic
      // heat) so that the portfolio never has to parse full results. Risks are looked up by technique.
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('assessment_runs').addColumn('trigger', 'text').execute();
        await db.schema.alterTable('assessment_runs').addColumn('summary', 'text').execute();
        // Order of runs within a system (timestamps can tie); null for runs stored before 0002.
        await db.schema.alterTable('assessment_runs').addColumn('seq', 'integer').execute();
        await db.schema
          .createIndex('assessment_runs_system_seq')
          .unique()
          .on('assessment_runs')
          .columns(['system_id', 'seq'])
          .execute();
        await db.schema
          .createIndex('risks_system_technique')
          .on('risks')
          .columns(['system_id', 'technique_id'])
          .execute();
        await db.schema
          .createIndex('findings_uploads_system_kind')
          .on('findings_uploads')
          .columns(['system_id', 'kind', 'created_at'])
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropIndex('findings_uploads_system_kind').ifExists().execute();
        await db.schema.dropIndex('risks_system_technique').ifExists().execute();
        await db.schema.dropIndex('assessment_runs_system_seq').ifExists().execute();
        await db.schema.alterTable('assessment_runs').dropColumn('seq').execute();
        await db.schema.alterTable('assessment_runs').dropColumn('summary').execute();
        await db.schema.alterTable('assessment_runs').dropColumn('trigger').execute();
      },
    },
    '0003_run_summaries_covering_index': {
      // SQLite keeps a run's large result in the row before its summary: reading the summary walks the result's
      // overflow pages. A covering index lets lists and the portfolio read summaries without touching results.
      // PostgreSQL stores large values out of line (TOAST) and needs none.
      async up(db: Kysely<unknown>): Promise<void> {
        if (dialect !== 'sqlite') return;
        await db.schema
          .createIndex('assessment_runs_summaries')
          .on('assessment_runs')
          .columns([
            'system_id',
            'created_at',
            'seq',
            'id',
            'model_version',
            'residual_level',
            'trigger',
            'created_by',
            'summary',
          ])
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropIndex('assessment_runs_summaries').ifExists().execute();
      },
    },
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}
