import { z } from 'zod';
import { parseYamlData, validateYamlData, type ModelIssue } from '../model/parse-model.js';

const weight = z.number().min(0).max(10);
const unit = z.number().min(0).max(1);

/**
 * The scoring policy: every weight and table the risk score uses. A team tunes it in a YAML or JSON file
 * (`assess --policy FILE`); anything left out keeps its default.
 */
export const policySchema = z.strictObject({
  name: z.string().max(120).default('default'),
  likelihood: z
    .strictObject({
      maturity: weight.default(3),
      caseStudies: weight.default(2),
      exposure: weight.default(3),
      attractiveness: weight.default(2),
    })
    .prefault({}),
  impact: z
    .strictObject({
      sensitivity: weight.default(3),
      criticality: weight.default(3),
      sector: weight.default(1),
      dimension: weight.default(3),
    })
    .prefault({}),
  maturity: z
    .strictObject({
      realized: unit.default(0.9),
      demonstrated: unit.default(0.6),
      feasible: unit.default(0.3),
      unknown: unit.default(0.45),
    })
    .prefault({}),
  caseStudies: z
    .strictObject({
      incidentWeight: weight.default(2),
      exerciseWeight: weight.default(1),
      /** Weighted count at which the factor reaches 1. */
      saturation: z.number().min(1).max(100).default(16),
    })
    .prefault({}),
  sector: z
    .strictObject({
      finance: unit.default(1),
      healthcare: unit.default(0.9),
      government: unit.default(0.9),
      'critical-infrastructure': unit.default(1),
      retail: unit.default(0.7),
      technology: unit.default(0.7),
      other: unit.default(0.5),
    })
    .prefault({}),
  sensitivity: z
    .strictObject({
      pci: unit.default(1),
      credentials: unit.default(1),
      phi: unit.default(0.95),
      pii: unit.default(0.8),
      'trade-secrets': unit.default(0.8),
      public: unit.default(0.15),
    })
    .prefault({}),
  criticality: z
    .strictObject({
      critical: unit.default(1),
      high: unit.default(0.75),
      medium: unit.default(0.5),
      low: unit.default(0.25),
    })
    .prefault({}),
  dimension: z
    .strictObject({
      /** Floor of the confidentiality multiplier; the rest scales with data sensitivity. */
      confidentiality: unit.default(0.55),
      /** Floor of the integrity multiplier; the rest scales with business criticality. */
      integrity: unit.default(0.55),
      availability: unit.default(0.8),
      foothold: unit.default(0.6),
      enabler: unit.default(0.3),
    })
    .prefault({}),
  reduction: z
    .strictObject({
      /** Credit of an implemented mitigation toward the technique's mitigation coverage. */
      implemented: unit.default(1),
      /** Credit of a partial mitigation. */
      partial: unit.default(0.5),
      /**
       * Likelihood reduction when every applicable ATLAS mitigation of the technique is implemented; each
       * mitigation removes its share (max × credit ÷ number of applicable mitigations).
       */
      mitigations: unit.default(0.7),
      /** Further reduction per verification question of the technique answered yes / partial. */
      questionYes: unit.default(0.1),
      questionPartial: unit.default(0.05),
      /** Upper bound of the total likelihood reduction. */
      max: unit.default(0.8),
    })
    .prefault({}),
  /** Multiplier on the likelihood of outcome techniques (External Harms), which happen only through others. */
  outcomeDiscount: unit.default(0.75),
  /** Multiplier on the likelihood of techniques decided `unknown`. */
  unknownDiscount: unit.default(0.6),
  /** Score (likelihood × impact, 1..25) at which each level starts. */
  thresholds: z
    .strictObject({
      critical: z.number().int().min(1).max(25).default(20),
      high: z.number().int().min(1).max(25).default(12),
      medium: z.number().int().min(1).max(25).default(6),
    })
    .prefault({})
    .refine((t) => t.critical > t.high && t.high > t.medium, {
      message: 'thresholds must satisfy critical > high > medium',
    }),
});
export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Parses a policy file (YAML or JSON) with positioned errors. */
export function parsePolicyText(
  source: string,
  file: string,
): { ok: true; value: Policy } | { ok: false; issues: ModelIssue[] } {
  const yaml = parseYamlData(source, file);
  if (!yaml.ok) return yaml;
  return validateYamlData(policySchema, yaml.data ?? {}, yaml.positions);
}
