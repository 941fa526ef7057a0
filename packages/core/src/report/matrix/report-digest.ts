import type {
  AnswerValue,
  Assessment,
  CaseStudyRef,
  LedgerEntry,
  QuestionUse,
  Risk,
  RiskLevel,
  Scenario,
} from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import { resolveLinks } from '../../atlas/links.js';
import { compensatingControlById } from '../../content/compensating-controls/control-catalog.js';
import type { CompensatingControl } from '../../content/compensating-controls/control-schema.js';
import { assessmentMatrix } from './assessment-matrix.js';
import { questionById } from '../../content/questions/question-lookup.js';
import { PERSONAS, type Persona, type Question } from '../../content/questions/question-schema.js';
import type { Element } from '../../findings/finding.js';

// View-model helpers shared by the human-readable writers (Markdown, HTML) and the web app.

export interface ChecklistItem {
  use: QuestionUse;
  /** The bank entry, when the ID is known to this release of AtlasGuard's content. */
  question: Question | undefined;
}

/** The attached questions grouped by the persona who answers them; unknown IDs go to `security`. */
export function checklistByPersona(
  assessment: Assessment,
): Array<{ persona: Persona; items: ChecklistItem[] }> {
  const groups = new Map<Persona, ChecklistItem[]>(PERSONAS.map((p) => [p, []]));
  for (const use of assessment.questions) {
    const question = questionById(use.id);
    groups.get(question?.persona ?? 'security')?.push({ use, question });
  }
  return PERSONAS.map((persona) => ({ persona, items: groups.get(persona) ?? [] })).filter(
    (g) => g.items.length > 0,
  );
}

export function answerMark(answer: AnswerValue): string {
  switch (answer) {
    case 'yes':
      return 'passed';
    case 'no':
      return 'failed';
    case 'partial':
      return 'partial';
    case 'unknown':
      return 'unknown';
    case 'unanswered':
      return 'open';
  }
}

export interface CaseStudyDigest {
  ref: CaseStudyRef;
  /** Applicable or unknown techniques of this assessment the case study used. */
  techniques: string[];
}

/** Case studies attached to the ledger, most similar first, each with the techniques it shares. */
export function caseStudyDigest(assessment: Assessment): CaseStudyDigest[] {
  const byId = new Map<string, CaseStudyDigest>();
  for (const entry of assessment.ledger) {
    if (entry.decision === 'not-applicable') continue;
    for (const ref of entry.caseStudies) {
      const digest = byId.get(ref.id) ?? { ref, techniques: [] };
      if (ref.similarity > digest.ref.similarity) digest.ref = ref;
      digest.techniques.push(entry.techniqueId);
      byId.set(ref.id, digest);
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      b.ref.similarity - a.ref.similarity ||
      b.techniques.length - a.techniques.length ||
      a.ref.id.localeCompare(b.ref.id),
  );
}

/** Risks that touch an element, in register order. */
export function risksOfElement(assessment: Assessment, element: Element): Risk[] {
  return assessment.risks.filter((r) => r.elements.includes(element));
}

/** Tactic names for tactic IDs (the ID itself when the catalog lacks it). */
export function tacticNames(catalog: Catalog, ids: readonly string[]): string[] {
  return ids.map((id) => catalog.tactic(id)?.name ?? id);
}

/** Counts of residual levels over the risk register. */
export function residualCounts(
  assessment: Assessment,
): Record<'critical' | 'high' | 'medium' | 'low', number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of assessment.risks) counts[r.residual.level] += 1;
  return counts;
}

/**
 * Display name of a technique: sub-techniques carry their parent's name ("LLM Prompt Injection: Direct"),
 * since names like "Direct" or "Model" mean nothing alone. Falls back to the name the assessment gives.
 */
export function techniqueLabel(catalog: Catalog, id: string, fallback: string): string {
  const technique = catalog.technique(id);
  if (technique === undefined) return fallback;
  const parent = technique.parent === undefined ? undefined : catalog.technique(technique.parent);
  return parent === undefined ? technique.name : `${parent.name}: ${technique.name}`;
}

/** `1 incident`, `3 incidents`. */
export function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Compensating controls for the steps of a scenario that ATLAS has no mitigation for: the chain can be
 * broken there too, by AtlasGuard's own controls. Each control with the steps it would stop.
 */
export function scenarioGapControls(
  assessment: Assessment,
  scenario: Scenario,
): Array<{ id: string; title: string; breaks: string[] }> {
  const ledger = new Map(assessment.ledger.map((e) => [e.techniqueId, e]));
  const byId = new Map<string, { id: string; title: string; breaks: string[] }>();
  for (const step of scenario.steps) {
    const entry = ledger.get(step.techniqueId);
    if (entry?.gap !== true) continue;
    for (const c of entry.compensatingControls) {
      const item = byId.get(c.id) ?? { id: c.id, title: c.title, breaks: [] };
      if (!item.breaks.includes(step.techniqueId)) item.breaks.push(step.techniqueId);
      byId.set(c.id, item);
    }
  }
  return [...byId.values()];
}

