import { z } from 'zod';

// Schemas for the distributed ATLAS.yaml. Loose: unknown fields are tolerated so that a newer release loads.
// Each object is validated on its own so that one bad entry becomes a warning, not a failed load.

const attackRef = z.looseObject({ id: z.string(), url: z.string().optional() });
const dateLike = z
  .union([z.string(), z.date()])
  .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));

export const rawTacticSchema = z.looseObject({
  id: z.string().regex(/^AML\.TA\d{4}$/),
  name: z.string(),
  description: z.string().default(''),
  'ATT&CK-reference': attackRef.optional(),
  created_date: dateLike.optional(),
  modified_date: dateLike.optional(),
});

export const rawTechniqueSchema = z.looseObject({
  id: z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/),
  name: z.string(),
  description: z.string().default(''),
  tactics: z.array(z.string()).optional(),
  'subtechnique-of': z.string().optional(),
  maturity: z.string().optional(),
  'ATT&CK-reference': attackRef.optional(),
  created_date: dateLike.optional(),
  modified_date: dateLike.optional(),
});

export const rawMitigationSchema = z.looseObject({
  id: z.string().regex(/^AML\.M\d{4}$/),
  name: z.string(),
  description: z.string().default(''),
  techniques: z.array(z.unknown()).default([]),
  'ml-lifecycle': z.array(z.unknown()).default([]),
  category: z.array(z.unknown()).default([]),
  'ATT&CK-reference': attackRef.optional(),
  created_date: dateLike.optional(),
  modified_date: dateLike.optional(),
});

export const rawTechniqueUseSchema = z.looseObject({ id: z.string(), use: z.string().default('') });

export const rawProcedureStepSchema = z.looseObject({
  tactic: z.string(),
  technique: z.string(),
  description: z.string().default(''),
});

export const rawCaseStudySchema = z.looseObject({
  id: z.string().regex(/^AML\.CS\d{4}$/),
  name: z.string(),
  summary: z.string().default(''),
  'incident-date': dateLike.optional(),
  'incident-date-granularity': z.string().optional(),
  procedure: z.array(z.unknown()).default([]),
  target: z.string().optional(),
  actor: z.string().optional(),
  reporter: z.string().optional(),
  'case-study-type': z.string().optional(),
  references: z.array(z.unknown()).nullish(),
});

export const rawReferenceSchema = z.looseObject({ title: z.string().nullish(), url: z.string().nullish() });

export const rawAtlasSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  version: z.union([z.string(), z.number()]).transform(String),
  matrices: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        tactics: z.array(z.unknown()).default([]),
        techniques: z.array(z.unknown()).default([]),
        mitigations: z.array(z.unknown()).default([]),
      }),
    )
    .min(1),
  'case-studies': z.array(z.unknown()).default([]),
});
