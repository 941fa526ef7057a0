import {
  assess,
  checkSystemModel,
  parseSystemModelText,
  QUESTIONS,
  type Assessment,
  type Catalog,
  type ModelIssue,
  type RiskLevel,
} from '@atlasguard/core';
import type { AssessmentRun, AuditInput, RunTrigger, Storage } from '@atlasguard/storage';
import { ApiError } from './api-error.js';
import type { ModelIssueOut } from './context.js';
import { asAssessment } from './assessment-result.js';
import { effectiveModel, type EffectiveModel } from './effective-model.js';
import { readSummary, residualLevelOf, summarize, type StoredSummary } from './run-summary.js';
import { SERVER_VERSION } from './version.js';

const QUESTION_IDS: ReadonlySet<string> = new Set(QUESTIONS.map((q) => q.id));

/** The run as the API lists it (without the result). */
export interface RunSummaryOut {
  id: string;
  systemId: string;
  modelVersion: number | null;
  trigger: string | null;
  residualLevel: string | null;
  residualScore: number | null;
  inherentLevel: RiskLevel | null;
  coverage: number | null;
  applicable: number | null;
  gaps: number | null;
  questions: { answered: number; total: number } | null;
  createdBy: string | null;
  createdAt: string;
}

export function runSummaryOut(run: Omit<AssessmentRun, 'result'>): RunSummaryOut {
  const s = readSummary(run.summary);
  return {
    id: run.id,
    systemId: run.systemId,
    modelVersion: run.modelVersion,
    trigger: run.trigger,
    residualLevel: run.residualLevel,
    residualScore: s?.residualScore ?? null,
    inherentLevel: s?.inherentLevel ?? null,
    coverage: s?.coverage ?? null,
    applicable: s?.applicable ?? null,
    gaps: s?.gaps ?? null,
    questions: s?.questions ?? null,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
  };
}

export const NO_ATLAS_DATA =
  'the server has no ATLAS data, so it cannot assess: restart it with --atlas-data PATH to an ATLAS.yaml, ' +
  'or with ATLAS_DATA=PATH set, or after `atlasguard kb update` has filled the cache';

const issueOut = (i: ModelIssue): ModelIssueOut => ({
  message: i.message,
  ...(i.hint === undefined ? {} : { hint: i.hint }),
  path: i.path.map(String).join('.'),
  ...(i.position.line === undefined ? {} : { line: i.position.line }),
  ...(i.position.column === undefined ? {} : { column: i.position.column }),
});

export interface AssessedState {
  effective: EffectiveModel;
  assessment: Assessment;
}

/**
 * Server-side assessment: the effective model of a system (its latest YAML with the workspace folded in)
 * assessed by the core engine against the catalog loaded at start, stored as a run with its trigger, and the
 * risk register synced — one system at a time (runs of one system never interleave).
 */
export class Assessor {
  readonly catalog: Catalog | undefined;
  private readonly storage: Storage;
  private readonly queues = new Map<string, Promise<unknown>>();
  private sweeping: Promise<string[]> | undefined;
  private evidenceSweptAt = Number.NEGATIVE_INFINITY;
  /** Parsed results of recent runs by run ID (runs never change): views of the latest run skip the parse. */
  private readonly parsed = new Map<string, Assessment>();

  constructor(storage: Storage, catalog: Catalog | undefined) {
    this.storage = storage;
    this.catalog = catalog;
  }

  /** The latest run of a system and its assessment (undefined: never assessed, or not an assessment). */
  async latest(systemId: string): Promise<{ run: RunSummaryOut; assessment: Assessment } | undefined> {
    const [head] = await this.storage.listRuns(systemId, { limit: 1 });
    if (head === undefined) return undefined;
    const assessment = await this.assessmentOf(head.id);
    return assessment === undefined ? undefined : { run: runSummaryOut(head), assessment };
  }

  /** A run's assessment, from a small cache of recent runs. */
  async assessmentOf(runId: string): Promise<Assessment | undefined> {
    const hit = this.parsed.get(runId);
    if (hit !== undefined) {
      this.parsed.delete(runId);
      this.parsed.set(runId, hit);
      return hit;
    }
    const run = await this.storage.getRun(runId);
    const assessment = run === undefined ? undefined : asAssessment(run.result);
    if (assessment === undefined) return undefined;
    this.parsed.set(runId, assessment);
    while (this.parsed.size > PARSED_CACHE) {
      const oldest = this.parsed.keys().next().value;
      if (oldest === undefined) break;
      this.parsed.delete(oldest);
    }
    return assessment;
  }

  /** The catalog, or 503 no-atlas-data. */
  requireCatalog(): Catalog {
    if (this.catalog === undefined) throw new ApiError(503, 'no-atlas-data', NO_ATLAS_DATA);
    return this.catalog;
  }

  /** Parses a model YAML (bounded by the core parser's limits) and checks it against the catalog if loaded. */
  check(yaml: string): { ok: true; warnings: ModelIssueOut[] } | { ok: false; issues: ModelIssueOut[] } {
    const parsed = parseSystemModelText(yaml, 'model.yaml');
    if (!parsed.ok) return { ok: false, issues: parsed.issues.slice(0, 50).map(issueOut) };
    if (this.catalog === undefined) return { ok: true, warnings: [] };
    const checked = checkSystemModel(parsed.value.model, parsed.value.positions, this.catalog, {
      questionIds: QUESTION_IDS,
    });
    if (checked.errors.length > 0) return { ok: false, issues: checked.errors.slice(0, 50).map(issueOut) };
    return { ok: true, warnings: checked.warnings.slice(0, 50).map(issueOut) };
  }

