import { z } from 'zod';

export const MATURITIES = ['realized', 'demonstrated', 'feasible'] as const;
export type Maturity = (typeof MATURITIES)[number];

export interface AttackReference {
  id: string;
  url?: string;
}

export interface Tactic {
  id: string;
  name: string;
  description: string;
  /** Navigator shortname: lower-case hyphenated name, e.g. `ai-model-access`. */
  shortname: string;
  /** Position in the matrix, 0-based. */
  order: number;
  attackReference?: AttackReference;
  created?: string;
  modified?: string;
  /** Top-level techniques in this tactic, in catalog order. */
  techniques: string[];
}

export interface TechniqueMitigation {
  id: string;
  use: string;
}

export interface Technique {
  id: string;
  name: string;
  description: string;
  /** Tactics; sub-techniques inherit their parent's. */
  tactics: string[];
  parent?: string;
  subtechniques: string[];
  maturity?: Maturity;
  attackReference?: AttackReference;
  created?: string;
  modified?: string;
  /** ATLAS IDs linked from the description's Markdown. */
  links: string[];
  mitigations: TechniqueMitigation[];
  caseStudies: { incidents: string[]; exercises: string[]; other: string[] };
}

export interface MitigationTechnique {
  id: string;
  use: string;
}

export interface Mitigation {
  id: string;
  name: string;
  description: string;
  techniques: MitigationTechnique[];
  mlLifecycle: string[];
  category: string[];
  attackReference?: AttackReference;
  created?: string;
  modified?: string;
  links: string[];
}

export type CaseStudyType = 'incident' | 'exercise';

export interface ProcedureStep {
  tactic: string;
  technique: string;
  description: string;
}

export interface CaseStudyReference {
  title?: string;
  url?: string;
}

export interface CaseStudy {
  id: string;
  name: string;
  summary: string;
  type?: CaseStudyType;
  date?: string;
  dateGranularity?: string;
  target?: string;
  actor?: string;
  reporter?: string;
  procedure: ProcedureStep[];
  references: CaseStudyReference[];
  links: string[];
}

export const catalogWarningSchema = z.object({
  code: z.string(),
  id: z.string().optional(),
  message: z.string(),
});
export type CatalogWarning = z.infer<typeof catalogWarningSchema>;

/** The normalized, JSON-serializable catalog; `Catalog` adds lookups on top of it. */
export interface CatalogData {
  formatVersion: number;
  id: string;
  name: string;
  version: string;
  matrix: { id: string; name: string };
  tactics: Tactic[];
  techniques: Technique[];
  mitigations: Mitigation[];
  caseStudies: CaseStudy[];
  warnings: CatalogWarning[];
}

export type AtlasObject =
  | { kind: 'tactic'; value: Tactic }
  | { kind: 'technique'; value: Technique }
  | { kind: 'mitigation'; value: Mitigation }
  | { kind: 'case-study'; value: CaseStudy };
