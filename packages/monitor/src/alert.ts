import { z } from 'zod';
import { severitySchema, techniqueIdSchema, type Severity } from '@atlasguard/core';

/** One alert line of `--alerts` (DESIGN.md contract), plus an optional tenant. */
export const alertSchema = z.object({
  time: z.string(),
  detector: z.string(),
  ruleId: z.string(),
  severity: severitySchema,
  principal: z.string(),
  tenant: z.string().optional(),
  atlas: z.object({ techniques: z.array(techniqueIdSchema).min(1) }),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  window: z.object({ start: z.string(), end: z.string() }),
});
export type Alert = z.infer<typeof alertSchema>;

/** What a detector emits; the engine stamps time, detector, de-duplicates and renders ISO times. */
export interface AlertDraft {
  ruleId: string;
  severity: Severity;
  principal: string;
  tenant: string;
  techniques: string[];
  message: string;
  /** Which events (source line numbers) and which statistic. */
  evidence: { lines: number[]; statistic?: Record<string, number | string | boolean> } & Record<
    string,
    unknown
  >;
  windowStart: number;
  windowEnd: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
