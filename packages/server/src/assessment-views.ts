import {
  diffBaseline,
  questionById,
  RISK_LEVELS,
  type Assessment,
  type BaselineDiff,
  type Catalog,
  type LedgerEntry,
  type Persona,
  type RiskLevel,
} from '@atlasguard/core';
import type { AssessmentRun, Evidence, FindingsUpload, QuestionAnswer } from '@atlasguard/storage';
import type { QuestionState } from './effective-model.js';
import { effectOf, questionsEvidencedBy } from './findings-effects.js';
import { techniqueCoverage } from './run-summary.js';

export { asAssessment } from './assessment-result.js';

export interface MatrixTechnique {
  id: string;
  name: string;
  parent: string | null;
  decision: LedgerEntry['decision'] | 'not-assessed';
  inherent: { level: RiskLevel | null; score: number | null };
  residual: { level: RiskLevel | null; score: number | null };
  coverage: number | null;
  maturity: string;
}

/** The ATLAS matrix in catalog order (top-level techniques, each followed by its sub-techniques). */
export function matrixOf(
  a: Assessment,
  catalog: Catalog,
): { tactics: { id: string; name: string; techniques: MatrixTechnique[] }[] } {
  const ledger = new Map(a.ledger.map((e) => [e.techniqueId, e]));
  const cell = (id: string, name: string, parent: string | undefined, maturity?: string): MatrixTechnique => {
    const e = ledger.get(id);
    return {
      id,
      name,
      parent: parent ?? null,
      decision: e?.decision ?? 'not-assessed',
      inherent: { level: e?.inherent?.level ?? null, score: e?.inherent?.score ?? null },
      residual: { level: e?.residual?.level ?? null, score: e?.residual?.score ?? null },
      coverage: e === undefined ? null : techniqueCoverage(e),
      maturity: e?.maturity ?? maturity ?? 'unknown',
    };
  };
  return {
    tactics: catalog.tactics.map((tactic) => ({
      id: tactic.id,
      name: tactic.name,
      techniques: catalog
        .techniquesOfTactic(tactic.id)
        .filter((t) => t.parent === undefined)
        .flatMap((t) => [
          cell(t.id, t.name, undefined, t.maturity),
          ...catalog.subtechniquesOf(t.id).map((s) => cell(s.id, s.name, s.parent, s.maturity)),
        ]),
    })),
  };
}

/** Contract persona names ↔ the question bank's. */
export const PERSONA_NAMES = {
  security: 'security',
  engineer: 'ml-engineer',
  data: 'data-owner',
  risk: 'risk-manager',
} as const;
export type PersonaName = keyof typeof PERSONA_NAMES;
const personaName = (p: Persona): PersonaName =>
  (Object.keys(PERSONA_NAMES) as PersonaName[]).find((k) => PERSONA_NAMES[k] === p) ?? 'security';

export interface EvidenceOut extends Evidence {
  expired: boolean;
}

export interface ChecklistItem {
  id: string;
  text: string;
  persona: PersonaName;
  why: string;
  techniques: string[];
  mitigations: string[];
  answer: string;
  note: string;
  answeredBy: string | null;
  answeredAt: string | null;
  verified: boolean;
  evidence: EvidenceOut[];
}

interface WorkspaceView {
  answers: readonly QuestionAnswer[];
  evidence: readonly EvidenceOut[];
  states: ReadonlyMap<string, QuestionState>;
}

const levelRank = (l: RiskLevel | undefined): number => (l === undefined ? 0 : 4 - RISK_LEVELS.indexOf(l));

/**
 * The questions the run asks, most valuable first: by the summed residual score of the techniques each one
 * verifies (answering it well lowers the most risk), then by bank ID.
 */
