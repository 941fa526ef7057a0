import { SEVERITIES, type Severity } from '@atlasguard/core';
import type { ChangeSummary, ScanDepsResult } from '../scan-deps.js';

/** Optional colouring, supplied by the CLI (identity functions when colour is off). */
export interface TextStyle {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export const PLAIN: TextStyle = { severity: (_s, t) => t, bold: (t) => t, dim: (t) => t };

function changeLine(c: ChangeSummary): string {
  const arrow = c.from !== undefined && c.to !== undefined ? `${c.from} -> ${c.to}` : (c.to ?? c.from ?? '');
  return `    ${c.name} ${arrow}${c.direct ? '' : ' (transitive)'}`;
}

/** Human-readable report: what changed, then findings grouped by severity with fix versions. */
export function writeText(result: ScanDepsResult, style: TextStyle = PLAIN): string {
  const out: string[] = [];
  const head =
    result.mode === 'diff' ? `${result.previous?.path ?? ''} -> ${result.input.path}` : result.input.path;
  out.push(style.bold(`atlasguard scan deps: ${head}`));
  out.push(
    `  ${String(result.input.packages)} packages (${String(result.input.direct)} direct), format ${result.input.format}`,
  );
  out.push(
    `  OSV: ${String(result.osv.records)} records (${String(result.osv.withdrawn)} withdrawn, ignored), data from ${result.osv.dbTime}, ${String(result.osv.ageHours)} h old`,
  );
  if (result.target !== undefined) {
    const vars = Object.entries(result.target.environment).map(([k, v]) => `${k}=${v}`);
    if (result.target.extras.length > 0) vars.push(`extras=${result.target.extras.join(',')}`);
    out.push(`  target (markers evaluated): ${vars.join(' ')}`);
  }
  if (result.diff !== undefined) {
    const d = result.diff;
    out.push('');
    out.push(style.bold('Changes'));
    const section = (title: string, list: ChangeSummary[]): void => {
      if (list.length === 0) return;
      out.push(`  ${title} (${String(list.length)})`);
      for (const c of list.slice(0, 200)) out.push(changeLine(c));
      if (list.length > 200) out.push(`    ... ${String(list.length - 200)} more (see --format json)`);
    };
    section('added', d.added);
    section('removed', d.removed);
    section('upgraded', d.upgraded);
    section('downgraded', d.downgraded);
    section('changed', d.changed);
    if (d.added.length + d.removed.length + d.upgraded.length + d.downgraded.length + d.changed.length === 0)
      out.push('  no version changes');
    const v = result.vulnerabilities;
    out.push(
      `  vulnerabilities: ${String(v.introduced.length)} introduced, ${String(v.fixed.length)} fixed, ${String(v.present.length)} still present`,
    );
    for (const f of v.fixed) out.push(`    fixed: ${f.id} in ${f.package} ${f.version}`);
  }
  out.push('');
  if (result.findings.length === 0) out.push('No findings.');
  for (const severity of SEVERITIES) {
    const list = result.findings.filter((f) => f.severity === severity);
    if (list.length === 0) continue;
    out.push(style.severity(severity, `${severity.toUpperCase()} (${String(list.length)})`));
    for (const f of list) {
      const where =
        f.location?.path !== undefined
          ? `${f.location.path}${f.location.line !== undefined ? `:${String(f.location.line)}` : ''}`
          : '';
      out.push(`  ${style.bold(f.title)}  ${style.dim(`[${f.ruleId}] ${f.atlas.techniques.join(', ')}`)}`);
      out.push(`    ${f.message}`);
      if (where !== '') out.push(`    at ${where}`);
      if (f.evidence !== undefined) out.push(`    ${style.dim(f.evidence)}`);
      if (f.remediation !== undefined) out.push(`    fix: ${f.remediation}`);
    }
  }
  if (result.excluded !== undefined && result.excluded.length > 0) {
    out.push('');
    const names = result.excluded.map((e) => e.name);
    out.push(
      `Not installed on the target (markers false): ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', ...' : ''}`,
    );
  }
  if (result.unmatched.length > 0) {
    out.push('');
    out.push(
      `Not matched (no exact version): ${result.unmatched.slice(0, 30).join(', ')}${result.unmatched.length > 30 ? ', ...' : ''}`,
    );
  }
  out.push('');
  const s = result.summary;
  out.push(
    `${style.bold(`verdict: ${s.verdict}`)}  critical ${String(s.critical)}, high ${String(s.high)}, medium ${String(s.medium)}, low ${String(s.low)}, info ${String(s.info)}`,
  );
  if (s.reason !== undefined)
    out.push(`  inconclusive: ${s.reason}; run \`atlasguard osv sync\` or raise --max-age`);
  return `${out.join('\n')}\n`;
}
