import { describe, expect, it } from 'vitest';
import {
  compareSeverity,
  failOnSchema,
  isAtOrAbove,
  maxSeverity,
  securitySeverityScore,
  SEVERITIES,
  severityRank,
  severitySchema,
  type Severity,
} from './severity.js';

describe('severity', () => {
  it('orders critical > high > medium > low > info', () => {
    expect(SEVERITIES).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    const ranks = SEVERITIES.map(severityRank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(5);
  });

  it('sorts most severe first', () => {
    const shuffled: Severity[] = ['low', 'critical', 'info', 'medium', 'high', 'low'];
    expect(shuffled.sort(compareSeverity)).toEqual(['critical', 'high', 'medium', 'low', 'low', 'info']);
  });

  it('compares against a --fail-on threshold', () => {
    expect(isAtOrAbove('high', 'medium')).toBe(true);
    expect(isAtOrAbove('medium', 'medium')).toBe(true);
    expect(isAtOrAbove('low', 'medium')).toBe(false);
    expect(isAtOrAbove('info', 'info')).toBe(true);
    for (const s of SEVERITIES) expect(isAtOrAbove(s, 'info')).toBe(true);
  });

  it('finds the worst of a list', () => {
    expect(maxSeverity(['low', 'high', 'medium'])).toBe('high');
    expect(maxSeverity([])).toBeUndefined();
    expect(maxSeverity(new Set<Severity>(['info']))).toBe('info');
  });

  it('maps to SARIF security-severity scores inside the GitHub buckets', () => {
    const score = (s: Severity): number => Number(securitySeverityScore(s));
    expect(score('critical')).toBeGreaterThanOrEqual(9);
    expect(score('high')).toBeGreaterThanOrEqual(7);
    expect(score('high')).toBeLessThan(9);
    expect(score('medium')).toBeGreaterThanOrEqual(4);
    expect(score('medium')).toBeLessThan(7);
    expect(score('low')).toBeGreaterThan(0);
    expect(score('low')).toBeLessThan(4);
    expect(score('info')).toBe(0);
  });

  it('validates severities and --fail-on values', () => {
    expect(severitySchema.safeParse('medium').success).toBe(true);
    expect(severitySchema.safeParse('MEDIUM').success).toBe(false);
    expect(severitySchema.safeParse('severe').success).toBe(false);
    expect(failOnSchema.safeParse('none').success).toBe(true);
    expect(failOnSchema.safeParse('critical').success).toBe(true);
    expect(failOnSchema.safeParse('never').success).toBe(false);
  });
});
