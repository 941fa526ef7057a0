import { z } from 'zod';
import { elementSchema, mitigationIdSchema, techniqueIdSchema } from '../findings/finding.js';

/**
 * The result of `atlasguard assess`: the contract between the engine and every report writer
 * (JSON, text, Markdown, HTML, Navigator, CSV, SARIF). Versioned by `schemaVersion`; changes are additive.
 */
export const ASSESSMENT_SCHEMA_VERSION = 1;

/** Risk levels of the 5×5 matrix, most severe first (a subset of the finding severities). */
export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

export const DECISIONS = ['applies', 'not-applicable', 'unknown'] as const;
export const decisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof decisionSchema>;

/**
 * Status of an ATLAS mitigation for a technique, as stated by the model (or derived from answers).
 * `contradicted`: the model claims it implemented (or partial) but a verification question about it was answered
 * `no` — it earns no risk reduction until the answer changes.
 */
export const MITIGATION_STATUSES = [
  'implemented',
  'partial',
  'planned',
  'not-implemented',
  'not-applicable',
  'contradicted',
] as const;
export const mitigationStatusSchema = z.enum(MITIGATION_STATUSES);
export type MitigationStatus = z.infer<typeof mitigationStatusSchema>;

/** Answer to a verification question; `unanswered` when the model has no answer for it. */
export const ANSWERS = ['yes', 'no', 'partial', 'unknown', 'unanswered'] as const;
export const answerValueSchema = z.enum(ANSWERS);
export type AnswerValue = z.infer<typeof answerValueSchema>;

export const RISK_TREATMENTS = ['accept', 'transfer', 'avoid'] as const;
export const riskTreatmentSchema = z.enum(RISK_TREATMENTS);
export type RiskTreatment = z.infer<typeof riskTreatmentSchema>;

/** Open = nothing stops it; the other states say why a risk does not count against the gate. */
export const RISK_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'avoided'] as const;
export const riskStatusSchema = z.enum(RISK_STATUSES);
export type RiskStatus = z.infer<typeof riskStatusSchema>;

/** An asset of the system model (any element) or an actor, as named in ledger entries and risks. */
export const assetRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  element: elementSchema,
  /** The asset's kind in the model (e.g. `cluster`, `mlflow`, `llm`, `training`). */
  kind: z.string(),
  /** Where the asset is declared in the model file (1-based), when the model was read from a file. */
  location: z.object({ line: z.number().int().min(1), column: z.number().int().min(1) }).optional(),
});
export type AssetRef = z.infer<typeof assetRefSchema>;

/**
 * One model fact a rule looked at: `path` is a dotted path into the model (e.g. `model[fraud-scorer].access`),
 * `value` its rendered value, `effect` whether it pushed toward applying or away from it.
 */
export const traceFactSchema = z.object({
  ruleId: z.string(),
  path: z.string(),
  value: z.string(),
  effect: z.enum(['applies', 'not-applicable', 'unknown', 'likelihood', 'impact']),
  note: z.string(),
});
export type TraceFact = z.infer<typeof traceFactSchema>;

/** One term of a risk score. `points` is what it added to (or, for reductions, removed from) the score. */
export const riskFactorSchema = z.object({
  /** Stable factor key, e.g. `maturity`, `case-studies`, `exposure`, `attractiveness`, `sensitivity`. */
  factor: z.string(),
  dimension: z.enum(['likelihood', 'impact', 'reduction']),
  /** The raw input, rendered (e.g. `realized`, `3 incidents, 5 exercises`, `internet`). */
  input: z.string(),
  /** Normalized value 0..1 of the input. */
  value: z.number().min(0).max(1),
  /** Weight from the policy. */
  weight: z.number().min(0),
  /** value × weight. */
  points: z.number(),
  explanation: z.string(),
});
export type RiskFactor = z.infer<typeof riskFactorSchema>;

/** A score on the 5×5 matrix: likelihood and impact 1..5, `score` = likelihood × impact (1..25). */
export const riskScoreSchema = z.object({
  likelihood: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  score: z.number().int().min(1).max(25),
  level: riskLevelSchema,
  /** Continuous likelihood and impact (0..1) before bucketing, for sorting and what-if analysis. */
  likelihoodRaw: z.number().min(0).max(1),
  impactRaw: z.number().min(0).max(1),
  factors: z.array(riskFactorSchema),
});
export type RiskScore = z.infer<typeof riskScoreSchema>;

