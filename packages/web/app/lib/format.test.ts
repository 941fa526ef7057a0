import { describe, expect, it } from 'vitest';
import {
  bytes,
  coverageClass,
  dateOnly,
  dateTime,
  endOfDayIso,
  issueLocation,
  levelClass,
  levelLabel,
  levelRank,
  percent,
} from './format.js';

describe('format', () => {
  it('ranks levels worst first and puts "not assessed" below all', () => {
    expect([levelRank('low'), levelRank('medium'), levelRank('high'), levelRank('critical')]).toEqual([
      1, 2, 3, 4,
    ]);
    expect(levelRank(null)).toBe(0);
    expect(levelClass('high')).toBe('lvl-high');
    expect(levelClass(null)).toBe('lvl-none');
    expect(levelLabel(undefined)).toBe('not assessed');
  });

  it('formats percentages, clamped, with a dash for unknown', () => {
    expect(percent(0.456)).toBe('46 %');
    expect(percent(1.7)).toBe('100 %');
    expect(percent(-1)).toBe('0 %');
    expect(percent(null)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
  });

  it('buckets coverage for the heat map', () => {
    expect(coverageClass(0)).toBe('cov-0');
    expect(coverageClass(0.24)).toBe('cov-0');
    expect(coverageClass(0.25)).toBe('cov-1');
    expect(coverageClass(0.74)).toBe('cov-2');
    expect(coverageClass(0.99)).toBe('cov-3');
    expect(coverageClass(1)).toBe('cov-4');
    expect(coverageClass(null)).toBe('cov-none');
  });

  it('prints timestamps in UTC whatever the locale, and keeps unreadable ones as they are', () => {
    expect(dateTime('2026-03-04T05:06:07.000Z')).toBe('2026-03-04 05:06 UTC');
    expect(dateTime(null)).toBe('—');
    expect(dateTime('yesterday')).toBe('yesterday');
    expect(dateOnly('2026-03-04T23:59:59.000Z')).toBe('2026-03-04');
  });

  it('turns a date input into the end of that day (UTC) and refuses anything else', () => {
    expect(endOfDayIso('2027-01-31')).toBe('2027-01-31T23:59:59.000Z');
    expect(endOfDayIso('2027-02-31')).toBe('2027-03-03T23:59:59.000Z');
    expect(endOfDayIso('31/01/2027')).toBeNull();
    expect(endOfDayIso('')).toBeNull();
  });

  it('formats sizes and issue locations', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2048)).toBe('2.0 KiB');
    expect(bytes(3 * 1024 * 1024)).toBe('3.0 MiB');
    expect(issueLocation({ line: 4, col: 7 })).toBe('4:7');
    expect(issueLocation({ line: 4, col: null })).toBe('4');
    expect(issueLocation({ line: null, col: 3 })).toBe('');
  });
});