export function checklistOf(a: Assessment, ws: WorkspaceView, persona: PersonaName | 'all'): ChecklistItem[] {
  const ledger = new Map(a.ledger.map((e) => [e.techniqueId, e]));
  const stored = new Map(ws.answers.map((x) => [x.questionId, x]));
  const items: { item: ChecklistItem; value: number }[] = [];
  for (const use of a.questions) {
    const q = questionById(use.id);
    if (q === undefined) continue;
    const p = personaName(q.persona);
    if (persona !== 'all' && p !== persona) continue;
    const entries = use.techniques.map((t) => ledger.get(t)).filter((e) => e !== undefined);
    const value = entries.reduce((sum, e) => sum + (e.residual?.score ?? 0), 0);
    const top = [...entries].sort(
      (x, y) =>
        levelRank(y.residual?.level) - levelRank(x.residual?.level) ||
        (y.residual?.score ?? 0) - (x.residual?.score ?? 0),
    )[0];
    const what =
      use.mitigations.length > 0 ? `mitigation ${use.mitigations.join(', ')}` : 'the technique directly';
    const why =
      `Verifies ${what} for ${String(use.techniques.length)} technique(s) that apply to this system` +
      (top?.residual === undefined
        ? '.'
        : `; the riskiest is ${top.techniqueId} ${top.name} (residual ${top.residual.level}).`);
    const answer = stored.get(use.id);
    const state = ws.states.get(use.id);
    items.push({
      value,
      item: {
        id: use.id,
        text: q.text,
        persona: p,
        why,
        techniques: use.techniques,
        mitigations: use.mitigations,
        answer: answer?.answer ?? use.answer,
        note: answer?.note ?? '',
        answeredBy: answer?.answeredBy ?? null,
        answeredAt: answer?.answeredAt ?? null,
        verified: state?.verified ?? false,
        evidence: ws.evidence.filter((e) => e.questionId === use.id),
      },
    });
  }
  return items.sort((x, y) => y.value - x.value || x.item.id.localeCompare(y.item.id)).map((x) => x.item);
}

/** Uploads that bear on a technique: they reopen one of its mitigations or are evidence for one of its questions. */
export function uploadsTouching(entry: LedgerEntry, uploads: readonly FindingsUpload[]): FindingsUpload[] {
  const mitigations = new Set(entry.mitigations.map((m) => m.id));
  const questions = new Set(entry.questions.map((q) => q.id));
  return uploads.filter((u) => {
    const effect = effectOf(u.kind);
    if (effect === undefined) return false;
    return (
      effect.reopens.some((m) => mitigations.has(m)) ||
      questionsEvidencedBy(u.kind).some((q) => questions.has(q))
    );
  });
}

export interface TechniqueChange {
  id: string;
  name: string;
  decision: { from: string | null; to: string | null } | null;
  level: { from: RiskLevel | null; to: RiskLevel | null } | null;
  score: { from: number | null; to: number | null } | null;
  mitigations: { id: string; from: string | null; to: string | null }[];
}

/** What changed between two runs: the risks (core's baseline comparison) and, per technique, decision, level and mitigation status. */
export function diffRuns(
  from: { run: AssessmentRun; assessment: Assessment },
  to: { run: AssessmentRun; assessment: Assessment },
): { risks: BaselineDiff; techniques: TechniqueChange[] } {
  const risks = diffBaseline(to.assessment, from.assessment, from.run.id);
  const before = new Map(from.assessment.ledger.map((e) => [e.techniqueId, e]));
  const after = new Map(to.assessment.ledger.map((e) => [e.techniqueId, e]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const techniques: TechniqueChange[] = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    const decision =
      b?.decision === a?.decision ? null : { from: b?.decision ?? null, to: a?.decision ?? null };
    const bl = b?.residual?.level ?? null;
    const al = a?.residual?.level ?? null;
    const bs = b?.residual?.score ?? null;
    const as = a?.residual?.score ?? null;
    const bm = new Map((b?.mitigations ?? []).map((m) => [m.id, m.status]));
    const am = new Map((a?.mitigations ?? []).map((m) => [m.id, m.status]));
    const mitigations = [...new Set([...bm.keys(), ...am.keys()])]
      .sort()
      .filter((m) => bm.get(m) !== am.get(m))
      .map((m) => ({ id: m, from: bm.get(m) ?? null, to: am.get(m) ?? null }));
    if (decision === null && bl === al && bs === as && mitigations.length === 0) continue;
    techniques.push({
      id,
      name: a?.name ?? b?.name ?? id,
      decision,
      level: bl === al ? null : { from: bl, to: al },
      score: bs === as ? null : { from: bs, to: as },
      mitigations,
    });
  }
  return { risks, techniques };
}