export const mitigationEntrySchema = z.object({
  id: mitigationIdSchema,
  name: z.string(),
  /** The technique-specific `use` text from ATLAS. */
  use: z.string(),
  status: mitigationStatusSchema,
  /** Where the status came from: the model's `mitigations`, verification answers, or nothing (`none`). */
  source: z.enum(['model', 'answers', 'none']),
  /** Assets the model's mitigation entry is scoped to (empty = whole system). */
  scope: z.array(z.string()),
  evidence: z.array(z.string()),
  reason: z.string().optional(),
  /** The status the model claimed, when verification answers changed it (`contradicted` or downgraded). */
  claimed: mitigationStatusSchema.optional(),
  /** Verification questions whose `no` / `partial` answer changed the claimed status. */
  verifiedBy: z.array(z.string()).optional(),
});
export type MitigationEntry = z.infer<typeof mitigationEntrySchema>;

/**
 * A reference to a verification question of the bank (`content/questions`), by ID,
 * with the model's answer to it.
 */
export const questionRefSchema = z.object({
  id: z.string(),
  answer: answerValueSchema,
  /** Why the question is attached: it names the technique, or one of its mitigations. */
  via: z.enum(['technique', 'mitigation']),
  evidence: z.string().optional(),
  date: z.string().optional(),
});
export type QuestionRef = z.infer<typeof questionRefSchema>;

export const caseStudyRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['incident', 'exercise', 'unknown']),
  year: z.number().int().optional(),
  /** 0..1: how much the case study's target looks like the assessed system. */
  similarity: z.number().min(0).max(1),
  /** The traits shared with the system (e.g. `llm`, `rag`, `public-api`, `finance`). */
  matched: z.array(z.string()),
});
export type CaseStudyRef = z.infer<typeof caseStudyRefSchema>;

export const compensatingControlRefSchema = z.object({
  id: z.string(),
  title: z.string(),
});
export type CompensatingControlRef = z.infer<typeof compensatingControlRefSchema>;

export const riskDecisionSchema = z.object({
  treatment: riskTreatmentSchema,
  approver: z.string(),
  reason: z.string(),
  /** ISO date (YYYY-MM-DD). */
  expires: z.string(),
  /** False once `expires` is past the assessment date: the risk counts again. */
  active: z.boolean(),
});
export type RiskDecision = z.infer<typeof riskDecisionSchema>;

/** A score without its factor breakdown (per-asset rows; the technique entry carries the full breakdown). */
export const scoreSummarySchema = z.object({
  likelihood: z.number().int().min(1).max(5),
  impact: z.number().int().min(1).max(5),
  score: z.number().int().min(1).max(25),
  level: riskLevelSchema,
});
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;

/** A mitigation of the technique as it stands for one asset (model entries scoped to other assets do not count). */
export const assetMitigationSchema = z.object({
  id: mitigationIdSchema,
  status: mitigationStatusSchema,
  source: z.enum(['model', 'answers', 'none']),
  /** Only when answers changed the claim or gave the status. */
  reason: z.string().optional(),
});
export type AssetMitigation = z.infer<typeof assetMitigationSchema>;

/**
 * The decision for one (technique, asset) pair: the rules evaluated on the facts as seen from that asset (a
 * language model elsewhere in the system does not make this classifier an LLM). Scores use the asset's own
 * exposure and the mitigations in scope of the asset.
 */
export const assetDecisionSchema = z.object({
  /** Asset ID (name and kind are in `system.assets`). */
  asset: z.string(),
  element: elementSchema,
  decision: decisionSchema,
  reason: z.string().min(1),
  decidingQuestion: z.string().optional(),
  rules: z.array(z.string()),
  trace: z.array(traceFactSchema),
  inherent: scoreSummarySchema.optional(),
  residual: scoreSummarySchema.optional(),
  mitigations: z.array(assetMitigationSchema),
});
export type AssetDecision = z.infer<typeof assetDecisionSchema>;

