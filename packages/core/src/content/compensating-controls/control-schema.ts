import { z } from 'zod';
import { elementSchema, techniqueIdSchema } from '../../findings/finding.js';
import { evidenceCommandSchema, personaSchema } from '../questions/question-schema.js';

/** Public bodies of knowledge a control draws its idea from (named, never copied). */
export const CONTROL_BASES = [
  'CoSAI Risk Map',
  'OWASP AI Exchange',
  'OWASP Top 10 for LLM Applications',
  'OWASP Agentic Top 10',
  'MITRE ATT&CK',
  'NIST AI 100-2',
  'NIST AI RMF',
] as const;
export const controlBasisSchema = z.enum(CONTROL_BASES);

export const controlIdSchema = z.string().regex(/^CC-[A-Z0-9]+(-[A-Z0-9]+)*$/, 'expected CC-UPPER-KEBAB');

/** A control of AtlasGuard's own for techniques ATLAS publishes no mitigation for. */
export const compensatingControlSchema = z.strictObject({
  id: controlIdSchema,
  title: z.string().min(10).max(90),
  element: elementSchema,
  persona: personaSchema,
  /** What to put in place, concretely. */
  control: z.string().min(80),
  /** How to check that it is in place and works. */
  verification: z.string().min(40),
  command: evidenceCommandSchema.optional(),
  techniques: z.array(techniqueIdSchema).min(1),
  basis: z.array(controlBasisSchema).min(1),
});
export type CompensatingControl = z.infer<typeof compensatingControlSchema>;

/** A technique without ATLAS mitigation for which the defender has nothing to put in place. */
export const noControlNeededSchema = z.strictObject({
  technique: techniqueIdSchema,
  reason: z.string().min(60),
  /** Techniques later in the chain where the activity becomes visible and controllable. */
  watchInstead: z.array(techniqueIdSchema).min(1),
});
export type NoControlNeeded = z.infer<typeof noControlNeededSchema>;