  /** The effective model and its assessment as of now, without storing anything; undefined without a model. */
  async evaluate(systemId: string): Promise<(AssessedState & { modelVersion: number }) | undefined> {
    const catalog = this.requireCatalog();
    const version = await this.storage.getModelVersion(systemId);
    if (version === undefined) return undefined;
    const parsed = parseSystemModelText(version.yaml, `model v${String(version.version)}`);
    if (!parsed.ok) return undefined;
    const [answers, evidence, latestUploads, risks] = await Promise.all([
      this.storage.listAnswers(systemId),
      this.storage.listEvidence(systemId),
      this.storage.latestFindingsByKind(systemId),
      this.storage.listRisks({ systemId, page: { limit: 500 } }),
    ]);
    const now = this.storage.now();
    const effective = effectiveModel(parsed.value.model, { answers, evidence, latestUploads, risks, now });
    const checked = checkSystemModel(effective.model, parsed.value.positions, catalog, {
      questionIds: QUESTION_IDS,
    });
    const warnings = [
      ...checked.warnings.map((w) => w.message),
      ...checked.errors.map((e) => `model check: ${e.message}`),
      ...effective.notes,
    ];
    const assessment = assess(effective.model, catalog, {
      source: `model v${String(version.version)}`,
      assessedOn: now.slice(0, 10),
      toolVersion: SERVER_VERSION,
      warnings,
    });
    return { effective, assessment, modelVersion: version.version };
  }

  /** How each question's answer counts right now (verified, reopened by expiry…), without assessing. */
  async questionStates(systemId: string): Promise<EffectiveModel['questions']> {
    const version = await this.storage.getModelVersion(systemId);
    const parsed = version === undefined ? undefined : parseSystemModelText(version.yaml, 'model.yaml');
    const base = parsed?.ok === true ? parsed.value.model : undefined;
    const [answers, evidence, latestUploads] = await Promise.all([
      this.storage.listAnswers(systemId),
      this.storage.listEvidence(systemId),
      this.storage.latestFindingsByKind(systemId),
    ]);
    return effectiveModel(base ?? { answers: [], mitigations: [], decisions: [] }, {
      answers,
      evidence,
      latestUploads,
      risks: [],
      now: this.storage.now(),
    }).questions;
  }

  /**
   * Assesses a system now and stores the run (with the register sync). Returns undefined when there is
   * nothing to assess (no model yet, or no ATLAS data: the write that triggered it still stands).
   */
  async run(
    systemId: string,
    trigger: RunTrigger,
    audit: AuditInput,
    createdBy: string | null,
  ): Promise<RunSummaryOut | undefined> {
    if (this.catalog === undefined) return undefined;
    const previous = this.queues.get(systemId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const state = await this.evaluate(systemId);
        if (state === undefined) return undefined;
        const summary: StoredSummary = summarize(state.assessment);
        const { run } = await this.storage.recordAssessment(
          {
            run: {
              systemId,
              modelVersion: state.modelVersion,
              result: state.assessment,
              residualLevel: residualLevelOf(state.assessment),
              createdBy,
              trigger,
              summary,
            },
            risks: state.assessment.risks.map((r) => ({
              techniqueId: r.techniqueId,
              title: r.name.slice(0, 200),
              level: r.residual.level,
            })),
            closeNote: `${state.assessment.assessedOn}: the technique no longer applies (assessment after a ${trigger} change)`,
          },
          { ...audit, detail: { ...audit.detail, trigger } },
        );
        return runSummaryOut(run);
      });
    this.queues.set(systemId, next);
    try {
      return await next;
    } finally {
      if (this.queues.get(systemId) === next) this.queues.delete(systemId);
    }
  }

  /**
   * Time-driven changes: reopens expired register acceptances and re-assesses (trigger `expiry`) every system
   * where an acceptance of a technique risk or a piece of evidence expired since the last sweep. One sweep at
   * a time; returns the systems re-assessed.
   */
  async sweepExpiry(): Promise<string[]> {
    this.sweeping ??= this.doSweep().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async doSweep(): Promise<string[]> {
    const now = this.storage.now();
    const reopened = await this.storage.reopenExpiredAcceptances();
    const systems = new Set<string>();
    for (const id of reopened) {
      const risk = await this.storage.getRisk(id);
      if (risk?.techniqueId != null) systems.add(risk.systemId);
    }
    // Evidence expiry: at most every 10 s (list calls sweep too; this part writes its checkpoint).
    if (Date.parse(now) - this.evidenceSweptAt >= 10_000) {
      this.evidenceSweptAt = Date.parse(now);
      const stored = await this.storage.getSetting(SWEEP_KEY);
      if (stored !== undefined && stored < now) {
        for (const id of await this.storage.systemsWithEvidenceExpiring(stored, now)) systems.add(id);
      }
      if (stored !== now) await this.storage.setSetting(SWEEP_KEY, now);
    }
    if (this.catalog === undefined) return [];
    const done: string[] = [];
    for (const systemId of systems) {
      const run = await this.run(
        systemId,
        'expiry',
        { actorId: null, actorKind: 'system', action: 'run.assess' },
        null,
      );
      if (run !== undefined) done.push(systemId);
    }
    return done;
  }
}

const SWEEP_KEY = 'assess.expiry-swept-at';
/** Parsed run results kept in memory (a result of a large model is a few MB of objects). */
const PARSED_CACHE = 24;
