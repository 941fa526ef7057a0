import type { Alert } from '../alert.js';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COLORS: Readonly<Record<string, string>> = {
  critical: '#7f1d1d',
  high: '#dc2626',
  medium: '#d97706',
  low: '#0891b2',
  info: '#6b7280',
};
const MAX_ROWS = 60;
const MAX_TABLE = 2000;

export interface ReportOptions {
  title?: string;
  /** source description shown in the header */
  source?: string;
  malformedAlertLines?: number;
}

/** A self-contained HTML report: summary, one SVG timeline row per principal, the alert table. No scripts. */
export function renderHtmlReport(alerts: readonly Alert[], options: ReportOptions = {}): string {
  const title = options.title ?? 'AtlasGuard monitor report';
  const byPrincipal = new Map<string, Alert[]>();
  for (const a of alerts) byPrincipal.set(a.principal, [...(byPrincipal.get(a.principal) ?? []), a]);
  const principals = [...byPrincipal.entries()].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  );
  const times = alerts
    .flatMap((a) => [Date.parse(a.window.start), Date.parse(a.time)])
    .filter(Number.isFinite);
  const t0 = times.length > 0 ? Math.min(...times) : 0;
  const t1 = times.length > 0 ? Math.max(...times) : 1;
  const span = Math.max(1, t1 - t0);
  const W = 900;
  const LEFT = 220;
  const ROW = 22;
  const rows = principals.slice(0, MAX_ROWS);
  const H = 40 + rows.length * ROW;
  const x = (t: number): number => LEFT + ((t - t0) / span) * (W - LEFT - 20);
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="alert timelines per principal">`,
  ];
  svg.push(`<text x="${LEFT}" y="14" class="axis">${escapeHtml(new Date(t0).toISOString())}</text>`);
  svg.push(
    `<text x="${W - 20}" y="14" class="axis" text-anchor="end">${escapeHtml(new Date(t1).toISOString())}</text>`,
  );
  rows.forEach(([principal, list], i) => {
    const y = 30 + i * ROW;
    svg.push(
      `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" class="label">${escapeHtml(principal.slice(0, 32))}</text>`,
    );
    svg.push(`<line x1="${LEFT}" y1="${y}" x2="${W - 20}" y2="${y}" class="track"/>`);
    for (const a of list) {
      const s = Date.parse(a.window.start);
      const e = Date.parse(a.time);
      const color = COLORS[a.severity] ?? '#6b7280';
      const tip = escapeHtml(
        `${a.time} ${a.severity} ${a.ruleId} ${a.atlas.techniques.join(', ')}: ${a.message}`,
      );
      if (Number.isFinite(s) && e - s > 0) {
        svg.push(
          `<rect x="${x(s).toFixed(1)}" y="${y - 4}" width="${Math.max(2, x(e) - x(s)).toFixed(1)}" height="8" fill="${color}" opacity="0.35"><title>${tip}</title></rect>`,
        );
      }
      svg.push(
        `<circle cx="${x(e).toFixed(1)}" cy="${y}" r="5" fill="${color}"><title>${tip}</title></circle>`,
      );
    }
  });
  svg.push('</svg>');
  const bySeverity = new Map<string, number>();
  const byTechnique = new Map<string, number>();
  for (const a of alerts) {
    bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1);
    for (const t of a.atlas.techniques) byTechnique.set(t, (byTechnique.get(t) ?? 0) + 1);
  }
  const li = (m: Map<string, number>): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, v]) => `<li><code>${escapeHtml(k)}</code> ${v}</li>`)
      .join('');
  const table = [...alerts]
    .sort((a, b) => a.time.localeCompare(b.time))
    .slice(0, MAX_TABLE)
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.time)}</td><td class="sev-${escapeHtml(a.severity)}">${escapeHtml(a.severity)}</td><td>${escapeHtml(a.ruleId)}</td><td>${escapeHtml(a.principal)}</td><td>${a.atlas.techniques
          .map(
            (t) =>
              `<a href="https://atlas.mitre.org/techniques/${encodeURIComponent(t)}">${escapeHtml(t)}</a>`,
          )
          .join(
            ' ',
          )}</td><td>${escapeHtml(a.message)}</td><td><code>${escapeHtml(JSON.stringify(a.evidence).slice(0, 400))}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}code{font-size:12px;word-break:break-all}
.axis{font-size:11px;fill:#6b7280}.label{font-size:12px;fill:#111}.track{stroke:#e5e7eb}
.sev-critical,.sev-high{color:#b91c1c;font-weight:600}.sev-medium{color:#b45309}.cols{display:flex;gap:48px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${alerts.length} alerts for ${byPrincipal.size} principals${options.source !== undefined ? ` from <code>${escapeHtml(options.source)}</code>` : ''}${options.malformedAlertLines ? `; ${options.malformedAlertLines} unreadable alert lines skipped` : ''}.</p>
<div class="cols"><div><h2>By severity</h2><ul>${li(bySeverity)}</ul></div><div><h2>By ATLAS technique</h2><ul>${li(byTechnique)}</ul></div></div>
<h2>Timelines per principal${principals.length > MAX_ROWS ? ` (top ${MAX_ROWS} of ${principals.length})` : ''}</h2>
${svg.join('\n')}
<h2>Alerts${alerts.length > MAX_TABLE ? ` (first ${MAX_TABLE})` : ''}</h2>
<table><thead><tr><th>time</th><th>severity</th><th>rule</th><th>principal</th><th>ATLAS</th><th>message</th><th>evidence</th></tr></thead><tbody>
${table}
</tbody></table>
</body></html>
`;
}