/** Fragment ID of a risk's row in the HTML register. */
export function riskAnchor(techniqueId: string): string {
  return `risk-${techniqueId.replace(/[^A-Za-z0-9]/g, '-')}`;
}

export interface TacticSummary {
  tacticId: string;
  name: string;
  /** Techniques and sub-techniques under the tactic. */
  techniques: number;
  inScope: number;
  residual: Record<'critical' | 'high' | 'medium' | 'low', number>;
}

/** Per tactic, in matrix order: how many techniques are in scope and their residual levels. */
export function tacticSummaries(assessment: Assessment, catalog: Catalog): TacticSummary[] {
  return assessmentMatrix(assessment, catalog).columns.map((column) => {
    const cells = column.cells.flatMap((c) => [c, ...c.subtechniques]);
    const residual = { critical: 0, high: 0, medium: 0, low: 0 };
    let inScope = 0;
    for (const cell of cells) {
      if (cell.value.decision === 'applies' || cell.value.decision === 'unknown') inScope += 1;
      const state = cell.value.state;
      if (state === 'critical' || state === 'high' || state === 'medium' || state === 'low')
        residual[state] += 1;
    }
    return { tacticId: column.tacticId, name: column.name, techniques: cells.length, inScope, residual };
  });
}

/** Ledger entries carrying a risk decision (accept / transfer / avoid), expired ones first. */
export function riskDecisions(assessment: Assessment): LedgerEntry[] {
  return assessment.ledger
    .filter((e) => e.treatment !== undefined)
    .sort(
      (a, b) =>
        Number(a.treatment?.active) - Number(b.treatment?.active) ||
        (a.treatment?.expires ?? '').localeCompare(b.treatment?.expires ?? '') ||
        a.techniqueId.localeCompare(b.techniqueId),
    );
}

export interface ControlDigest {
  id: string;
  title: string;
  /** The control from AtlasGuard's content, when this content release knows it. */
  control: CompensatingControl | undefined;
  /** In-scope techniques of this assessment it compensates for. */
  techniques: string[];
}

/** Compensating controls proposed for in-scope gaps, in first-use order, with their content. */
export function compensatingControlDigest(assessment: Assessment): ControlDigest[] {
  const byId = new Map<string, ControlDigest>();
  for (const entry of assessment.ledger) {
    if (entry.decision === 'not-applicable') continue;
    for (const ref of entry.compensatingControls) {
      const digest = byId.get(ref.id) ?? {
        id: ref.id,
        title: ref.title,
        control: compensatingControlById(ref.id),
        techniques: [],
      };
      digest.techniques.push(entry.techniqueId);
      byId.set(ref.id, digest);
    }
  }
  return [...byId.values()];
}

/** An ATLAS `use` text as plain text: site links become "Name (ID)", whitespace collapsed. */
export function plainUse(use: string): string {
  return resolveLinks(use).replace(/\s+/g, ' ').trim();
}

export interface AssetRiskDigest {
  applies: number;
  notApplicable: number;
  unknown: number;
  /** The asset's highest residual risks (applicable techniques), best first. */
  top: Array<{ techniqueId: string; score: number; level: RiskLevel }>;
}

/** Per asset: how its (technique, asset) decisions came out and its highest residual risks. */
export function assetRiskDigest(assessment: Assessment, top = 3): Map<string, AssetRiskDigest> {
  const out = new Map<string, AssetRiskDigest>();
  const rank = new Map(assessment.risks.map((r) => [r.techniqueId, r.rank]));
  const all = new Map<string, Array<{ techniqueId: string; score: number; level: RiskLevel }>>();
  for (const e of assessment.ledger) {
    for (const d of e.assetDecisions) {
      let digest = out.get(d.asset);
      if (!digest) {
        digest = { applies: 0, notApplicable: 0, unknown: 0, top: [] };
        out.set(d.asset, digest);
      }
      if (d.decision === 'applies') digest.applies++;
      else if (d.decision === 'not-applicable') digest.notApplicable++;
      else digest.unknown++;
      if (d.decision === 'applies' && d.residual !== undefined) {
        const list = all.get(d.asset) ?? [];
        list.push({ techniqueId: e.techniqueId, score: d.residual.score, level: d.residual.level });
        all.set(d.asset, list);
      }
    }
  }
  for (const [asset, list] of all) {
    list.sort(
      (a, b) =>
        b.score - a.score ||
        (rank.get(a.techniqueId) ?? Infinity) - (rank.get(b.techniqueId) ?? Infinity) ||
        a.techniqueId.localeCompare(b.techniqueId),
    );
    const digest = out.get(asset);
    if (digest) digest.top = list.slice(0, top);
  }
  return out;
}
