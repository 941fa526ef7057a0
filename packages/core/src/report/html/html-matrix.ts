import type { Assessment } from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import { assessmentMatrix, type HeatCell } from '../matrix/assessment-matrix.js';
import type { MatrixCell } from '../matrix/matrix-layout.js';
import { riskAnchor } from '../matrix/report-digest.js';
import { escapeHtml } from './html-escape.js';
import { tacticSection } from './html-sections.js';

/** The technique ID, linked to its register row when it is in scope. */
function idOf(c: MatrixCell<HeatCell>): string {
  const inScope = c.value.decision === 'applies' || c.value.decision === 'unknown';
  const id = escapeHtml(c.techniqueId);
  return inScope ? `<b><a href="#${riskAnchor(c.techniqueId)}">${id}</a></b>` : `<b>${id}</b>`;
}

function cell(c: MatrixCell<HeatCell>): string {
  const subs = c.subtechniques
    .map(
      (s) =>
        `<div class="sub h-${s.value.state}" title="${escapeHtml(`${s.techniqueId} ${s.name}: ${s.value.title}`)}">` +
        `${idOf(s)}${escapeHtml(s.name)}</div>`,
    )
    .join('');
  return (
    `<div class="cell h-${c.value.state}" title="${escapeHtml(`${c.techniqueId} ${c.name}: ${c.value.title}`)}">` +
    `${idOf(c)}${escapeHtml(c.name)}${subs}</div>`
  );
}

/** The ATLAS matrix as a heat map of residual risk: tactics as columns in catalog order. */
export function matrixSection(assessment: Assessment, catalog: Catalog): string {
  const layout = assessmentMatrix(assessment, catalog);
  const columns = layout.columns
    .map((col) => {
      const applicable = col.cells.filter((c) => c.value.state !== 'not-applicable').length;
      return (
        `<div class="col"><div class="tactic">${escapeHtml(col.name)}<small>${String(col.cells.length)} techniques` +
        ` · ${String(applicable)} in scope</small></div>${col.cells.map(cell).join('')}</div>`
      );
    })
    .join('');
  const legend = (['critical', 'high', 'medium', 'low', 'unscored', 'not-applicable'] as const)
    .map((s) => `<span class="h-${s}">${s === 'unscored' ? 'in scope, unscored' : s}</span>`)
    .join('');
  return (
    `<section id="matrix"><h2>ATLAS matrix — residual risk</h2>` +
    `<p class="meta">ATLAS ${escapeHtml(layout.atlasVersion)}; each cell is coloured by its residual risk; sub-techniques ` +
    `are nested in their parent. Hover a cell for the decision and reason.</p>` +
    `<div class="legend">${legend}</div><div class="matrix">${columns}</div>` +
    `${tacticSection(assessment, catalog)}</section>`
  );
}