/** The decision for one technique of the loaded release. Every technique has exactly one entry. */
export const ledgerEntrySchema = z.object({
  techniqueId: techniqueIdSchema,
  name: z.string(),
  /** Tactic IDs (AML.TA…), inherited from the parent for sub-techniques. */
  tactics: z.array(z.string()),
  parent: z.string().optional(),
  maturity: z.enum(['realized', 'demonstrated', 'feasible', 'unknown']),
  decision: decisionSchema,
  /** One human sentence: why this decision. Never empty. */
  reason: z.string().min(1),
  /** For `unknown` (and sometimes `applies`): the question whose answer would decide it. */
  decidingQuestion: z.string().optional(),
  /** IDs of the applicability rules that fired (empty when no rule knows the technique). */
  rules: z.array(z.string()),
  trace: z.array(traceFactSchema),
  /** The assets the technique targets in this system (empty when not applicable). */
  assets: z.array(assetRefSchema),
  /** Elements of those assets; for not-applicable entries, the element the rule concerns. */
  elements: z.array(elementSchema),
  /** Present when the decision is `applies` or `unknown` (scored as if it applied). */
  inherent: riskScoreSchema.optional(),
  residual: riskScoreSchema.optional(),
  mitigations: z.array(mitigationEntrySchema),
  /** True when ATLAS publishes no mitigation for the technique (nor its parent). */
  gap: z.boolean(),
  compensatingControls: z.array(compensatingControlRefSchema),
  questions: z.array(questionRefSchema),
  caseStudies: z.array(caseStudyRefSchema),
  /** The model's risk decision (accept / transfer / avoid) for this technique, if any. */
  treatment: riskDecisionSchema.optional(),
  /**
   * One decision per asset the technique's rules look at (applies / not-applicable / unknown, each with its
   * reason, trace, scores and mitigations in scope). Empty when the rules look at no particular asset.
   */
  assetDecisions: z.array(assetDecisionSchema).default([]),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** One row of the risk register: an applicable (or unknown) technique, ranked by residual risk. */
export const riskSchema = z.object({
  /** Stable risk ID = technique ID (used by baselines and risk decisions). */
  id: z.string(),
  rank: z.number().int().min(1),
  techniqueId: techniqueIdSchema,
  name: z.string(),
  tactics: z.array(z.string()),
  decision: z.enum(['applies', 'unknown']),
  elements: z.array(elementSchema),
  assets: z.array(z.string()),
  inherent: z.object({ score: z.number(), level: riskLevelSchema }),
  residual: z.object({ score: z.number(), level: riskLevelSchema }),
  status: riskStatusSchema,
  /** Mitigation IDs with status implemented (or partial) that reduced the risk. */
  mitigationsInPlace: z.array(mitigationIdSchema),
  /** Mitigation IDs still to do, best first. */
  mitigationsMissing: z.array(mitigationIdSchema),
  realWorld: z.object({ incidents: z.number().int(), exercises: z.number().int() }),
  /** The assets the technique applies to, highest residual risk first (from the ledger's `assetDecisions`). */
  assetRisks: z
    .array(
      z.object({
        asset: z.string(),
        inherent: z.object({ score: z.number(), level: riskLevelSchema }),
        residual: z.object({ score: z.number(), level: riskLevelSchema }),
      }),
    )
    .default([]),
});
export type Risk = z.infer<typeof riskSchema>;

export const scenarioStepSchema = z.object({
  tacticId: z.string(),
  tacticName: z.string(),
  techniqueId: techniqueIdSchema,
  techniqueName: z.string(),
  assets: z.array(z.string()),
  residualLevel: riskLevelSchema.optional(),
  /** What the attacker does here, in the system's terms. */
  narrative: z.string(),
});
export type ScenarioStep = z.infer<typeof scenarioStepSchema>;

export const scenarioBreakerSchema = z.object({
  mitigationId: mitigationIdSchema,
  name: z.string(),
  status: mitigationStatusSchema,
  /** Steps (technique IDs) this control would stop. */
  breaks: z.array(techniqueIdSchema),
});
export type ScenarioBreaker = z.infer<typeof scenarioBreakerSchema>;

export const scenarioSchema = z.object({
  id: z.string(),
  title: z.string(),
  narrative: z.string(),
  seed: z.object({ caseStudyId: z.string(), name: z.string(), similarity: z.number().min(0).max(1) }),
  steps: z.array(scenarioStepSchema),
  breakers: z.array(scenarioBreakerSchema),
  /** Highest residual level along the chain. */
  level: riskLevelSchema,
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** A question of the bank with the model's answer and where it is used. */
export const questionUseSchema = z.object({
  id: z.string(),
  answer: answerValueSchema,
  evidence: z.string().optional(),
  date: z.string().optional(),
  /** Applicable (or unknown) techniques this question verifies in this assessment. */
  techniques: z.array(techniqueIdSchema),
  mitigations: z.array(mitigationIdSchema),
});
export type QuestionUse = z.infer<typeof questionUseSchema>;

const levelCountsSchema = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
});
export type LevelCounts = z.infer<typeof levelCountsSchema>;

export const elementSummarySchema = z.object({
  element: elementSchema,
  assets: z.number().int(),
  applies: z.number().int(),
  unknown: z.number().int(),
  residual: levelCountsSchema,
});
export type ElementSummary = z.infer<typeof elementSummarySchema>;

export const coverageSchema = z.object({
  techniques: z.number().int(),
  applies: z.number().int(),
  notApplicable: z.number().int(),
  unknown: z.number().int(),
  /** Techniques no rule knows (e.g. from a newer ATLAS release): reported as unknown. */
  unknownToRules: z.array(z.string()),
  /** Share of techniques decided applies / not-applicable (0..1). */
  decided: z.number().min(0).max(1),
  /** Applicable techniques with at least one implemented mitigation (0..1). */
  mitigated: z.number().min(0).max(1),
  /** Applicable techniques without any ATLAS mitigation. */
  gaps: z.number().int(),
  questions: z.object({
    attached: z.number().int(),
    answered: z.number().int(),
    passed: z.number().int(),
  }),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const systemSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  sector: z.string(),
  criticality: z.string(),
  riskAppetite: z.string(),
  regulations: z.array(z.string()),
  dataClasses: z.array(z.string()),
  owners: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  assets: z.array(assetRefSchema),
  actors: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  flows: z.number().int(),
  /** Derived traits used for case-study similarity and scoring (e.g. `llm`, `rag`, `public-api`). */
  traits: z.array(z.string()),
});
export type SystemSummary = z.infer<typeof systemSummarySchema>;

export const baselineDiffSchema = z.object({
  baseline: z.string(),
  new: z.array(z.object({ id: z.string(), level: riskLevelSchema, score: z.number() })),
  resolved: z.array(z.object({ id: z.string(), level: riskLevelSchema, score: z.number() })),
  changed: z.array(
    z.object({
      id: z.string(),
      from: z.object({ level: riskLevelSchema, score: z.number(), status: riskStatusSchema }),
      to: z.object({ level: riskLevelSchema, score: z.number(), status: riskStatusSchema }),
    }),
  ),
});
export type BaselineDiff = z.infer<typeof baselineDiffSchema>;

export const gateResultSchema = z.object({
  failOn: z.string(),
  failed: z.boolean(),
  /** Risk IDs at or above the threshold that count (open, or with an expired decision). */
  blocking: z.array(z.string()),
  /** Risk IDs at or above the threshold excluded by an unexpired acceptance / transfer / avoidance. */
  excused: z.array(z.string()),
});
export type GateResult = z.infer<typeof gateResultSchema>;

export const assessmentSchema = z.object({
  schemaVersion: z.literal(ASSESSMENT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('atlasguard'), version: z.string() }),
  atlas: z.object({ version: z.string(), techniques: z.number().int() }),
  /** Date the assessment was made for (YYYY-MM-DD): acceptance expiry is checked against it. */
  assessedOn: z.string(),
  /** The model file, as given on the command line. */
  source: z.string(),
  policy: z.object({ name: z.string(), thresholds: z.array(z.number()) }),
  system: systemSummarySchema,
  coverage: coverageSchema,
  elements: z.array(elementSummarySchema),
  /** One entry per technique of the loaded release, in catalog order. */
  ledger: z.array(ledgerEntrySchema),
  /** Applicable and unknown techniques, ranked by residual risk (highest first). */
  risks: z.array(riskSchema),
  scenarios: z.array(scenarioSchema),
  questions: z.array(questionUseSchema),
  warnings: z.array(z.string()),
  baseline: baselineDiffSchema.optional(),
  gate: gateResultSchema.optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;
