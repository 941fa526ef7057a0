import type { Technique } from '../atlas/catalog-types.js';
import type { Element } from '../findings/finding.js';
import type { AssetRef, Decision, TraceFact } from './assessment-types.js';
import type {
  AccessKind,
  Adjustment,
  ApplicabilityRule,
  Condition,
  ImpactDimension,
} from './rules/rule-types.js';
import type { Trait, Traits } from './traits.js';

export interface TechniqueDecision {
  decision: Decision;
  reason: string;
  question?: string;
  rules: string[];
  trace: TraceFact[];
  assets: AssetRef[];
  elements: Element[];
  access: AccessKind;
  dimension: ImpactDimension;
  adjustments: Adjustment[];
  outcome: boolean;
}

export function holds(condition: Condition, traits: Traits): boolean {
  if (condition.all?.some((t) => !traits.has(t))) return false;
  if (condition.any !== undefined && condition.any.length > 0 && !condition.any.some((t) => traits.has(t)))
    return false;
  if (condition.none?.some((t) => traits.has(t))) return false;
  return true;
}

function presentTraits(condition: Condition, traits: Traits): Trait[] {
  return [...(condition.all ?? []), ...(condition.any ?? [])].filter((t) => traits.has(t));
}

function traceOf(
  ruleId: string,
  condition: Condition,
  traits: Traits,
  effect: TraceFact['effect'],
  onlyAsset?: string,
): TraceFact[] {
  const facts: TraceFact[] = [];
  for (const trait of presentTraits(condition, traits)) {
    const value = traits.get(trait);
    const evidence =
      onlyAsset === undefined
        ? value?.evidence
        : value?.evidence.filter((e) => e.asset === undefined || e.asset === onlyAsset);
    for (const e of evidence?.slice(0, 3) ?? []) {
      facts.push({ ruleId, path: e.path, value: e.value, effect, note: `${trait}: ${e.note}` });
    }
  }
  for (const trait of condition.none ?? []) {
    if (!traits.has(trait))
      facts.push({
        ruleId,
        path: '(whole model)',
        value: `no ${trait}`,
        effect,
        note: `no asset has the trait ${trait}`,
      });
  }
  return facts;
}

const ELEMENT_OF_TACTIC: Record<string, ImpactDimension> = {
  exfiltration: 'confidentiality',
  collection: 'confidentiality',
  'credential-access': 'confidentiality',
  impact: 'integrity',
  persistence: 'integrity',
  'ai-attack-staging': 'enabler',
  reconnaissance: 'enabler',
  'resource-development': 'enabler',
  discovery: 'enabler',
};

