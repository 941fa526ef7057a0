import { z } from 'zod';

// The OSV fields AtlasGuard reads (https://ossf.github.io/osv-schema/); everything else is ignored.

const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});
export type OsvEvent = z.infer<typeof eventSchema>;

const rangeSchema = z.object({
  type: z.string(),
  events: z.array(eventSchema).max(10_000),
});

const affectedSchema = z.object({
  package: z.object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() }).optional(),
  ranges: z.array(rangeSchema).max(1_000).optional(),
  versions: z.array(z.string()).max(100_000).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export const osvRecordSchema = z.object({
  id: z.string().min(1).max(200),
  modified: z.string().optional(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).max(1_000).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z
    .array(z.object({ type: z.string(), score: z.string() }))
    .max(100)
    .optional(),
  affected: z.array(affectedSchema).max(10_000).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
  references: z
    .array(z.object({ type: z.string().optional(), url: z.string() }))
    .max(10_000)
    .optional(),
});
export type OsvRecord = z.infer<typeof osvRecordSchema>;
