import type { ScanReport } from '../scan/scan-types.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

function barChart(
  rows: ReadonlyArray<{ label: string; values: readonly number[]; marker?: number; bad?: boolean }>,
  options: { max: number; series: readonly string[]; colors: readonly string[]; unit?: string },
): string {
  const barH = 14;
  const gap = 6;
  const labelW = 220;
  const width = 640;
  const plotW = width - labelW - 60;
  const groupH = rows.length === 0 ? 0 : options.series.length * barH + gap;
  const height = rows.length * groupH + 24;
  const x = (v: number): number =>
    labelW + Math.max(0, Math.min(1, options.max > 0 ? v / options.max : 0)) * plotW;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y0 = 4 + i * groupH;
    parts.push(
      `<text x="${String(labelW - 6)}" y="${String(y0 + barH - 3)}" text-anchor="end" class="${r.bad ? 'bad' : ''}">${escapeHtml(r.label.length > 32 ? `${r.label.slice(0, 31)}…` : r.label)}</text>`,
    );
    r.values.forEach((v, k) => {
      const y = y0 + k * barH;
      parts.push(
        `<rect x="${String(labelW)}" y="${String(y)}" width="${(x(v) - labelW).toFixed(1)}" height="${String(barH - 2)}" fill="${options.colors[k] ?? '#888'}"><title>${escapeHtml(`${options.series[k] ?? ''}: ${v.toPrecision(3)}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${(x(v) + 4).toFixed(1)}" y="${String(y + barH - 3)}" class="v">${escapeHtml(v.toPrecision(3))}${escapeHtml(options.unit ?? '')}</text>`,
      );
    });
    if (r.marker !== undefined) {
      const mx = x(r.marker).toFixed(1);
      parts.push(
        `<line x1="${mx}" x2="${mx}" y1="${String(y0 - 2)}" y2="${String(y0 + groupH - gap + 2)}" class="thr"/>`,
      );
    }
  });
  const legend = options.series
    .map(
      (s, k) =>
        `<rect x="${String(labelW + k * 140)}" y="${String(height - 14)}" width="10" height="10" fill="${options.colors[k] ?? '#888'}"/><text x="${String(labelW + 14 + k * 140)}" y="${String(height - 5)}">${escapeHtml(s)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" role="img">${parts.join('')}${legend}</svg>`;
}

