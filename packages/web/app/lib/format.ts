import type { RiskLevel } from '../api/schemas.js';

const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Higher is worse; null (not assessed) sorts below every level. */
export function levelRank(level: RiskLevel | null | undefined): number {
  return level === null || level === undefined ? 0 : LEVEL_RANK[level];
}

/** The CSS class that colours a level (see styles.css); `lvl-none` when there is none. */
export function levelClass(level: RiskLevel | null | undefined): string {
  return `lvl-${level ?? 'none'}`;
}

export function levelLabel(level: RiskLevel | null | undefined): string {
  return level === null || level === undefined ? 'not assessed' : level;
}

/** 0..1 as a whole percentage; null as an em dash. */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${String(Math.round(Math.min(1, Math.max(0, value)) * 100))} %`;
}

/** An ISO timestamp as `YYYY-MM-DD HH:MM` UTC (stable across the viewer's locale); em dash when absent. */
export function dateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export function dateOnly(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

/** A `<input type=date>` value (YYYY-MM-DD) as the end of that day in UTC, ISO without offset. */
export function endOfDayIso(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T23:59:59.000Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function bytes(n: number): string {
  if (n < 1024) return `${String(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `line:col message` for a model validation issue (1-based, as the server reports them). */
export function issueLocation(issue: {
  line?: number | null | undefined;
  col?: number | null | undefined;
}): string {
  if (issue.line === null || issue.line === undefined) return '';
  return issue.col === null || issue.col === undefined
    ? String(issue.line)
    : `${String(issue.line)}:${String(issue.col)}`;
}

/** Coverage 0..1 in five buckets for the heat map (`cov-0` none … `cov-4` all); `cov-none` when unknown. */
export function coverageClass(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'cov-none';
  const v = Math.min(1, Math.max(0, value));
  return `cov-${String(v >= 1 ? 4 : Math.floor(v * 4))}`;
}
