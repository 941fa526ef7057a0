import { z } from 'zod';
import { findingSchema } from '@atlasguard/core';
import type { SeverityCounts } from '@atlasguard/storage';
import { ApiError } from './api-error.js';

const MAX_RESULTS = 100_000;

const sarifSchema = z.object({
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.object({
        tool: z.object({ driver: z.object({ name: z.string() }) }),
        results: z
          .array(
            z.object({
              level: z.enum(['none', 'note', 'warning', 'error']).optional(),
              properties: z.object({ 'security-severity': z.string().optional() }).loose().optional(),
            }),
          )
          .max(MAX_RESULTS)
          .optional(),
      }),
    )
    .min(1)
    .max(100),
});

const findingsDocSchema = z.union([
  z.array(findingSchema).max(MAX_RESULTS),
  z.object({ findings: z.array(findingSchema).max(MAX_RESULTS) }).loose(),
]);

const empty = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** SARIF `security-severity` (CVSS-style 0–10) first, else the result level. */
function sarifSeverity(level: string | undefined, score: string | undefined): keyof SeverityCounts {
  const n = score === undefined ? Number.NaN : Number(score);
  if (Number.isFinite(n)) {
    if (n >= 9) return 'critical';
    if (n >= 7) return 'high';
    if (n >= 4) return 'medium';
    if (n > 0) return 'low';
    return 'info';
  }
  if (level === 'error') return 'high';
  if (level === 'warning') return 'medium';
  if (level === 'note') return 'low';
  return level === 'none' ? 'info' : 'medium';
}

/**
 * Validates an uploaded scan result (AtlasGuard findings JSON — a list or `{ findings: [...] }` — or SARIF
 * 2.1.0) and counts it by severity. Refuses anything else with 422.
 */
export function summarizeFindings(format: 'json' | 'sarif', document: unknown): SeverityCounts {
  const counts = empty();
  if (format === 'sarif') {
    const parsed = sarifSchema.safeParse(document);
    if (!parsed.success) {
      throw new ApiError(422, 'invalid-sarif', 'not a SARIF 2.1.0 log', {
        details: firstIssues(parsed.error),
      });
    }
    for (const run of parsed.data.runs) {
      for (const r of run.results ?? [])
        counts[sarifSeverity(r.level, r.properties?.['security-severity'])] += 1;
    }
    return counts;
  }
  const parsed = findingsDocSchema.safeParse(document);
  if (!parsed.success) {
    throw new ApiError(422, 'invalid-findings', 'not an AtlasGuard findings document', {
      details: firstIssues(parsed.error),
    });
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.findings;
  for (const f of list) counts[f.severity] += 1;
  return counts;
}

export function firstIssues(error: z.ZodError, max = 10): { path: string; message: string }[] {
  return error.issues.slice(0, max).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
