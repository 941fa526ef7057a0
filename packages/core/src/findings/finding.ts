import { z } from 'zod';
import { severitySchema } from './severity.js';

export const ELEMENTS = ['environment', 'platform', 'model', 'data'] as const;
export const elementSchema = z.enum(ELEMENTS);
export type Element = z.infer<typeof elementSchema>;

export const techniqueIdSchema = z
  .string()
  .regex(/^AML\.T\d{4}(\.\d{3})?$/, 'expected an ATLAS technique ID');
export const mitigationIdSchema = z.string().regex(/^AML\.M\d{4}$/, 'expected an ATLAS mitigation ID');

export const findingLocationSchema = z.object({
  path: z.string().optional(),
  member: z.string().optional(),
  offset: z.number().int().nonnegative().optional(),
  row: z.number().int().nonnegative().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  pointer: z.string().optional(),
});
export type FindingLocation = z.infer<typeof findingLocationSchema>;

export const referenceSchema = z.object({ label: z.string(), url: z.string() });
export type Reference = z.infer<typeof referenceSchema>;

/** The one result shape shared by every scanner, the monitor and the assessment (DESIGN.md). */
export const findingSchema = z.object({
  ruleId: z.string().min(1),
  title: z.string().min(1),
  severity: severitySchema,
  confidence: z.number().min(0).max(1).optional(),
  element: elementSchema,
  atlas: z.object({
    techniques: z.array(techniqueIdSchema),
    mitigations: z.array(mitigationIdSchema),
  }),
  location: findingLocationSchema.optional(),
  message: z.string(),
  evidence: z.string().optional(),
  remediation: z.string().optional(),
  references: z.array(referenceSchema).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** Every ATLAS ID a list of findings names, for checking against the loaded catalog. */
export function atlasIdsOf(findings: readonly Finding[]): Set<string> {
  const ids = new Set<string>();
  for (const f of findings) {
    for (const t of f.atlas.techniques) ids.add(t);
    for (const m of f.atlas.mitigations) ids.add(m);
  }
  return ids;
}
