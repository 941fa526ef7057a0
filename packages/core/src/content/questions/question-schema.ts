import { z } from 'zod';
import { elementSchema, mitigationIdSchema, techniqueIdSchema } from '../../findings/finding.js';

/** Who answers a question. */
export const PERSONAS = ['security', 'ml-engineer', 'risk-manager', 'data-owner'] as const;
export const personaSchema = z.enum(PERSONAS);
export type Persona = z.infer<typeof personaSchema>;

/** How reports title each persona's checklist. */
export const PERSONA_LABELS: Readonly<Record<Persona, string>> = {
  security: 'Security team',
  'ml-engineer': 'ML / platform engineers',
  'risk-manager': 'Risk managers',
  'data-owner': 'Data owners',
};

/**
 * ATLAS `ml-lifecycle` stages, spelled as in the ATLAS data. A question that involves a mitigation is
 * checked at one of that mitigation's stages (a test holds the bank to it).
 */
export const LIFECYCLE_STAGES = [
  'Business and Data Understanding',
  'Data Preparation',
  'ML Model Engineering',
  'ML Model Evaluation',
  'Deployment',
  'Monitoring and Maintenance',
] as const;
export const lifecycleStageSchema = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof lifecycleStageSchema>;

/** AtlasGuard commands whose output is evidence for a question. */
export const EVIDENCE_COMMANDS = ['scan model', 'scan deps', 'scan data', 'monitor'] as const;
export const evidenceCommandSchema = z.enum(EVIDENCE_COMMANDS);
export type EvidenceCommand = z.infer<typeof evidenceCommandSchema>;

/** The three questions AtlasGuard was founded to answer. */
export const FOUNDING_TOPICS = ['poisoned-data', 'inference-anomalies', 'framework-updates'] as const;
export const foundingTopicSchema = z.enum(FOUNDING_TOPICS);
export type FoundingTopic = z.infer<typeof foundingTopicSchema>;

/** `Q-AML.M0014-1` (per mitigation) or `Q-AML.T0070-1` (per technique, where no mitigation exists). */
export const questionIdSchema = z
  .string()
  .regex(/^Q-AML\.(M\d{4}|T\d{4}(\.\d{3})?)-\d+$/, 'expected Q-<ATLAS ID>-<n>');

export const questionSchema = z.strictObject({
  id: questionIdSchema,
  /** The question, phrased about the assessed system so that yes / no can be checked. */
  text: z.string().min(60).max(700),
  element: elementSchema,
  persona: personaSchema,
  lifecycle: lifecycleStageSchema,
  /** What must be true for the answer to count as "yes". */
  passCriteria: z.string().min(40),
  /** The artifact that proves the answer. */
  evidence: z.string().min(30),
  /** The AtlasGuard command that produces that evidence, where one exists. */
  command: evidenceCommandSchema.optional(),
  techniques: z.array(techniqueIdSchema).min(1),
  mitigations: z.array(mitigationIdSchema),
  /** Compensating controls (content/compensating-controls) this question verifies. */
  controls: z.array(z.string()).optional(),
  founding: foundingTopicSchema.optional(),
});
export type Question = z.infer<typeof questionSchema>;
