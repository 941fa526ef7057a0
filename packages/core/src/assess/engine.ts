import type { Catalog } from '../atlas/catalog.js';
import type { Technique } from '../atlas/catalog-types.js';
import { compensatingControlsFor, hasNoAtlasMitigation } from '../content/compensating-controls/index.js';
import type { Question } from '../content/questions/index.js';
import { QUESTIONS } from '../content/questions/index.js';
import { ELEMENTS, type Element } from '../findings/finding.js';
import type { SystemModel } from '../model/system-model-schema.js';
import {
  ASSESSMENT_SCHEMA_VERSION,
  type AnswerValue,
  type AssetDecision,
  type Assessment,
  type ElementSummary,
  type LedgerEntry,
  type LevelCounts,
  type MitigationEntry,
  type MitigationStatus,
  type QuestionRef,
  type QuestionUse,
  type Risk,
  type RiskDecision,
  type RiskStatus,
} from './assessment-types.js';
import { decideTechnique, decideTechniqueForAssets, type AssetTechniqueDecision } from './decide.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { APPLICABILITY_RULES } from './rules/applicability-rules.js';
import type { ApplicabilityRule } from './rules/rule-types.js';
import { buildScenarios } from './scenarios.js';
import {
  assetScoringContext,
  inherentScore,
  residualScore,
  scoringContext,
  type Reduction,
  type ScoringContext,
} from './scoring.js';
import { caseStudyRef, rankCaseStudies, systemProfile } from './similarity.js';
import { assetRefs, assetViews, deriveTraits, type Traits } from './traits.js';
import type { AssetRef, RiskScore, ScoreSummary } from './assessment-types.js';

/** What a question needs for the engine: its ID and the ATLAS IDs it verifies. */
export type BankQuestion = Pick<Question, 'id' | 'techniques' | 'mitigations'>;

export interface AssessOptions {
  /** The model file as named on the command line (recorded in the result). */
  source: string;
  /** The date the assessment is made for, YYYY-MM-DD (acceptance expiry is checked against it). */
  assessedOn: string;
  toolVersion: string;
  policy?: Policy;
  rules?: readonly ApplicabilityRule[];
  questions?: readonly BankQuestion[];
  /** Warnings from model checks, carried into the result. */
  warnings?: readonly string[];
  /** Where each asset is declared in the model file (by asset ID), for reports that point into the file. */
  assetLocations?: ReadonlyMap<string, { line: number; column: number }>;
}

const STATUS_ORDER: Record<MitigationStatus, number> = {
  implemented: 4,
  partial: 3,
  planned: 2,
  'not-applicable': 1,
  'not-implemented': 0,
  contradicted: 0,
};

