import type { ScanReport } from '../scan/scan-types.js';

export interface TextStyle {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
}

const plain: TextStyle = { bold: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s };

function fmt(n: number | undefined): string {
  if (n === undefined) return '-';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) < 1e-3 && n !== 0 ? n.toExponential(2) : n.toPrecision(3);
}

/** Human-readable report: verdict, every check with statistic and threshold, then row findings. */
export function renderScanText(report: ScanReport, style: TextStyle = plain, maxFindings = 50): string {
  const lines: string[] = [];
  const verdict =
    report.verdict === 'fail'
      ? style.red('FAIL')
      : report.inconclusive
        ? style.yellow('INCONCLUSIVE')
        : style.green('PASS');
  lines.push(
    `${style.bold('atlasguard scan data')} ${report.batch.path} vs ${report.baseline.path} (${report.baseline.kind})`,
  );
  lines.push(
    `verdict: ${verdict}   rows: ${String(report.batch.rows)}   malformed: ${String(report.batch.malformedRows)}   flagged rows: ${String(report.summary.flaggedRows)}`,
  );
  lines.push(`batch sha256: ${report.batch.sha256}`);
  if (report.provenance.manifest) {
    const m = report.provenance.manifest;
    lines.push(
      `manifest: ${m.path} (${m.container}, signature ${m.signature}${m.source !== undefined ? `, source ${m.source}` : ''})`,
    );
  }
  lines.push('');
  lines.push(style.bold('checks'));
  for (const c of report.checks) {
    const mark =
      c.status === 'pass'
        ? style.green('pass')
        : c.status === 'fail'
          ? style.red('FAIL')
          : c.status === 'skipped'
            ? style.dim('skip')
            : style.yellow(c.status);
    const stat =
      c.statistic !== undefined
        ? `  ${c.method ?? 'statistic'}=${fmt(c.statistic)}${c.threshold !== undefined ? ` (threshold ${fmt(c.threshold)})` : ''}`
        : '';
    const count =
      c.count !== undefined
        ? `  rows=${String(c.count)}${c.rate !== undefined ? ` (${(c.rate * 100).toFixed(2)}%)` : ''}`
        : '';
    lines.push(`  ${mark.padEnd(4)}  ${c.name}${stat}${count}`);
    if (c.status !== 'pass') lines.push(`        ${style.dim(c.message)}`);
  }
  lines.push('');
  lines.push(style.bold(`findings (${String(report.findings.length)})`));
  for (const f of report.findings.slice(0, maxFindings)) {
    const where =
      f.location?.row !== undefined
        ? `row ${String(f.location.row)}${f.location.line !== undefined ? ` (line ${String(f.location.line)})` : ''}`
        : (f.location?.pointer ?? '');
    lines.push(`  ${f.severity.padEnd(8)} ${f.ruleId}  ${where}`);
    lines.push(`           ${f.message}`);
    lines.push(
      `           ${style.dim(`ATLAS ${[...f.atlas.techniques, ...f.atlas.mitigations].join(' ')}`)}`,
    );
  }
  if (report.findings.length > maxFindings) {
    lines.push(
      `  … ${String(report.findings.length - maxFindings)} more (use --format json or --quarantine for all rows)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
