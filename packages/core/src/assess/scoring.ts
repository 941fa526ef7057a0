import type { Technique } from '../atlas/catalog-types.js';
import type { SystemModel } from '../model/system-model-schema.js';
import type { RiskFactor, RiskLevel, RiskScore } from './assessment-types.js';
import type { Policy } from './policy.js';
import type { AccessKind, Adjustment, ImpactDimension } from './rules/rule-types.js';
import type { Traits } from './traits.js';

/** System-wide inputs of the score, computed once per assessment. */
export interface ScoringContext {
  policy: Policy;
  exposure: Record<AccessKind, { value: number; input: string }>;
  sectorValue: number;
  sector: string;
  sensitivityValue: number;
  sensitivityInput: string;
  criticalityValue: number;
  criticality: string;
  traits: Traits;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const clamp = (n: number): number => Math.min(1, Math.max(0, n));

type NetworkExposure = keyof typeof EXPOSURE_OF_NETWORK;
const EXPOSURE_OF_NETWORK = { internet: 0.9, partner: 0.55, internal: 0.35, 'air-gapped': 0.1 } as const;
const EXPOSURE_OF_ACCESS = {
  'public-api': 1,
  'on-device': 0.9,
  'partner-api': 0.65,
  'authenticated-api': 0.6,
  internal: 0.35,
  none: 0.1,
} as const;

export function scoringContext(model: SystemModel, traits: Traits, policy: Policy): ScoringContext {
  const has = (t: Parameters<Traits['has']>[0]): boolean => traits.has(t);
  // inference: the most open way to query any model
  let inference = { value: 0.1, input: 'no model access' };
  for (const m of model.model) {
    let value: number = EXPOSURE_OF_ACCESS[m.access];
    if (m.access === 'authenticated-api' && has('actors.public')) value = 0.75;
    if (value > inference.value) inference = { value, input: `${m.id}: ${m.access}` };
  }
  let content = { value: 0.25, input: 'the system reads no outside content' };
  if (has('model.rag-untrusted') || has('model.browsing'))
    content = { value: 0.95, input: 'reads web or public content' };
  else if (has('model.untrusted-content'))
    content = { value: 0.8, input: 'reads messages, tickets or documents written by others' };
  else if (has('model.rag')) content = { value: 0.5, input: 'reads internal documents' };
  let supply = { value: 0.3, input: 'built in-house' };
  if (has('model.open-family') || has('data.public-dataset') || has('platform.mcp-third-party')) {
    supply = { value: 0.9, input: 'takes weights, data or tools from public sources' };
  } else if (has('model.external-weights') || has('data.training-external') || has('model.third-party-api')) {
    supply = { value: 0.7, input: 'takes weights, data or services from vendors' };
  } else if (has('platform.open-source')) supply = { value: 0.6, input: 'uses open-source packages' };
  let infrastructure = { value: 0.5, input: 'no environment described' };
  const network = [...model.environment, ...model.platform];
  if (network.length > 0) {
    infrastructure = { value: 0, input: '' };
    for (const asset of network) {
      const value: number = EXPOSURE_OF_NETWORK[asset.exposure];
      if (value > infrastructure.value) infrastructure = { value, input: `${asset.id}: ${asset.exposure}` };
    }
  }
  const physical = has('model.physical-input')
    ? { value: 0.8, input: 'camera, microphone or sensor input' }
    : { value: 0.2, input: 'no physical input' };
  const publicFacing = has('system.internet-facing') || has('model.api-public') || has('system.public-users');
  const attackerSide = publicFacing
    ? { value: 0.9, input: 'the system is public-facing' }
    : { value: 0.6, input: 'the system is internal' };
  const people = {
    value: clamp((has('actors.employees') ? 0.6 : 0.3) + (has('actors.public') ? 0.2 : 0)),
    input:
      [has('actors.employees') ? 'employees' : '', has('actors.public') ? 'public users' : '']
        .filter(Boolean)
        .join(' and ') || 'no people described',
  };

  const classes = new Set<string>(model.system.dataClasses);
  for (const d of model.data) for (const s of d.sensitivity) classes.add(s);
  let sensitivityValue = 0.15;
  for (const c of classes) {
    const v = policy.sensitivity[c as keyof Policy['sensitivity']];
    if (v > sensitivityValue) sensitivityValue = v;
  }
  return {
    policy,
    exposure: {
      inference,
      content,
      'supply-chain': supply,
      infrastructure,
      physical,
      'attacker-side': attackerSide,
      people,
    },
    sectorValue: policy.sector[model.system.sector],
    sector: model.system.sector,
    sensitivityValue,
    sensitivityInput: classes.size > 0 ? [...classes].sort().join(', ') : 'none stated',
    criticalityValue: policy.criticality[model.system.criticality],
    criticality: model.system.criticality,
    traits,
  };
}

export function levelOf(score: number, policy: Policy): RiskLevel {
  const t = policy.thresholds;
  if (score >= t.critical) return 'critical';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}

/** 0..1 → 1..5 in equal fifths. */
export function bucket(raw: number): number {
  return Math.min(5, Math.max(1, Math.ceil(round(clamp(raw)) * 5)));
}

function factor(
  name: string,
  dimension: RiskFactor['dimension'],
  input: string,
  value: number,
  weight: number,
  explanation: string,
): RiskFactor {
  return {
    factor: name,
    dimension,
    input,
    value: round(clamp(value)),
    weight,
    points: round(clamp(value) * weight),
    explanation,
  };
}

export interface InherentInput {
  technique: Technique;
  access: AccessKind;
  dimension: ImpactDimension;
  adjustments: readonly Adjustment[];
  unknown: boolean;
  outcome: boolean;
}

/** The inherent score: likelihood and impact from their weighted factors plus rule adjustments. */
export function inherentScore(ctx: ScoringContext, input: InherentInput): RiskScore {
  const p = ctx.policy;
  const maturity = input.technique.maturity ?? 'unknown';
  const incidents = input.technique.caseStudies.incidents.length;
  const exercises = input.technique.caseStudies.exercises.length;
  const weighted = incidents * p.caseStudies.incidentWeight + exercises * p.caseStudies.exerciseWeight;
  const exposure = ctx.exposure[input.access];
  const attractiveness = (ctx.sectorValue + ctx.sensitivityValue) / 2;
  const likelihoodFactors: RiskFactor[] = [
    factor(
      'maturity',
      'likelihood',
      maturity,
      p.maturity[maturity],
      p.likelihood.maturity,
      `ATLAS maturity: ${maturity}`,
    ),
    factor(
      'case-studies',
      'likelihood',
      `${String(incidents)} incidents, ${String(exercises)} exercises`,
      weighted / p.caseStudies.saturation,
      p.likelihood.caseStudies,
      'real-world use in ATLAS case studies (incidents weigh more than exercises)',
    ),
    factor(
      'exposure',
      'likelihood',
      `${input.access}: ${exposure.input}`,
      exposure.value,
      p.likelihood.exposure,
      `how reachable the system is for this kind of access (${input.access})`,
    ),
    factor(
      'attractiveness',
      'likelihood',
      `${ctx.sector}, ${ctx.sensitivityInput}`,
      attractiveness,
      p.likelihood.attractiveness,
      'attacker interest from the sector and the data at stake',
    ),
  ];
  const impactFactors: RiskFactor[] = [
    factor(
      'sensitivity',
      'impact',
      ctx.sensitivityInput,
      ctx.sensitivityValue,
      p.impact.sensitivity,
      'most sensitive data the system handles',
    ),
    factor(
      'criticality',
      'impact',
      ctx.criticality,
      ctx.criticalityValue,
      p.impact.criticality,
      'business criticality of the system',
    ),
    factor(
      'sector',
      'impact',
      ctx.sector,
      ctx.sectorValue,
      p.impact.sector,
      'consequences weigh more in regulated and critical sectors',
    ),
  ];
  const stakes = weightedMean(impactFactors);
  const dimensionValue = dimensionMultiplier(input.dimension, ctx);
  impactFactors.push({
    factor: 'dimension',
    dimension: 'impact',
    input: input.dimension,
    value: round(dimensionValue),
    weight: 0,
    points: round(stakes * dimensionValue - stakes),
    explanation: `${dimensionExplanation(input.dimension)} (multiplies the stakes by ${dimensionValue.toFixed(2)})`,
  });
  let likelihoodRaw = weightedMean(likelihoodFactors);
  let impactRaw = stakes * dimensionValue;
  for (const adj of input.adjustments) {
    if (!ctx.traits.has(adj.trait)) continue;
    if (adj.likelihood !== undefined) {
      likelihoodRaw += adj.likelihood;
      likelihoodFactors.push({
        factor: `context:${adj.trait}`,
        dimension: 'likelihood',
        input: adj.trait,
        value: 1,
        weight: 0,
        points: round(adj.likelihood),
        explanation: adj.note,
      });
    }
    if (adj.impact !== undefined) {
      impactRaw += adj.impact;
      impactFactors.push({
        factor: `context:${adj.trait}`,
        dimension: 'impact',
        input: adj.trait,
        value: 1,
        weight: 0,
        points: round(adj.impact),
        explanation: adj.note,
      });
    }
  }
  if (input.outcome) {
    const before = clamp(likelihoodRaw);
    likelihoodRaw = before * p.outcomeDiscount;
    likelihoodFactors.push({
      factor: 'outcome',
      dimension: 'likelihood',
      input: 'harm caused through other techniques',
      value: p.outcomeDiscount,
      weight: 0,
      points: round(likelihoodRaw - before),
      explanation: 'a harm happens only through other techniques, so its likelihood is discounted',
    });
  }
  if (input.unknown) {
    likelihoodFactors.push({
      factor: 'undecided',
      dimension: 'likelihood',
      input: 'decision unknown',
      value: p.unknownDiscount,
      weight: 0,
      points: round(-(1 - p.unknownDiscount) * clamp(likelihoodRaw)),
      explanation:
        'applicability is not decided: likelihood discounted until the deciding question is answered',
    });
    likelihoodRaw = clamp(likelihoodRaw) * p.unknownDiscount;
  }
  return assemble(clamp(likelihoodRaw), clamp(impactRaw), [...likelihoodFactors, ...impactFactors], p);
}

export interface Reduction {
  /** Mitigation shares add up; verifications multiply on top. */
  kind: 'mitigation' | 'verification';
  factor: string;
  input: string;
  value: number;
  explanation: string;
}

/** The residual score: the inherent likelihood reduced by implemented mitigations and passed verifications. */
export function residualScore(
  inherent: RiskScore,
  reductions: readonly Reduction[],
  policy: Policy,
): RiskScore {
  let mitigated = 0;
  let verifiedKeep = 1;
  const factors: RiskFactor[] = [];
  for (const r of reductions) {
    if (r.kind === 'mitigation') mitigated += r.value;
    else verifiedKeep *= 1 - r.value;
    factors.push({
      factor: r.factor,
      dimension: 'reduction',
      input: r.input,
      value: round(r.value),
      weight: 1,
      points: round(-r.value),
      explanation: r.explanation,
    });
  }
  const keep = (1 - Math.min(1, mitigated)) * verifiedKeep;
  const total = Math.min(policy.reduction.max, 1 - keep);
  const likelihoodRaw = inherent.likelihoodRaw * (1 - total);
  if (reductions.length > 0 && total < 1 - keep) {
    factors.push({
      factor: 'reduction-cap',
      dimension: 'reduction',
      input: `max ${String(policy.reduction.max)}`,
      value: policy.reduction.max,
      weight: 0,
      points: 0,
      explanation: 'the policy caps the total reduction',
    });
  }
  return assemble(likelihoodRaw, inherent.impactRaw, [...inherent.factors, ...factors], policy);
}

function assemble(
  likelihoodRaw: number,
  impactRaw: number,
  factors: RiskFactor[],
  policy: Policy,
): RiskScore {
  const likelihood = bucket(likelihoodRaw);
  const impact = bucket(impactRaw);
  const score = likelihood * impact;
  return {
    likelihood,
    impact,
    score,
    level: levelOf(score, policy),
    likelihoodRaw: round(likelihoodRaw),
    impactRaw: round(impactRaw),
    factors,
  };
}

function weightedMean(factors: readonly RiskFactor[]): number {
  let sum = 0;
  let weights = 0;
  for (const f of factors) {
    sum += f.value * f.weight;
    weights += f.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

/** How much of the system's stakes a technique of this dimension puts at risk (0..1). */
function dimensionMultiplier(dimension: ImpactDimension, ctx: ScoringContext): number {
  const p = ctx.policy.dimension;
  switch (dimension) {
    case 'confidentiality':
      return p.confidentiality + (1 - p.confidentiality) * ctx.sensitivityValue;
    case 'integrity':
      return p.integrity + (1 - p.integrity) * ctx.criticalityValue;
    case 'availability':
      return p.availability * (0.5 + 0.5 * ctx.criticalityValue);
    case 'foothold':
      return p.foothold;
    case 'enabler':
      return p.enabler;
  }
}

function dimensionExplanation(dimension: ImpactDimension): string {
  switch (dimension) {
    case 'confidentiality':
      return 'the technique discloses data or models: weighed by data sensitivity';
    case 'integrity':
      return 'the technique corrupts decisions or content: weighed by business criticality';
    case 'availability':
      return 'the technique stops or slows the service: weighed by business criticality';
    case 'foothold':
      return 'the technique gives the attacker a position for further steps';
    case 'enabler':
      return 'the technique prepares later steps and does no harm by itself';
  }
}

/**
 * The scoring context seen from one asset: its own traits (for rule adjustments) and, for a model, how it is
 * queried; for an environment or platform asset, its own network exposure. Everything else stays system-wide.
 */
export function assetScoringContext(
  ctx: ScoringContext,
  asset: { model?: SystemModel['model'][number]; network?: { id: string; exposure: NetworkExposure } },
  traits: Traits,
): ScoringContext {
  const exposure = { ...ctx.exposure };
  const m = asset.model;
  if (m !== undefined) {
    let value: number = EXPOSURE_OF_ACCESS[m.access];
    if (m.access === 'authenticated-api' && traits.has('actors.public')) value = 0.75;
    exposure.inference = { value, input: `${m.id}: ${m.access}` };
  }
  const n = asset.network;
  if (n !== undefined) {
    exposure.infrastructure = { value: EXPOSURE_OF_NETWORK[n.exposure], input: `${n.id}: ${n.exposure}` };
  }
  return { ...ctx, exposure, traits };
}
