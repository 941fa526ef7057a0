import { questionById, type SystemModel } from '@atlasguard/core';
import type { Evidence, FindingsUpload, QuestionAnswer, Risk } from '@atlasguard/storage';
import { effectOf, isClean, questionsEvidencedBy } from './findings-effects.js';

type ModelAnswer = SystemModel['answers'][number];

/** How one question's answer counts in the effective model. */
export interface QuestionState {
  /** The answer the assessment uses (`unanswered` when none). */
  counted: ModelAnswer['answer'] | 'unanswered';
  /** The answer as given (stored in the workspace, else in the YAML), before evidence rules. */
  given: ModelAnswer['answer'] | 'not-applicable' | 'unanswered';
  from: 'workspace' | 'model' | 'none';
  /** A yes/partial answer backed by unexpired evidence or a clean scan of the kind that proves it. */
  verified: boolean;
  /** Why the counted answer differs from the given one, or why it is unverified. */
  note?: string;
  /** Clean uploads counted as evidence for it. */
  uploads: string[];
}

export interface ReopenedMitigation {
  mitigation: string;
  uploadId: string;
  kind: FindingsUpload['kind'];
  reason: string;
}

type ModelParts = Pick<SystemModel, 'answers' | 'mitigations' | 'decisions'>;

export interface EffectiveModel<M extends ModelParts = SystemModel> {
  model: M;
  questions: Map<string, QuestionState>;
  reopened: ReopenedMitigation[];
  /** Lines carried into the assessment's warnings (what the workspace changed). */
  notes: string[];
}

export interface WorkspaceState {
  answers: readonly QuestionAnswer[];
  evidence: readonly Evidence[];
  /** The newest upload of each kind. */
  latestUploads: readonly FindingsUpload[];
  risks: readonly Risk[];
  /** ISO timestamp. */
  now: string;
}

const day = (iso: string): string => iso.slice(0, 10);

/**
 * The model the server assesses: the YAML, with the workspace's stored answers replacing the YAML's answer to
 * the same question, evidence and scan uploads folded in, and unexpired register acceptances as decisions.
 *
 * - A yes/partial answer is `verified` when the question has unexpired evidence or the newest upload of the
 *   kind that proves it is clean; when every evidence item of the question has expired (and no clean upload
 *   covers it) the answer counts as `unknown` — the question reopens.
 * - The newest upload of a kind with a critical or high finding marks that kind's mitigations `planned`
 *   (reopened, whatever the YAML or the answers said) with a reason naming the upload; a later clean upload
 *   of the kind lifts it.
 * - A stored `not-applicable` answer removes the question's answer (no credit either way).
 */