/** Assesses a system model against the loaded ATLAS release. Pure and deterministic. */
export function assess(model: SystemModel, catalog: Catalog, options: AssessOptions): Assessment {
  const policy = options.policy ?? DEFAULT_POLICY;
  const rules = options.rules ?? APPLICABILITY_RULES;
  const bank = options.questions ?? QUESTIONS;
  const traits = deriveTraits(model);
  const ctx = scoringContext(model, traits, policy);
  const refs = assetRefs(model);
  for (const [id, loc] of options.assetLocations ?? []) {
    const ref = refs.get(id);
    if (ref) refs.set(id, { ...ref, location: { line: loc.line, column: loc.column } });
  }
  const views = new Map<string, Traits>();
  const makeView = assetViews(traits);
  const viewOf = (asset: AssetRef): Traits => {
    let view = views.get(asset.id);
    if (!view) {
      view = makeView(asset);
      views.set(asset.id, view);
    }
    return view;
  };
  const modelById = new Map(model.model.map((m) => [m.id, m]));
  const networkById = new Map([...model.environment, ...model.platform].map((n) => [n.id, n]));
  const assetCtx = new Map<string, ScoringContext>();
  const ctxOf = (asset: AssetRef): ScoringContext => {
    let c = assetCtx.get(asset.id);
    if (!c) {
      const m = modelById.get(asset.id);
      const n = networkById.get(asset.id);
      c = assetScoringContext(
        ctx,
        { ...(m === undefined ? {} : { model: m }), ...(n === undefined ? {} : { network: n }) },
        viewOf(asset),
      );
      assetCtx.set(asset.id, c);
    }
    return c;
  };

  const rulesByTechnique = new Map<string, ApplicabilityRule[]>();
  for (const rule of rules) {
    for (const id of rule.techniques) rulesByTechnique.set(id, [...(rulesByTechnique.get(id) ?? []), rule]);
  }
  const questionsByTechnique = new Map<string, BankQuestion[]>();
  const questionsByMitigation = new Map<string, BankQuestion[]>();
  for (const q of bank) {
    for (const t of q.techniques) questionsByTechnique.set(t, [...(questionsByTechnique.get(t) ?? []), q]);
    for (const m of q.mitigations) questionsByMitigation.set(m, [...(questionsByMitigation.get(m) ?? []), q]);
  }
  const answers = new Map(model.answers.map((a) => [a.question, a]));
  const answerOf = (id: string): AnswerValue => answers.get(id)?.answer ?? 'unanswered';

  // Pass 1: decisions.
  const decisions = catalog.techniques.map((technique) => {
    const shortnames = technique.tactics.map((t) => catalog.tactic(t)?.shortname ?? t);
    const techniqueRules = rulesByTechnique.get(technique.id) ?? [];
    const decided = decideTechnique(technique, techniqueRules, traits, shortnames);
    const perAsset = decideTechniqueForAssets(technique, techniqueRules, traits, shortnames, viewOf);
    return { technique, decided: reconcile(decided, perAsset), perAsset };
  });
  const applies = new Set(
    decisions.filter((d) => d.decided.decision === 'applies').map((d) => d.technique.id),
  );
  const profile = systemProfile(model, traits);
  const ranked = rankCaseStudies(catalog, profile, applies);
  const rankedById = new Map(ranked.map((r) => [r.study.id, r]));

  // Mitigation reach: how many applicable techniques each mitigation covers (to order what to do first).
  const reach = new Map<string, number>();
  for (const id of applies)
    for (const link of mitigationLinks(catalog, id)) reach.set(link.id, (reach.get(link.id) ?? 0) + 1);

  // Pass 2: ledger entries.
  const ledger: LedgerEntry[] = decisions.map(({ technique, decided, perAsset }) => {
    const scored = decided.decision !== 'not-applicable';
    const assetIds = new Set(decided.assets.map((a) => a.id));
    const mitigations: MitigationEntry[] = mitigationLinks(catalog, technique.id).map((link) =>
      mitigationStatus(model, link, assetIds, questionsByMitigation, answerOf),
    );
    const questions: QuestionRef[] = [];
    const seen = new Set<string>();
    const attach = (q: BankQuestion, via: QuestionRef['via']): void => {
      if (seen.has(q.id)) return;
      seen.add(q.id);
      const answer = answers.get(q.id);
      questions.push({
        id: q.id,
        answer: answer?.answer ?? 'unanswered',
        via,
        ...(answer?.evidence === undefined ? {} : { evidence: answer.evidence }),
        ...(answer?.date === undefined ? {} : { date: answer.date }),
      });
    };
    for (const q of questionsByTechnique.get(technique.id) ?? []) attach(q, 'technique');
    for (const m of mitigations)
      for (const q of questionsByMitigation.get(m.id) ?? []) attach(q, 'mitigation');

    const gap = hasNoAtlasMitigation(catalog, technique);
    const compensatingControls = gap
      ? compensatingControlsFor(technique.id).map((c) => ({ id: c.id, title: c.title }))
      : [];
    const caseStudies = catalog
      .caseStudiesOf(technique.id)
      .map((cs) => rankedById.get(cs.id))
      .filter((r) => r !== undefined)
      .sort(
        (a, b) =>
          b.similarity - a.similarity ||
          (a.study.type === 'incident' ? 0 : 1) - (b.study.type === 'incident' ? 0 : 1) ||
          a.study.id.localeCompare(b.study.id),
      )
      .map(caseStudyRef);
    const treatment = treatmentOf(model, technique.id, options.assessedOn);
    const links = mitigationLinks(catalog, technique.id);
    const scoreCache = new Map<string, { inherent: ScoreSummary; residual: ScoreSummary }>();
    const assetDecisions = perAsset.map((row) =>
      assetDecision(
        row,
        technique,
        refs.get(row.asset.id) ?? row.asset,
        ctxOf(row.asset),
        links.map((link) =>
          mitigationStatus(model, link, new Set([row.asset.id]), questionsByMitigation, answerOf),
        ),
        questions,
        policy,
        scoreCache,
      ),
    );

    const entry: LedgerEntry = {
      techniqueId: technique.id,
      name: technique.name,
      tactics: technique.tactics,
      ...(technique.parent === undefined ? {} : { parent: technique.parent }),
      maturity: technique.maturity ?? 'unknown',
      decision: decided.decision,
      reason: decided.reason,
      ...(decided.question === undefined ? {} : { decidingQuestion: decided.question }),
      rules: decided.rules,
      trace: decided.trace,
      assets: decided.assets,
      elements: decided.elements,
      mitigations,
      gap,
      compensatingControls,
      questions,
      caseStudies,
      ...(treatment === undefined ? {} : { treatment }),
      assetDecisions,
    };
    if (scored) {
      const inherent = inherentScore(ctx, {
        technique,
        access: decided.access,
        dimension: decided.dimension,
        adjustments: decided.adjustments,
        unknown: decided.decision === 'unknown',
        outcome: decided.outcome,
      });
      entry.inherent = inherent;
      entry.residual = residualScore(inherent, reductionsOf(mitigations, questions, policy), policy);
    }
    return entry;
  });

  // Risks, ranked by residual risk.
  const risks: Risk[] = ledger
    .filter((e) => e.residual !== undefined && e.inherent !== undefined)
    .map((e) => toRisk(e, catalog, reach))
    .sort(
      (a, b) =>
        b.residual.score - a.residual.score ||
        rawOf(ledger, b.id) - rawOf(ledger, a.id) ||
        b.inherent.score - a.inherent.score ||
        (a.decision === 'applies' ? 0 : 1) - (b.decision === 'applies' ? 0 : 1) ||
        a.id.localeCompare(b.id),
    )
    .map((r, i) => ({ ...r, rank: i + 1 }));

  const questionUses = questionSummary(ledger, bank, answers);
  const counts = { applies: 0, notApplicable: 0, unknown: 0 };
  for (const e of ledger) {
    if (e.decision === 'applies') counts.applies++;
    else if (e.decision === 'not-applicable') counts.notApplicable++;
    else counts.unknown++;
  }
  const applicable = ledger.filter((e) => e.decision === 'applies');
  const mitigatedCount = applicable.filter((e) =>
    e.mitigations.some((m) => m.status === 'implemented'),
  ).length;
  const known = new Set(rules.flatMap((r) => r.techniques));
  const assetList = [...refs.values()];

  return {
    schemaVersion: ASSESSMENT_SCHEMA_VERSION,
    tool: { name: 'atlasguard', version: options.toolVersion },
    atlas: { version: catalog.version, techniques: catalog.techniques.length },
    assessedOn: options.assessedOn,
    source: options.source,
    policy: {
      name: policy.name,
      thresholds: [policy.thresholds.medium, policy.thresholds.high, policy.thresholds.critical],
    },
    system: {
      id: model.system.id,
      name: model.system.name,
      ...(model.system.description === undefined ? {} : { description: model.system.description }),
      sector: model.system.sector,
      criticality: model.system.criticality,
      riskAppetite: model.system.riskAppetite,
      regulations: model.system.regulations,
      dataClasses: model.system.dataClasses,
      owners: model.system.owners.map((o) => ({
        name: o.name,
        ...(o.role === undefined ? {} : { role: o.role }),
      })),
      assets: assetList,
      actors: model.actors.map((a) => ({ id: a.id, name: a.name ?? a.id, kind: a.kind })),
      flows: model.flows.length,
      traits: profile,
    },
    coverage: {
      techniques: ledger.length,
      applies: counts.applies,
      notApplicable: counts.notApplicable,
      unknown: counts.unknown,
      unknownToRules: ledger.filter((e) => !known.has(e.techniqueId)).map((e) => e.techniqueId),
      decided: ledger.length === 0 ? 1 : round2((counts.applies + counts.notApplicable) / ledger.length),
      mitigated: applicable.length === 0 ? 1 : round2(mitigatedCount / applicable.length),
      gaps: applicable.filter((e) => e.gap).length,
      questions: {
        attached: questionUses.length,
        answered: questionUses.filter((q) => q.answer !== 'unanswered').length,
        passed: questionUses.filter((q) => q.answer === 'yes').length,
      },
    },
    elements: ELEMENTS.map((element) =>
      elementSummary(element, assetList.filter((a) => a.element === element).length, ledger, risks),
    ),
    ledger,
    risks,
    scenarios: buildScenarios(catalog, ledger, ranked),
    questions: questionUses,
    warnings: [...(options.warnings ?? [])],
  };
}

