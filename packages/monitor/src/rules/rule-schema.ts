import { z } from 'zod';

const scalar = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);
const fieldValue = z.union([scalar, z.array(scalar).max(500)]);
const selectionMap = z.record(z.string().min(1).max(200), fieldValue);
export const selectionSchema = z.union([selectionMap, z.array(selectionMap).min(1).max(100)]);

const testEvent = z.record(z.string(), z.unknown());
/** A test case: one event, a sequence of events, or one event repeated (for correlation rules). */
export const testCaseSchema = z.union([
  z.object({ events: z.array(testEvent).min(1).max(1000) }).strict(),
  z.object({ repeat: z.number().int().min(1).max(1000), event: testEvent }).strict(),
  testEvent,
]);

const duration = z.string().regex(/^\d{1,6}[smhd]$/, 'expected a duration such as 30s, 10m, 1h');

export const ruleSchema = z
  .object({
    title: z.string().min(1).max(200),
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,80}$/, 'rule id: letters, digits, . _ -'),
    status: z.enum(['stable', 'test', 'experimental', 'deprecated']).default('experimental'),
    description: z.string().max(4000),
    author: z.string().max(200).optional(),
    date: z.string().max(32).optional(),
    references: z.array(z.string().max(500)).max(50).optional(),
    tags: z
      .array(z.string().regex(/^[a-z0-9]+(\.[a-z0-9_-]+)+$/, 'tags look like atlas.aml.t0051.000'))
      .min(1)
      .max(50),
    level: z.enum(['informational', 'info', 'low', 'medium', 'high', 'critical']),
    logsource: z.object({ product: z.literal('genai'), category: z.string().max(64).optional() }).strict(),
    detection: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/),
        z.union([selectionSchema, z.string().max(2000)]),
      )
      .refine((d) => typeof d.condition === 'string', 'detection needs a condition'),
    correlation: z
      .object({
        type: z.enum(['event_count', 'value_count']),
        'group-by': z.array(z.string().max(200)).min(1).max(4).default(['principal']),
        timespan: duration,
        field: z.string().max(200).optional(),
        condition: z.object({ gte: z.number().int().min(1).max(100_000) }).strict(),
      })
      .strict()
      .optional(),
    falsepositives: z.array(z.string().max(500)).max(50).optional(),
    tests: z
      .object({
        positive: z.array(testCaseSchema).min(1).max(100),
        negative: z.array(testCaseSchema).min(1).max(100),
      })
      .strict(),
  })
  .strict()
  .refine(
    (r) => r.correlation?.type !== 'value_count' || r.correlation.field !== undefined,
    'value_count needs a field',
  );

export type RuleDocument = z.infer<typeof ruleSchema>;
export type TestCase = z.infer<typeof testCaseSchema>;
