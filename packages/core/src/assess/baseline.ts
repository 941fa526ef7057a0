import { z } from 'zod';
import {
  riskLevelSchema,
  riskStatusSchema,
  type Assessment,
  type BaselineDiff,
  type RiskLevel,
  type RiskStatus,
} from './assessment-types.js';

/**
 * What a baseline must contain: the risks of an earlier `assess --format json`. Lenient on everything else so
 * that a baseline written by an older AtlasGuard (same schemaVersion) still compares.
 */
export const baselineInputSchema = z.looseObject({
  schemaVersion: z.literal(1),
  risks: z
    .array(
      z.looseObject({
        id: z.string().max(40),
        residual: z.looseObject({ score: z.number(), level: riskLevelSchema }),
        status: riskStatusSchema,
      }),
    )
    .max(10_000),
});
export type BaselineInput = z.infer<typeof baselineInputSchema>;

/** New, resolved and changed risks between a baseline and the current assessment. */
export function diffBaseline(current: Assessment, baseline: BaselineInput, name: string): BaselineDiff {
  const before = new Map<string, { score: number; level: RiskLevel; status: RiskStatus }>();
  for (const r of baseline.risks)
    before.set(r.id, { score: r.residual.score, level: r.residual.level, status: r.status });
  const now = new Map(current.risks.map((r) => [r.id, r]));
  const diff: BaselineDiff = { baseline: name, new: [], resolved: [], changed: [] };
  for (const r of current.risks) {
    const old = before.get(r.id);
    if (old === undefined) {
      diff.new.push({ id: r.id, level: r.residual.level, score: r.residual.score });
    } else if (old.score !== r.residual.score || old.level !== r.residual.level || old.status !== r.status) {
      diff.changed.push({
        id: r.id,
        from: old,
        to: { score: r.residual.score, level: r.residual.level, status: r.status },
      });
    }
  }
  for (const [id, old] of before) {
    if (!now.has(id)) diff.resolved.push({ id, level: old.level, score: old.score });
  }
  diff.resolved.sort((a, b) => a.id.localeCompare(b.id));
  return diff;
}