/**
 * Makes the technique decision agree with the per-asset ones. When the rules look at particular assets and
 * none of them meets the conditions on its own (e.g. the LLM is internal and the public API serves a
 * classifier), the technique does not apply to the system either. When one asset meets them although the
 * system as a whole does not (a rule excludes provider-hosted models and the system also has its own model),
 * it applies to that asset.
 */
function reconcile(
  decided: ReturnType<typeof decideTechnique>,
  perAsset: readonly AssetTechniqueDecision[],
): ReturnType<typeof decideTechnique> {
  if (perAsset.length === 0) return decided;
  const applying = perAsset.filter((r) => r.decision === 'applies');
  if (decided.decision !== 'applies') {
    if (applying.length === 0) return decided;
    const first = applying[0] as AssetTechniqueDecision;
    return {
      ...first,
      reason: [...new Set(applying.map((r) => r.reason))].join('; '),
      rules: [...new Set(applying.flatMap((r) => r.rules))],
      trace: applying.flatMap((r) => r.trace).slice(0, 12),
      assets: applying.map((r) => r.asset),
      elements: [...new Set(applying.map((r) => r.asset.element))],
    };
  }
  if (applying.length > 0) return decided;
  const unknown = perAsset.filter((r) => r.decision === 'unknown');
  const rows = unknown.length > 0 ? unknown : perAsset;
  const reasons = [...new Set(rows.map((r) => r.reason))];
  const assets = rows.map((r) => r.asset.id).join(', ');
  const first = rows[0] as AssetTechniqueDecision;
  return {
    ...decided,
    decision: unknown.length > 0 ? 'unknown' : 'not-applicable',
    reason: `no single asset meets the conditions on its own (${assets}): ${reasons.join('; ')}`,
    ...(first.question === undefined ? {} : { question: first.question }),
    rules: [...new Set(rows.flatMap((r) => r.rules))],
    trace: rows.flatMap((r) => r.trace).slice(0, 12),
    assets: [],
    adjustments: [],
  };
}

