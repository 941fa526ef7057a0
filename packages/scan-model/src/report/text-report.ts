import { compareSeverity, type Severity } from '@atlasguard/core/severity';
import type { ScanReport, Verdict } from '../scan/types.js';
import { locationChain } from './build-report.js';

export interface TextStyle {
  severity(severity: Severity, text: string): string;
  verdict(verdict: Verdict, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const PLAIN: TextStyle = {
  severity: (_s, t) => t,
  verdict: (_v, t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

/** Human report: grouped by file, most severe first, with the pseudo-Python line and offsets. */
export function renderText(report: ScanReport, style: TextStyle = PLAIN, showClean = true): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (!showClean && file.verdict === 'clean' && file.findings.length === 0) continue;
    lines.push(
      `${style.bold(file.path)}  ${style.verdict(file.verdict, file.verdict.toUpperCase())}  ${file.format}  ${style.dim(`sha256:${file.sha256.slice(0, 16)}…  ${String(file.size)} bytes`)}`,
    );
    const sorted = [...file.findings].sort((a, b) => compareSeverity(a.severity, b.severity));
    for (const f of sorted) {
      lines.push(
        `  ${style.severity(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.title}  ${style.dim(f.ruleId)}`,
      );
      lines.push(`           at ${locationChain(f.location)}`);
      lines.push(`           ${f.message}`);
      if (f.evidence !== undefined) lines.push(`           ${style.bold('>')} ${f.evidence}`);
    }
  }
  const s = report.summary;
  lines.push('');
  lines.push(
    `${String(s.files)} file${s.files === 1 ? '' : 's'} scanned: ${String(s.malicious)} malicious, ${String(s.suspicious)} suspicious, ${String(s.inconclusive)} inconclusive, ${String(s.clean)} clean; ${String(s.findings)} finding${s.findings === 1 ? '' : 's'} (ATLAS ${report.atlasVersion}; profiles ${report.profiles.join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
