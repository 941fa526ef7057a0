import type { Severity } from '@atlasguard/core';

/** CVSS v3.1 Roundup: the smallest one-decimal number >= x, robust to floating-point noise. */
function roundUp31(x: number): number {
  const scaled = Math.round(x * 100_000);
  if (scaled % 10_000 === 0) return scaled / 100_000;
  return (Math.floor(scaled / 10_000) + 1) / 10;
}

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/**
 * Base score of a CVSS v3.0/v3.1 vector (`CVSS:3.1/AV:N/AC:L/...`), per the FIRST specification formula.
 * Returns undefined for anything that is not a complete, valid v3 base vector.
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  const head = parts.shift();
  if (head !== 'CVSS:3.0' && head !== 'CVSS:3.1') return undefined;
  const m = new Map<string, string>();
  for (const part of parts) {
    const [k, v] = part.split(':');
    if (k === undefined || v === undefined || m.has(k)) return undefined;
    m.set(k, v);
  }
  const av = AV[m.get('AV') ?? ''];
  const ac = AC[m.get('AC') ?? ''];
  const ui = UI[m.get('UI') ?? ''];
  const s = m.get('S');
  const c = CIA[m.get('C') ?? ''];
  const i = CIA[m.get('I') ?? ''];
  const a = CIA[m.get('A') ?? ''];
  const prCode = m.get('PR');
  if (
    av === undefined ||
    ac === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  )
    return undefined;
  if (s !== 'U' && s !== 'C') return undefined;
  const changed = s === 'C';
  const pr =
    prCode === 'N'
      ? 0.85
      : prCode === 'L'
        ? changed
          ? 0.68
          : 0.62
        : prCode === 'H'
          ? changed
            ? 0.5
            : 0.27
          : undefined;
  if (pr === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const raw = changed
    ? Math.min(1.08 * (impact + exploitability), 10)
    : Math.min(impact + exploitability, 10);
  return head === 'CVSS:3.0' ? Math.ceil(raw * 10) / 10 : roundUp31(raw);
}

/** Qualitative rating of a CVSS score (v3 and v4 share the bands). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** GHSA `database_specific.severity` (CRITICAL, HIGH, MODERATE, LOW). */
export function severityOfGhsa(text: string | undefined): Severity | undefined {
  switch (text?.toUpperCase()) {
    case 'CRITICAL':
      return 'critical';
    case 'HIGH':
      return 'high';
    case 'MODERATE':
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
      return 'low';
    default:
      return undefined;
  }
}