/** Decides one technique from the rules that name it. A technique no rule names is `unknown`, never dropped. */
export function decideTechnique(
  technique: Technique,
  rules: readonly ApplicabilityRule[],
  traits: Traits,
  tacticShortnames: readonly string[],
): TechniqueDecision {
  if (rules.length === 0) {
    const dimension =
      tacticShortnames.map((s) => ELEMENT_OF_TACTIC[s]).find((d) => d !== undefined) ?? 'foothold';
    return {
      decision: 'unknown',
      reason:
        'no AtlasGuard applicability rule covers this technique (it may be newer than the rules); review it by hand',
      question: `Could an attacker use "${technique.name}" (${technique.id}) against this system?`,
      rules: [],
      trace: [],
      assets: [],
      elements: [],
      access: 'infrastructure',
      dimension,
      adjustments: [],
      outcome: false,
    };
  }
  const applying = rules.filter((r) => holds(r.applies, traits));
  if (applying.length > 0) {
    const assets = new Map<string, AssetRef>();
    const trace: TraceFact[] = [];
    const adjustments: Adjustment[] = [];
    for (const rule of applying) {
      const targets = rule.targets?.filter((t) => traits.has(t)) ?? [];
      const fromTraits = targets.length > 0 ? targets : presentTraits(rule.applies, traits);
      for (const t of fromTraits) for (const a of traits.get(t)?.assets ?? []) assets.set(a.id, a);
      trace.push(...traceOf(rule.id, rule.applies, traits, 'applies'));
      for (const adj of rule.adjust ?? []) {
        if (!traits.has(adj.trait)) continue;
        adjustments.push(adj);
        const value = traits.get(adj.trait);
        const e = value?.evidence[0];
        trace.push({
          ruleId: rule.id,
          path: e?.path ?? '(whole model)',
          value: e?.value ?? adj.trait,
          effect: adj.likelihood !== undefined ? 'likelihood' : 'impact',
          note: adj.note,
        });
      }
    }
    const first = applying[0] as ApplicabilityRule;
    const assetList = [...assets.values()];
    const elements = unique(
      assetList.length > 0 ? assetList.map((a) => a.element) : applying.map((r) => r.element),
    );
    return {
      decision: 'applies',
      reason: unique(applying.map((r) => r.because)).join('; '),
      rules: applying.map((r) => r.id),
      trace,
      assets: assetList,
      elements,
      access: first.access,
      dimension: first.dimension ?? 'foothold',
      adjustments,
      outcome: first.outcome === true,
    };
  }
  const first = rules[0] as ApplicabilityRule;
  const notApplicable: Array<{ rule: ApplicabilityRule; reason: string; trace: TraceFact[] }> = [];
  const unknown: ApplicabilityRule[] = [];
  for (const rule of rules) {
    const hit = rule.notApplicable?.find((n) => holds(n.when, traits));
    if (hit) {
      notApplicable.push({
        rule,
        reason: hit.reason,
        trace: traceOf(rule.id, hit.when, traits, 'not-applicable'),
      });
    } else if (rule.otherwise.decision === 'not-applicable') {
      notApplicable.push({
        rule,
        reason: rule.otherwise.reason,
        trace: [
          ...traceOf(rule.id, { none: [...(rule.applies.any ?? [])] }, traits, 'not-applicable'),
          ...(rule.applies.all ?? [])
            .filter((t) => !traits.has(t))
            .map((t) => ({
              ruleId: rule.id,
              path: '(whole model)',
              value: `no ${t}`,
              effect: 'not-applicable' as const,
              note: `no asset has the trait ${t}`,
            })),
        ],
      });
    } else unknown.push(rule);
  }
  if (unknown.length > 0) {
    const rule = unknown[0] as ApplicabilityRule;
    return {
      decision: 'unknown',
      reason: rule.otherwise.reason,
      question: rule.question,
      rules: unknown.map((r) => r.id),
      trace: traceOf(rule.id, rule.applies, traits, 'unknown'),
      assets: [],
      elements: [rule.element],
      access: rule.access,
      dimension: rule.dimension ?? 'foothold',
      adjustments: [],
      outcome: false,
    };
  }
  return {
    decision: 'not-applicable',
    reason: unique(notApplicable.map((n) => n.reason)).join('; '),
    rules: notApplicable.map((n) => n.rule.id),
    trace: notApplicable.flatMap((n) => n.trace),
    assets: [],
    elements: unique(rules.map((r) => r.element)),
    access: first.access,
    dimension: first.dimension ?? 'foothold',
    adjustments: [],
    outcome: first.outcome === true,
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The decision for one (technique, asset) pair, made on the traits as seen from that asset. */
export interface AssetTechniqueDecision extends TechniqueDecision {
  asset: AssetRef;
}

/**
 * The assets a technique's rules look at: every asset that carries a trait named by the rules' conditions
 * or targets. Assets no rule looks at get no per-asset row (the technique-level decision covers them).
 */
export function candidateAssets(rules: readonly ApplicabilityRule[], traits: Traits): AssetRef[] {
  const found = new Map<string, AssetRef>();
  for (const rule of rules) {
    const named = [...(rule.applies.all ?? []), ...(rule.applies.any ?? []), ...(rule.targets ?? [])];
    for (const t of named) for (const a of traits.get(t)?.assets ?? []) found.set(a.id, a);
  }
  return [...found.values()];
}

/**
 * Decides a technique for each candidate asset: the rules run on the traits as seen from the asset
 * (`viewOf`). An asset for which the technique applies to the system but which the applying rules do not
 * target gets no row.
 */
export function decideTechniqueForAssets(
  technique: Technique,
  rules: readonly ApplicabilityRule[],
  traits: Traits,
  tacticShortnames: readonly string[],
  viewOf: (asset: AssetRef) => Traits,
): AssetTechniqueDecision[] {
  if (rules.length === 0) return [];
  const out: AssetTechniqueDecision[] = [];
  for (const asset of candidateAssets(rules, traits)) {
    const view = viewOf(asset);
    const applying = rules.filter((r) => holds(r.applies, view));
    if (applying.length === 0) {
      const decided = decideTechnique(technique, rules, view, tacticShortnames);
      out.push({ ...decided, asset, trace: decided.trace.slice(0, ROW_TRACE) });
      continue;
    }
    const targeting = applying.filter((rule) => {
      const targets = rule.targets?.filter((t) => view.has(t)) ?? [];
      const fromTraits = targets.length > 0 ? targets : presentTraits(rule.applies, view);
      return fromTraits.some((t) => view.get(t)?.assets.some((a) => a.id === asset.id) === true);
    });
    if (targeting.length === 0) continue;
    const first = targeting[0] as ApplicabilityRule;
    const adjustments = targeting.flatMap((r) => r.adjust ?? []).filter((adj) => view.has(adj.trait));
    out.push({
      decision: 'applies',
      reason: unique(targeting.map((r) => r.because)).join('; '),
      rules: targeting.map((r) => r.id),
      trace: targeting
        .flatMap((r) => traceOf(r.id, r.applies, view, 'applies', asset.id))
        .slice(0, ROW_TRACE),
      assets: [asset],
      elements: [asset.element],
      access: first.access,
      dimension: first.dimension ?? 'foothold',
      adjustments,
      outcome: first.outcome === true,
      asset,
    });
  }
  return out;
}

/** Trace facts kept per asset row (the technique entry keeps the full trace). */
const ROW_TRACE = 4;