function reductionsOf(
  mitigations: readonly { id: string; name?: string; status: MitigationStatus; source: string }[],
  questions: readonly QuestionRef[],
  policy: Policy,
): Reduction[] {
  const reductions: Reduction[] = [];
  const counted = mitigations.filter((m) => m.status !== 'not-applicable').length;
  for (const m of mitigations) {
    if (m.status === 'implemented' || m.status === 'partial') {
      const credit = m.status === 'implemented' ? policy.reduction.implemented : policy.reduction.partial;
      reductions.push({
        kind: 'mitigation',
        factor: `mitigation:${m.id}`,
        input: `${m.status} (${m.source}), 1 of ${String(counted)} applicable mitigations`,
        value: (policy.reduction.mitigations * credit) / counted,
        explanation: `${m.name ?? m.id} is ${m.status}`,
      });
    }
  }
  for (const q of questions) {
    if (q.via !== 'technique') continue;
    if (q.answer === 'yes' || q.answer === 'partial') {
      reductions.push({
        kind: 'verification',
        factor: `verified:${q.id}`,
        input: q.answer,
        value: q.answer === 'yes' ? policy.reduction.questionYes : policy.reduction.questionPartial,
        explanation: `verification question ${q.id} answered ${q.answer}`,
      });
    }
  }
  return reductions;
}

