import type { Element } from '../../findings/finding.js';
import type { Trait } from '../traits.js';

/** A condition over traits: every `all` present, at least one `any` present (if given), no `none` present. */
export interface Condition {
  all?: readonly Trait[];
  any?: readonly Trait[];
  none?: readonly Trait[];
}

/**
 * How an attacker reaches what the technique needs. Drives the exposure factor of the risk score:
 * - `inference` — sending inputs to the model (API, app, device);
 * - `content` — planting content the system later reads (RAG corpora, web pages, tickets, email);
 * - `supply-chain` — tampering with something the team pulls in (weights, data, packages, tools);
 * - `infrastructure` — reaching hosts and services of the environment and platform;
 * - `physical` — changing what sensors see or hear;
 * - `attacker-side` — preparation done on the attacker's own systems;
 * - `people` — deceiving staff or users.
 */
export type AccessKind =
  'inference' | 'content' | 'supply-chain' | 'infrastructure' | 'physical' | 'attacker-side' | 'people';

/** Which security property a technique hits when it succeeds; drives the impact dimension factor. */
export type ImpactDimension = 'confidentiality' | 'integrity' | 'availability' | 'foothold' | 'enabler';

export interface Adjustment {
  trait: Trait;
  /** Added to (positive) or removed from (negative) the normalized likelihood, −1..1. */
  likelihood?: number;
  /** Added to (positive) or removed from (negative) the normalized impact, −1..1. */
  impact?: number;
  note: string;
}

/**
 * One applicability rule: declarative data, no code. It decides the techniques it names:
 * `applies` when its condition holds; otherwise the first `notApplicable` entry whose condition holds;
 * otherwise `otherwise` (unknown, with the `question` that would decide it, or not-applicable).
 */
export interface ApplicabilityRule {
  id: string;
  techniques: readonly string[];
  element: Element;
  applies: Condition;
  /** Why it applies, in the system's terms. */
  because: string;
  notApplicable?: ReadonlyArray<{ when: Condition; reason: string }>;
  otherwise: { decision: 'unknown' | 'not-applicable'; reason: string };
  /** The question that would settle an `unknown` decision (or confirm an `applies`). */
  question: string;
  access: AccessKind;
  /** Impact dimension; defaults from the technique's tactic. */
  dimension?: ImpactDimension;
  /** Traits whose assets the technique targets; default: the traits of `applies`. */
  targets?: readonly Trait[];
  adjust?: readonly Adjustment[];
  /** The technique is an outcome of other techniques (harms): its likelihood is discounted by the policy. */
  outcome?: boolean;
}
