// Severity levels and their ordering, without zod: scanners on the start-up path import this module, not the
// schemas (`./severity.ts`), so a scan does not load the validation library it never uses.

/** Severity levels shared by findings, risks and CI gates, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Numeric rank: higher is more severe. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** Sort comparator putting the most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function maxSeverity(severities: Iterable<Severity>): Severity | undefined {
  let best: Severity | undefined;
  for (const s of severities) {
    if (best === undefined || RANK[s] > RANK[best]) best = s;
  }
  return best;
}

/** The `--fail-on` value: a severity, or `none` to never fail on findings. */
export type FailOn = Severity | 'none';

/** SARIF `security-severity` score (GitHub code scanning buckets: >=9 critical, >=7 high, >=4 medium). */
export function securitySeverityScore(severity: Severity): string {
  switch (severity) {
    case 'critical':
      return '9.5';
    case 'high':
      return '8.0';
    case 'medium':
      return '5.5';
    case 'low':
      return '3.0';
    case 'info':
      return '0.0';
  }
}