/** A self-contained HTML report (inline CSS and SVG, no scripts, every value from the data escaped). */
export function renderScanHtml(report: ScanReport): string {
  const e = escapeHtml;
  const verdictClass = report.verdict === 'fail' ? 'bad' : report.inconclusive ? 'warn' : 'ok';
  const verdictText = report.verdict === 'fail' ? 'FAIL' : report.inconclusive ? 'INCONCLUSIVE' : 'PASS';
  const driftRows = report.plots.drift.map((d) => ({
    label: `${d.column} (${d.method})`,
    values: [d.statistic],
    marker: d.threshold,
    bad: d.drifted,
  }));
  const driftMax = Math.max(
    0.2,
    ...report.plots.drift.map((d) => Math.max(d.statistic, d.threshold) * 1.1).filter(Number.isFinite),
  );
  const labelRows = report.plots.labels.map((l) => ({ label: l.label, values: [l.baseline, l.batch] }));
  const clusterRows = report.plots.clusters.map((c) => ({
    label: `row ${String(c.example)}${c.flagged ? ' (flagged)' : ''}`,
    values: [c.size, c.baselineMatches],
    bad: c.flagged,
  }));
  const clusterMax = Math.max(1, ...report.plots.clusters.map((c) => Math.max(c.size, c.baselineMatches)));
  const tokenRows = report.plots.tokens.map((t) => ({
    label: `${t.term} → ${t.label}`,
    values: [t.batchDocs, t.baselineDocs],
    bad: true,
  }));
  const tokenMax = Math.max(1, ...report.plots.tokens.map((t) => Math.max(t.batchDocs, t.baselineDocs)));
  const checks = report.checks
    .map(
      (c) =>
        `<tr class="${c.status === 'fail' ? 'bad' : c.status === 'pass' ? '' : 'warn'}"><td>${e(c.status)}</td><td>${e(c.name)}</td><td>${e(c.method ?? '')}</td><td>${c.statistic !== undefined ? e(c.statistic.toPrecision(4)) : ''}</td><td>${c.threshold !== undefined ? e(String(c.threshold)) : ''}</td><td>${c.count !== undefined ? e(String(c.count)) : ''}</td><td>${e(c.message)}</td></tr>`,
    )
    .join('\n');
  const findings = report.findings
    .slice(0, 2000)
    .map(
      (f) =>
        `<tr class="sev-${e(f.severity)}"><td>${e(f.severity)}</td><td>${f.location?.row !== undefined ? e(String(f.location.row)) : ''}</td><td>${e(f.ruleId)}</td><td>${e(f.message)}${f.evidence ? `<br><small>${e(f.evidence)}</small>` : ''}</td><td>${e([...f.atlas.techniques, ...f.atlas.mitigations].join(' '))}</td></tr>`,
    )
    .join('\n');
  const section = (title: string, body: string, empty: string): string =>
    `<section><h2>${e(title)}</h2>${body === '' ? `<p class="muted">${e(empty)}</p>` : body}</section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>AtlasGuard data scan: ${e(report.batch.path)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d232a;max-width:1100px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:4px;font-weight:700;color:#fff}
.verdict.ok{background:#2e7d32}.verdict.bad{background:#c62828}.verdict.warn{background:#b26a00}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}
tr.bad td:first-child{color:#c62828;font-weight:700}tr.warn td:first-child{color:#b26a00}
.sev-critical td:first-child,.sev-high td:first-child{color:#c62828;font-weight:700}.sev-medium td:first-child{color:#b26a00}
svg text{font-size:11px;fill:#333}svg text.bad{fill:#c62828;font-weight:700}svg .thr{stroke:#c62828;stroke-dasharray:3 2}
.muted{color:#777}code{background:#f4f4f4;padding:0 .2rem}
</style></head><body>
<h1>Data poisoning scan <span class="verdict ${verdictClass}">${verdictText}</span></h1>
<p>Batch <code>${e(report.batch.path)}</code> (${e(report.batch.format)}, ${e(String(report.batch.rows))} rows, ${e(String(report.batch.malformedRows))} malformed, SHA-256 <code>${e(report.batch.sha256)}</code>)
against baseline <code>${e(report.baseline.path)}</code> (${e(report.baseline.kind)}, ${e(String(report.baseline.rows))} rows). Scanned ${e(report.provenance.scannedAt)} by ${e(report.tool.name)} ${e(report.tool.version)}${report.atlasVersion !== undefined ? `, ATLAS ${e(report.atlasVersion)}` : ''}.
${e(String(report.summary.flaggedRows))} row(s) flagged for quarantine.</p>
${report.provenance.manifest ? `<p>Manifest <code>${e(report.provenance.manifest.path)}</code>: ${e(report.provenance.manifest.container)}, signature <b>${e(report.provenance.manifest.signature)}</b>${report.provenance.manifest.source !== undefined ? `, source ${e(report.provenance.manifest.source)}` : ''}.</p>` : ''}
<section><h2>Checks</h2><table><thead><tr><th>Status</th><th>Check</th><th>Method</th><th>Statistic</th><th>Threshold</th><th>Rows</th><th>Detail</th></tr></thead><tbody>
${checks}
</tbody></table></section>
${section('Drift per column (statistic; dashed line = threshold)', driftRows.length > 0 ? barChart(driftRows, { max: driftMax, series: ['statistic'], colors: ['#3b6ea8'] }) : '', 'No comparable columns.')}
${section('Label distribution', labelRows.length > 0 ? barChart(labelRows, { max: Math.max(0.01, ...report.plots.labels.flatMap((l) => [l.baseline, l.batch])), series: ['baseline share', 'batch share'], colors: ['#9aa5b1', '#3b6ea8'] }) : '', 'No label field.')}
${section('Duplicate clusters (largest)', clusterRows.length > 0 ? barChart(clusterRows, { max: clusterMax, series: ['rows in batch cluster', 'similar baseline documents'], colors: ['#c0504d', '#9aa5b1'] }) : '', 'No duplicate clusters.')}
${section('Suspicious terms (possible backdoor triggers)', tokenRows.length > 0 ? barChart(tokenRows, { max: tokenMax, series: ['batch rows', 'baseline rows'], colors: ['#c0504d', '#9aa5b1'] }) : '', 'No suspicious terms.')}
<section><h2>Findings (${e(String(report.findings.length))}${report.findings.length > 2000 ? ', first 2000 shown' : ''})</h2><table><thead><tr><th>Severity</th><th>Row</th><th>Rule</th><th>Message</th><th>ATLAS</th></tr></thead><tbody>
${findings}
</tbody></table></section>
</body></html>
`;
}