function summary(score: RiskScore): ScoreSummary {
  return {
    likelihood: score.likelihood,
    impact: score.impact,
    score: score.score,
    level: score.level,
  };
}

function assetDecision(
  row: AssetTechniqueDecision,
  technique: Technique,
  asset: AssetRef,
  ctx: ScoringContext,
  mitigations: readonly MitigationEntry[],
  questions: readonly QuestionRef[],
  policy: Policy,
  cache: Map<string, { inherent: ScoreSummary; residual: ScoreSummary }>,
): AssetDecision {
  const out: AssetDecision = {
    asset: asset.id,
    element: asset.element,
    decision: row.decision,
    reason: row.reason,
    ...(row.question === undefined || row.decision !== 'unknown' ? {} : { decidingQuestion: row.question }),
    rules: row.rules,
    trace: row.trace,
    mitigations: mitigations.map((m) => ({
      id: m.id,
      status: m.status,
      source: m.source,
      ...(m.reason === undefined || (m.claimed === undefined && m.source !== 'answers')
        ? {}
        : { reason: m.reason }),
    })),
  };
  if (row.decision !== 'not-applicable') {
    // Rows of one technique differ only by these inputs: score each combination once (large models repeat them).
    const key = [
      row.decision,
      row.access,
      row.dimension,
      String(row.outcome),
      String(ctx.exposure[row.access].value),
      row.adjustments.map((a) => a.trait).join(','),
      mitigations.map((m) => m.status).join(','),
    ].join('|');
    let scores = cache.get(key);
    if (scores === undefined) {
      const inherent = inherentScore(ctx, {
        technique,
        access: row.access,
        dimension: row.dimension,
        adjustments: row.adjustments,
        unknown: row.decision === 'unknown',
        outcome: row.outcome,
      });
      scores = {
        inherent: summary(inherent),
        residual: summary(residualScore(inherent, reductionsOf(mitigations, questions, policy), policy)),
      };
      cache.set(key, scores);
    }
    out.inherent = scores.inherent;
    out.residual = scores.residual;
  }
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function rawOf(ledger: readonly LedgerEntry[], id: string): number {
  const e = ledger.find((x) => x.techniqueId === id);
  return e?.residual ? e.residual.likelihoodRaw * e.residual.impactRaw : 0;
}

/** ATLAS mitigations of a technique; a sub-technique without its own inherits its parent's. */
export function mitigationLinks(
  catalog: Catalog,
  techniqueId: string,
): Array<{ id: string; name: string; use: string }> {
  const technique = catalog.technique(techniqueId);
  if (!technique) return [];
  const own = catalog.mitigationsOf(technique.id);
  const links =
    own.length > 0 || technique.parent === undefined ? own : catalog.mitigationsOf(technique.parent);
  return links.map((l) => ({ id: l.mitigation.id, name: l.mitigation.name, use: l.use }));
}

function mitigationStatus(
  model: SystemModel,
  link: { id: string; name: string; use: string },
  assetIds: ReadonlySet<string>,
  questionsByMitigation: ReadonlyMap<string, readonly BankQuestion[]>,
  answerOf: (id: string) => AnswerValue,
): MitigationEntry {
  const statements = model.mitigations.filter(
    (m) =>
      m.id === link.id &&
      (m.scope.length === 0 || assetIds.size === 0 || m.scope.some((s) => assetIds.has(s))),
  );
  let best: (typeof statements)[number] | undefined;
  for (const s of statements) {
    const status: MitigationStatus = s.status;
    if (best === undefined || STATUS_ORDER[status] > STATUS_ORDER[best.status]) best = s;
  }
  const answered = (questionsByMitigation.get(link.id) ?? []).map((q) => ({ q, a: answerOf(q.id) }));
  if (best !== undefined) {
    const entry: MitigationEntry = {
      id: link.id,
      name: link.name,
      use: link.use,
      status: best.status,
      source: 'model',
      scope: best.scope,
      evidence: best.evidence,
      ...(best.reason === undefined ? {} : { reason: best.reason }),
    };
    return checkClaim(entry, answered);
  }
  const yes = answered.find((x) => x.a === 'yes');
  const partial = answered.find((x) => x.a === 'partial');
  if (yes !== undefined || partial !== undefined) {
    const by = yes ?? partial;
    return {
      id: link.id,
      name: link.name,
      use: link.use,
      status: yes !== undefined ? 'implemented' : 'partial',
      source: 'answers',
      scope: [],
      evidence: [],
      reason: `verification question ${by?.q.id ?? ''} answered ${by?.a ?? ''}`,
    };
  }
  return {
    id: link.id,
    name: link.name,
    use: link.use,
    status: 'not-implemented',
    source: 'none',
    scope: [],
    evidence: [],
  };
}

/**
 * A claim of the model (implemented / partial) checked against the verification answers about the mitigation:
 * a `no` contradicts it (no credit), a `partial` turns an `implemented` claim into `partial`.
 */
export function checkClaim(
  entry: MitigationEntry,
  answered: ReadonlyArray<{ q: BankQuestion; a: AnswerValue }>,
): MitigationEntry {
  if (entry.status !== 'implemented' && entry.status !== 'partial') return entry;
  const no = answered.filter((x) => x.a === 'no').map((x) => x.q.id);
  const partial = answered.filter((x) => x.a === 'partial').map((x) => x.q.id);
  const claim = entry.status;
  if (no.length > 0) {
    return {
      ...entry,
      status: 'contradicted',
      claimed: claim,
      verifiedBy: no,
      reason: `claimed ${claim}, but verification question${no.length > 1 ? 's' : ''} ${no.join(', ')} answered no${
        entry.reason === undefined ? '' : ` (model: ${entry.reason})`
      }`,
    };
  }
  if (claim === 'implemented' && partial.length > 0) {
    return {
      ...entry,
      status: 'partial',
      claimed: claim,
      verifiedBy: partial,
      reason: `claimed implemented, but verification question${partial.length > 1 ? 's' : ''} ${partial.join(
        ', ',
      )} answered partial${entry.reason === undefined ? '' : ` (model: ${entry.reason})`}`,
    };
  }
  return entry;
}

function treatmentOf(model: SystemModel, techniqueId: string, assessedOn: string): RiskDecision | undefined {
  const d = model.decisions.find((x) => x.technique === techniqueId);
  if (!d) return undefined;
  return {
    treatment: d.decision,
    approver: d.approver,
    reason: d.reason,
    expires: d.expires,
    active: d.expires >= assessedOn,
  };
}

function toRisk(
  e: LedgerEntry,
  catalog: Catalog,
  reach: ReadonlyMap<string, number>,
): Omit<Risk, 'rank'> & { rank: number } {
  const inherent = e.inherent as NonNullable<LedgerEntry['inherent']>;
  const residual = e.residual as NonNullable<LedgerEntry['residual']>;
  const inPlace = e.mitigations
    .filter((m) => m.status === 'implemented' || m.status === 'partial')
    .map((m) => m.id);
  const missing = e.mitigations
    .filter(
      (m) =>
        m.status === 'planned' ||
        m.status === 'not-implemented' ||
        m.status === 'partial' ||
        m.status === 'contradicted',
    )
    .sort((a, b) => (reach.get(b.id) ?? 0) - (reach.get(a.id) ?? 0) || a.id.localeCompare(b.id))
    .map((m) => m.id);
  let status: RiskStatus = 'open';
  if (e.treatment?.active === true) {
    status =
      e.treatment.treatment === 'accept'
        ? 'accepted'
        : e.treatment.treatment === 'transfer'
          ? 'transferred'
          : 'avoided';
  } else if (inPlace.length > 0 && missing.length === 0) status = 'mitigated';
  const technique = catalog.technique(e.techniqueId) as Technique;
  return {
    id: e.techniqueId,
    rank: 0,
    techniqueId: e.techniqueId,
    name: e.name,
    tactics: e.tactics,
    decision: e.decision === 'applies' ? 'applies' : 'unknown',
    elements: e.elements,
    assets: e.assets.map((a) => a.id),
    inherent: { score: inherent.score, level: inherent.level },
    residual: { score: residual.score, level: residual.level },
    status,
    mitigationsInPlace: inPlace,
    mitigationsMissing: missing,
    realWorld: {
      incidents: technique.caseStudies.incidents.length,
      exercises: technique.caseStudies.exercises.length,
    },
    assetRisks: e.assetDecisions
      .filter((d) => d.decision === 'applies' && d.residual !== undefined && d.inherent !== undefined)
      .map((d) => ({
        asset: d.asset,
        inherent: { score: d.inherent?.score ?? 0, level: d.inherent?.level ?? 'low' },
        residual: { score: d.residual?.score ?? 0, level: d.residual?.level ?? 'low' },
      }))
      .sort((a, b) => b.residual.score - a.residual.score || a.asset.localeCompare(b.asset)),
  };
}

function questionSummary(
  ledger: readonly LedgerEntry[],
  bank: readonly BankQuestion[],
  answers: ReadonlyMap<
    string,
    { answer: AnswerValue; evidence?: string | undefined; date?: string | undefined }
  >,
): QuestionUse[] {
  const uses = new Map<string, { techniques: Set<string>; mitigations: Set<string> }>();
  for (const e of ledger) {
    if (e.decision === 'not-applicable') continue;
    const mitigationIds = new Set(e.mitigations.map((m) => m.id));
    for (const q of e.questions) {
      let use = uses.get(q.id);
      if (!use) {
        use = { techniques: new Set(), mitigations: new Set() };
        uses.set(q.id, use);
      }
      use.techniques.add(e.techniqueId);
      const bankQuestion = bank.find((b) => b.id === q.id);
      for (const m of bankQuestion?.mitigations ?? []) if (mitigationIds.has(m)) use.mitigations.add(m);
    }
  }
  const order = new Map(bank.map((q, i) => [q.id, i]));
  return [...uses.entries()]
    .sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0))
    .map(([id, use]) => {
      const answer = answers.get(id);
      return {
        id,
        answer: answer?.answer ?? 'unanswered',
        ...(answer?.evidence === undefined ? {} : { evidence: answer.evidence }),
        ...(answer?.date === undefined ? {} : { date: answer.date }),
        techniques: [...use.techniques],
        mitigations: [...use.mitigations].sort(),
      };
    });
}

function elementSummary(
  element: Element,
  assets: number,
  ledger: readonly LedgerEntry[],
  risks: readonly Risk[],
): ElementSummary {
  const residual: LevelCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const r of risks) if (r.elements.includes(element)) residual[r.residual.level]++;
  return {
    element,
    assets,
    applies: ledger.filter((e) => e.decision === 'applies' && e.elements.includes(element)).length,
    unknown: ledger.filter((e) => e.decision === 'unknown' && e.elements.includes(element)).length,
    residual,
  };
}