export function effectiveModel<M extends ModelParts>(base: M, ws: WorkspaceState): EffectiveModel<M> {
  const notes: string[] = [];
  const stored = new Map(ws.answers.map((a) => [a.questionId, a]));
  const answers = new Map<string, { answer: ModelAnswer; from: 'workspace' | 'model' }>();
  for (const a of base.answers) answers.set(a.question, { answer: a, from: 'model' });
  const given = new Map<string, QuestionState['given']>();
  for (const a of base.answers) given.set(a.question, a.answer);

  const evidenceByQuestion = new Map<string, Evidence[]>();
  for (const e of ws.evidence) {
    if (e.questionId === null) continue;
    evidenceByQuestion.set(e.questionId, [...(evidenceByQuestion.get(e.questionId) ?? []), e]);
  }
  const live = (e: Evidence): boolean => e.expiresAt === null || e.expiresAt > ws.now;

  for (const a of stored.values()) {
    if (questionById(a.questionId) === undefined) continue;
    given.set(a.questionId, a.answer);
    if (a.answer === 'not-applicable') {
      answers.delete(a.questionId);
      continue;
    }
    const items = (evidenceByQuestion.get(a.questionId) ?? []).filter(live);
    const evidenceText = items
      .map((e) => e.url ?? e.file?.name ?? e.title)
      .join('; ')
      .slice(0, 1000);
    answers.set(a.questionId, {
      from: 'workspace',
      answer: {
        question: a.questionId,
        answer: a.answer,
        date: day(a.answeredAt),
        ...(evidenceText === '' ? {} : { evidence: evidenceText }),
      },
    });
  }

  const cleanFor = new Map<string, string[]>();
  const reopened: ReopenedMitigation[] = [];
  for (const upload of ws.latestUploads) {
    const effect = effectOf(upload.kind);
    if (effect === undefined) continue;
    if (isClean(upload)) {
      for (const q of questionsEvidencedBy(upload.kind))
        cleanFor.set(q, [...(cleanFor.get(q) ?? []), upload.id]);
      continue;
    }
    const reason =
      `reopened by the ${upload.kind} upload of ${day(upload.createdAt)} (${upload.id}): ` +
      `${String(upload.summary.critical)} critical, ${String(upload.summary.high)} high finding(s) — ${effect.why}`;
    for (const mitigation of effect.reopens)
      reopened.push({ mitigation, uploadId: upload.id, kind: upload.kind, reason });
  }

  const questions = new Map<string, QuestionState>();
  const counted: ModelAnswer[] = [];
  const ids = new Set([...given.keys(), ...evidenceByQuestion.keys(), ...cleanFor.keys()]);
  for (const id of ids) {
    const entry = answers.get(id);
    const items = evidenceByQuestion.get(id) ?? [];
    const uploads = cleanFor.get(id) ?? [];
    const hasLive = items.some(live) || uploads.length > 0;
    const state: QuestionState = {
      counted: entry?.answer.answer ?? 'unanswered',
      given: given.get(id) ?? 'unanswered',
      from: entry?.from ?? (given.has(id) ? 'workspace' : 'none'),
      verified: false,
      uploads,
    };
    if (entry !== undefined) {
      const positive = entry.answer.answer === 'yes' || entry.answer.answer === 'partial';
      if (positive && hasLive) state.verified = true;
      else if (positive && items.length > 0) {
        state.counted = 'unknown';
        state.note =
          'all of its evidence has expired: the answer counts as unknown until new evidence is attached';
        notes.push(`answer to ${id} counts as unknown: its evidence expired`);
      } else if (positive) state.note = 'no evidence attached yet';
      counted.push(state.counted === 'unknown' ? { ...entry.answer, answer: 'unknown' } : entry.answer);
    }
    questions.set(id, state);
  }
  for (const [id, entry] of answers) if (!ids.has(id)) counted.push(entry.answer);

  // A reopened mitigation is `planned` everywhere (its statements are replaced by one unscoped statement),
  // which also overrides a status derived from answers.
  const reopenedIds = new Map(reopened.map((r) => [r.mitigation, r]));
  const mitigations = base.mitigations.filter((m) => !reopenedIds.has(m.id));
  for (const r of reopenedIds.values()) {
    mitigations.push({ id: r.mitigation, status: 'planned', scope: [], evidence: [], reason: r.reason });
    notes.push(`mitigation ${r.mitigation} ${r.reason}`);
  }

  const decisions = base.decisions.filter(
    (d) => !ws.risks.some((r) => r.techniqueId === d.technique && r.status === 'accepted'),
  );
  for (const r of ws.risks) {
    if (r.techniqueId === null || r.status !== 'accepted' || r.acceptance === null) continue;
    if (r.acceptance.expiresAt <= ws.now) continue;
    decisions.push({
      technique: r.techniqueId,
      decision: 'accept',
      approver: r.acceptance.approver.slice(0, 200),
      reason: (r.acceptance.reason === '' ? 'accepted in the risk register' : r.acceptance.reason).slice(
        0,
        2000,
      ),
      expires: day(r.acceptance.expiresAt),
    });
  }

  return {
    model: {
      ...base,
      answers: counted.sort((a, b) => a.question.localeCompare(b.question)),
      mitigations,
      decisions,
    },
    questions,
    reopened,
    notes,
  };
}
