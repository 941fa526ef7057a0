import { SEVERITIES } from '@atlasguard/core';
import type { ChangeSummary, ScanDepsResult } from '../scan-deps.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const ICON: Record<string, string> = { clean: 'PASS', findings: 'FAIL', inconclusive: 'INCONCLUSIVE' };

/** A pull-request comment: verdict, changed packages, vulnerabilities introduced and fixed, findings. */
export function writeMarkdown(result: ScanDepsResult): string {
  const out: string[] = [];
  const s = result.summary;
  out.push(`### AtlasGuard dependency check: ${ICON[s.verdict] ?? s.verdict}`);
  out.push('');
  out.push(
    `\`${cell(result.input.path)}\`${result.previous !== undefined ? ` compared with \`${cell(result.previous.path)}\`` : ''}: ${String(result.input.packages)} packages. ` +
      `Findings: ${SEVERITIES.map((sev) => `${String(s[sev])} ${sev}`).join(', ')}.`,
  );
  if (s.reason !== undefined)
    out.push('', `> **Inconclusive:** ${cell(s.reason)}. Run \`atlasguard osv sync\`.`);
  if (result.diff !== undefined) {
    const d = result.diff;
    const rows: string[] = [];
    const add = (kind: string, list: ChangeSummary[]): void => {
      for (const c of list.slice(0, 100))
        rows.push(
          `| ${kind} | ${cell(c.name)} | ${cell(c.from ?? '')} | ${cell(c.to ?? '')} | ${c.direct ? 'direct' : 'transitive'} |`,
        );
    };
    add('added', d.added);
    add('removed', d.removed);
    add('upgraded', d.upgraded);
    add('downgraded', d.downgraded);
    add('changed', d.changed);
    out.push('', '#### Changed packages', '');
    if (rows.length === 0) out.push('No version changes.');
    else out.push('| change | package | from | to | |', '|---|---|---|---|---|', ...rows);
    const v = result.vulnerabilities;
    out.push(
      '',
      `#### Vulnerabilities: ${String(v.introduced.length)} introduced, ${String(v.fixed.length)} fixed, ${String(v.present.length)} still present`,
    );
    if (v.introduced.length + v.fixed.length > 0) {
      out.push('', '| status | id | package | severity | fixed in |', '|---|---|---|---|---|');
      for (const x of v.introduced)
        out.push(
          `| introduced | ${cell(x.id)} | ${cell(`${x.package} ${x.version}`)} | ${x.severity} | ${cell(x.fixedIn[0] ?? '-')} |`,
        );
      for (const x of v.fixed)
        out.push(
          `| fixed | ${cell(x.id)} | ${cell(`${x.package} ${x.version}`)} | ${x.severity} | ${cell(x.fixedIn[0] ?? '-')} |`,
        );
    }
  }
  const shown = result.findings.filter((f) => f.severity !== 'info');
  if (shown.length > 0) {
    out.push(
      '',
      '#### Findings',
      '',
      '| severity | rule | finding | where | ATLAS |',
      '|---|---|---|---|---|',
    );
    for (const f of shown.slice(0, 100)) {
      const where =
        f.location?.path !== undefined
          ? `${f.location.path}${f.location.line !== undefined ? `:${String(f.location.line)}` : ''}`
          : '';
      out.push(
        `| ${f.severity} | \`${f.ruleId}\` | ${cell(f.message)} | ${cell(where)} | ${f.atlas.techniques.join(', ')} |`,
      );
    }
    if (shown.length > 100) out.push('', `${String(shown.length - 100)} more findings in the full report.`);
  }
  out.push('', `<sub>OSV data from ${result.osv.dbTime} (${String(result.osv.records)} records).</sub>`);
  return `${out.join('\n')}\n`;
}
