import type { Assessment, GateResult, RiskLevel } from './assessment-types.js';

const RANK: Record<RiskLevel, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** `--fail-on` values: a risk level, or `none` to never fail. */
export const GATE_LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type GateLevel = (typeof GATE_LEVELS)[number];

/**
 * The CI gate: fails when a residual risk at or above `failOn` exists, leaving out risks excused by an
 * unexpired acceptance, transfer or avoidance (expired decisions count again).
 */
export function evaluateGate(assessment: Assessment, failOn: GateLevel): GateResult {
  const blocking: string[] = [];
  const excused: string[] = [];
  if (failOn !== 'none') {
    for (const r of assessment.risks) {
      if (RANK[r.residual.level] < RANK[failOn]) continue;
      if (r.status === 'accepted' || r.status === 'transferred' || r.status === 'avoided') excused.push(r.id);
      else blocking.push(r.id);
    }
  }
  return { failOn, failed: blocking.length > 0, blocking, excused };
}
