import { RISK_LEVELS, type Assessment, type LedgerEntry, type RiskLevel } from '@atlasguard/core';
import { z } from 'zod';

/** What a run keeps beside its result, so that lists and the portfolio never parse whole results. */
export const storedSummarySchema = z.object({
  residualScore: z.number(),
  inherentLevel: z.enum(RISK_LEVELS).nullable(),
  coverage: z.number().min(0).max(1).nullable(),
  applicable: z.number().int(),
  gaps: z.number().int(),
  questions: z.object({ answered: z.number().int(), total: z.number().int() }),
  /** Highest residual level of the scored techniques under each tactic (null: none scored). */
  tactics: z.record(z.string(), z.enum(RISK_LEVELS).nullable()),
});
export type StoredSummary = z.infer<typeof storedSummarySchema>;

const rank = (level: RiskLevel): number => RISK_LEVELS.length - RISK_LEVELS.indexOf(level);
export const maxLevel = (levels: Iterable<RiskLevel | null | undefined>): RiskLevel | null => {
  let best: RiskLevel | null = null;
  for (const l of levels) if (l != null && (best === null || rank(l) > rank(best))) best = l;
  return best;
};

/**
 * Share of a technique's mitigations in place: implemented counts 1, partial ½, over the mitigations that
 * are not `not-applicable`; null when it has none to count.
 */
export function techniqueCoverage(entry: LedgerEntry): number | null {
  const counted = entry.mitigations.filter((m) => m.status !== 'not-applicable');
  if (counted.length === 0) return null;
  const credit = counted.reduce(
    (sum, m) => sum + (m.status === 'implemented' ? 1 : m.status === 'partial' ? 0.5 : 0),
    0,
  );
  return Math.round((credit / counted.length) * 1000) / 1000;
}

/** Scored techniques: those that apply or might (the CLI's risks list). */
const scored = (a: Assessment): LedgerEntry[] => a.ledger.filter((e) => e.residual !== undefined);

/** The highest residual level of the assessment (ledger, and the per-element counts for terse results). */
export function residualLevelOf(a: Assessment): RiskLevel | null {
  const fromElements = RISK_LEVELS.filter((level) => a.elements.some((e) => e.residual[level] > 0));
  return maxLevel([...scored(a).map((e) => e.residual?.level), ...fromElements]);
}

/**
 * The summary of an assessment: residual score = the sum of the residual scores of every scored technique
 * (it falls as mitigations land); coverage = how much of the mitigation work is in place: the mean, over
 * applicable techniques with ATLAS mitigations, of each technique's coverage (implemented 1, partial ½);
 * per-tactic heat = the highest residual level under the tactic.
 */
export function summarize(a: Assessment): StoredSummary {
  const entries = scored(a);
  const applicable = a.ledger.filter((e) => e.decision === 'applies');
  const perTechnique = applicable.map(techniqueCoverage).filter((c) => c !== null);
  const tactics: Record<string, RiskLevel | null> = {};
  for (const e of a.ledger) {
    for (const t of e.tactics) {
      tactics[t] = maxLevel([tactics[t], e.residual?.level]);
    }
  }
  return {
    residualScore: Math.round(entries.reduce((s, e) => s + (e.residual?.score ?? 0), 0) * 100) / 100,
    inherentLevel: maxLevel(entries.map((e) => e.inherent?.level)),
    coverage:
      perTechnique.length === 0
        ? null
        : Math.round((perTechnique.reduce((x, y) => x + y, 0) / perTechnique.length) * 1000) / 1000,
    applicable: applicable.length,
    gaps: a.coverage.gaps,
    questions: { answered: a.coverage.questions.answered, total: a.coverage.questions.attached },
    tactics,
  };
}

/** A stored summary, or null for runs stored before summaries existed (or posted from elsewhere). */
export function readSummary(value: unknown): StoredSummary | null {
  const parsed = storedSummarySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
