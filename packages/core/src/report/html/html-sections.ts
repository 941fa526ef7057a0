import type { Assessment, RiskLevel } from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import { PERSONA_LABELS } from '../../content/questions/question-schema.js';
import { ELEMENTS } from '../../findings/finding.js';
import {
  answerMark,
  assetRiskDigest,
  caseStudyDigest,
  checklistByPersona,
  compensatingControlDigest,
  plainUse,
  plural,
  residualCounts,
  riskAnchor,
  riskDecisions,
  risksOfElement,
  scenarioGapControls,
  tacticNames,
  tacticSummaries,
  techniqueLabel,
} from '../matrix/report-digest.js';
import { escapeHtml, htmlAnchor } from './html-escape.js';

const pct = (x: number): string => `${String(Math.round(x * 100))} %`;
const codes = (ids: readonly string[]): string =>
  ids.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ') || '—';
const level = (l: RiskLevel, score?: number): string =>
  `<span class="badge h-${l}">${l}${score === undefined ? '' : ` ${String(score)}`}</span>`;
const table = (head: readonly string[], rows: ReadonlyArray<readonly string[]>): string =>
  `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
  rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
  `</tbody></table>`;
const card = (n: string, label: string): string =>
  `<div class="card"><div class="n">${n}</div><div class="l">${escapeHtml(label)}</div></div>`;

export function summarySection(a: Assessment, catalog: Catalog): string {
  const c = a.coverage;
  const counts = residualCounts(a);
  const top = a.risks
    .slice(0, 5)
    .map(
      (r) =>
        `<li>${level(r.residual.level, r.residual.score)} <code>${escapeHtml(r.techniqueId)}</code> ` +
        `${escapeHtml(techniqueLabel(catalog, r.techniqueId, r.name))} — ${escapeHtml(r.status)}</li>`,
    )
    .join('');
  const gate = a.gate
    ? `<p><strong>CI gate</strong> (fail on ${escapeHtml(a.gate.failOn)}): ${a.gate.failed ? '<strong>failed</strong>' : 'passed'}` +
      ` — blocking ${codes(a.gate.blocking)}; excused by a risk decision ${codes(a.gate.excused)}.</p>`
    : '';
  return (
    `<section id="summary"><h2>Executive summary</h2><div class="cards">` +
    card(String(c.techniques), `ATLAS techniques assessed (${pct(c.decided)} decided)`) +
    card(String(c.applies), 'apply to this system') +
    card(String(c.unknown), 'unknown — need an answer') +
    card(String(counts.critical + counts.high), 'critical or high residual risks') +
    card(pct(c.mitigated), 'of applicable techniques mitigated') +
    card(String(c.gaps), 'applicable without ATLAS mitigation') +
    card(`${String(c.questions.passed)}/${String(c.questions.attached)}`, 'verification questions passed') +
    `</div><p>Residual risk: ${level('critical')} ${String(counts.critical)} · ${level('high')} ` +
    `${String(counts.high)} · ${level('medium')} ${String(counts.medium)} · ${level('low')} ${String(counts.low)}</p>` +
    `${gate}<h3>Top risks</h3><ol>${top || '<li>none</li>'}</ol></section>`
  );
}

export function systemSection(a: Assessment): string {
  const s = a.system;
  return (
    `<section id="system"><h2>System</h2>` +
    table(
      ['Sector', 'Criticality', 'Risk appetite', 'Regulations', 'Data classes', 'Owners'],
      [
        [
          escapeHtml(s.sector),
          escapeHtml(s.criticality),
          escapeHtml(s.riskAppetite),
          escapeHtml(s.regulations.join(', ')),
          escapeHtml(s.dataClasses.join(', ')),
          escapeHtml(
            s.owners.map((o) => (o.role === undefined ? o.name : `${o.name} (${o.role})`)).join(', '),
          ),
        ],
      ],
    ) +
    `</section>`
  );
}

export function elementSections(a: Assessment, catalog: Catalog): string {
  const perAsset = assetRiskDigest(a);
  const parts = ELEMENTS.map((element) => {
    const assets = a.system.assets.filter((x) => x.element === element);
    const summary = a.elements.find((e) => e.element === element);
    const risks = risksOfElement(a, element);
    const assetRows = assets.map((x) => {
      const d = perAsset.get(x.id);
      return [
        `<code>${escapeHtml(x.id)}</code>`,
        escapeHtml(x.name),
        escapeHtml(x.kind),
        d === undefined ? '—' : `${String(d.applies)} / ${String(d.notApplicable)} / ${String(d.unknown)}`,
        d === undefined || d.top.length === 0
          ? '—'
          : d.top
              .map((t) => `${level(t.level, t.score)} <code>${escapeHtml(t.techniqueId)}</code>`)
              .join(' '),
      ];
    });
    const riskRows = risks.map((r) => {
      const own = r.assetRisks.filter((x) => assets.some((asset) => asset.id === x.asset));
      return [
        level(r.residual.level, r.residual.score),
        `<code>${escapeHtml(r.techniqueId)}</code> ${escapeHtml(techniqueLabel(catalog, r.techniqueId, r.name))}`,
        escapeHtml(r.status),
        own.length > 0
          ? own
              .map((x) => `<code>${escapeHtml(x.asset)}</code> ${level(x.residual.level, x.residual.score)}`)
              .join(' ')
          : codes(r.assets),
      ];
    });
    return (
      `<h3 id="element-${element}">${escapeHtml(element[0]?.toUpperCase() ?? '')}${escapeHtml(element.slice(1))}</h3>` +
      `<p>${plural(assets.length, 'asset')}; ${String(summary?.applies ?? 0)} techniques apply, ` +
      `${String(summary?.unknown ?? 0)} unknown.</p>` +
      (assetRows.length > 0
        ? table(
            ['Asset', 'Name', 'Kind', 'Applies / not applicable / unknown', 'Highest residual risks'],
            assetRows,
          )
        : '') +
      (riskRows.length > 0 ? table(['Residual', 'Technique', 'Status', 'Residual by asset'], riskRows) : '')
    );
  });
  return `<section id="elements"><h2>By element</h2>${parts.join('')}</section>`;
}

export function registerSection(a: Assessment, catalog: Catalog): string {
  const rows = a.risks.map((r) => [
    String(r.rank),
    `<code>${escapeHtml(r.techniqueId)}</code> ${escapeHtml(techniqueLabel(catalog, r.techniqueId, r.name))}` +
      (r.decision === 'unknown' ? ' <em>(unknown)</em>' : ''),
    escapeHtml(tacticNames(catalog, r.tactics).join(', ')),
    escapeHtml(r.elements.join(', ')),
    level(r.inherent.level, r.inherent.score),
    level(r.residual.level, r.residual.score),
    escapeHtml(r.status),
    codes(r.mitigationsInPlace),
    codes(r.mitigationsMissing),
    `${plural(r.realWorld.incidents, 'incident')}, ${plural(r.realWorld.exercises, 'exercise')}`,
  ]);
  const head = [
    '#',
    'Technique',
    'Tactics',
    'Elements',
    'Inherent',
    'Residual',
    'Status',
    'In place',
    'Missing',
  ];
  const body = rows
    .map((cells, i) => {
      const id = riskAnchor(a.risks[i]?.techniqueId ?? '');
      return `<tr id="${id}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    })
    .join('');
  return (
    `<section id="register"><h2>Risk register</h2><table><thead><tr>` +
    [...head, 'Seen in'].map((h) => `<th>${escapeHtml(h)}</th>`).join('') +
    `</tr></thead><tbody>${body}</tbody></table></section>`
  );
}

export function scenarioSection(a: Assessment, catalog: Catalog): string {
  const parts = a.scenarios.map((s) => {
    const steps = s.steps
      .map(
        (step) =>
          `<li class="step"><strong>${escapeHtml(step.tacticName)}</strong> — <code>${escapeHtml(step.techniqueId)}</code> ` +
          `${escapeHtml(techniqueLabel(catalog, step.techniqueId, step.techniqueName))} ` +
          `(${codes(step.assets)})${step.residualLevel ? ` ${level(step.residualLevel)}` : ''}: ${escapeHtml(step.narrative)}</li>`,
      )
      .join('');
    const breakers = s.breakers
      .map(
        (b) =>
          `<li><code>${escapeHtml(b.mitigationId)}</code> ${escapeHtml(b.name)} (${escapeHtml(b.status)}) stops ${codes(b.breaks)}</li>`,
      )
      .join('');
    const controls = scenarioGapControls(a, s)
      .map((c) => `<li><code>${escapeHtml(c.id)}</code> ${escapeHtml(c.title)} stops ${codes(c.breaks)}</li>`)
      .join('');
    return (
      `<h3 id="${htmlAnchor(s.id)}">${escapeHtml(s.id)} ${escapeHtml(s.title)} ${level(s.level)}</h3><p>${escapeHtml(s.narrative)}</p>` +
      `<p class="meta">Seeded by <code>${escapeHtml(s.seed.caseStudyId)}</code> ${escapeHtml(s.seed.name)} ` +
      `(similarity ${pct(s.seed.similarity)}).</p><ol>${steps}</ol>` +
      (breakers ? `<p>Controls that break the chain:</p><ul>${breakers}</ul>` : '') +
      (controls ? `<p>Where ATLAS has no mitigation, compensating controls:</p><ul>${controls}</ul>` : '')
    );
  });
  return (
    `<section id="scenarios"><h2>Attack scenarios</h2>` +
    (parts.join('') || '<p>No scenario could be built from the applicable techniques.</p>') +
    `</section>`
  );
}

export function gapSection(a: Assessment, catalog: Catalog): string {
  const rows = a.ledger
    .filter((e) => e.gap && e.decision !== 'not-applicable')
    .map((e) => [
      `<code>${escapeHtml(e.techniqueId)}</code> ${escapeHtml(techniqueLabel(catalog, e.techniqueId, e.name))}`,
      e.residual ? level(e.residual.level, e.residual.score) : '—',
      e.compensatingControls
        .map((c) => `<code>${escapeHtml(c.id)}</code> ${escapeHtml(c.title)}`)
        .join('<br>') || '—',
    ]);
  return (
    `<section id="gaps"><h2>Gaps: no ATLAS mitigation</h2>` +
    (rows.length > 0
      ? table(['Technique', 'Residual', 'Compensating controls'], rows)
      : '<p>Every applicable technique has at least one ATLAS mitigation.</p>') +
    `</section>`
  );
}

export function checklistSection(a: Assessment): string {
  const groups = checklistByPersona(a).map((g) => {
    const items = g.items.map(({ use, question }) => {
      const mark = answerMark(use.answer);
      const detail = question
        ? `<p>${escapeHtml(question.text)}</p><p><strong>Pass when:</strong> ${escapeHtml(question.passCriteria)}</p>` +
          `<p><strong>Evidence:</strong> ${escapeHtml(question.evidence)}` +
          (question.command ? ` — produced by <code>atlasguard ${escapeHtml(question.command)}</code>` : '') +
          `</p><p class="meta">Element ${escapeHtml(question.element)} · stage ${escapeHtml(question.lifecycle)}</p>`
        : '<p>(not in this content release)</p>';
      return (
        `<div class="q"><p><span class="badge a-${mark}">${mark}</span> <code>${escapeHtml(use.id)}</code>` +
        (use.evidence ? ` · evidence <code>${escapeHtml(use.evidence)}</code>` : '') +
        `</p>${detail}<p class="meta">Verifies ${codes(use.techniques)}</p></div>`
      );
    });
    return `<h3>${escapeHtml(PERSONA_LABELS[g.persona])} (${String(g.items.length)})</h3>${items.join('')}`;
  });
  return `<section id="checklist"><h2>Verification checklist by persona</h2>${groups.join('')}</section>`;
}

export function caseStudySection(a: Assessment): string {
  const rows = caseStudyDigest(a).map((d) => [
    `<code>${escapeHtml(d.ref.id)}</code> ${escapeHtml(d.ref.name)}`,
    escapeHtml(d.ref.type),
    d.ref.year === undefined ? '—' : String(d.ref.year),
    pct(d.ref.similarity),
    escapeHtml(d.ref.matched.join(', ')) || '—',
    codes(d.techniques),
  ]);
  return (
    `<section id="case-studies"><h2>Case studies</h2><p class="meta">Real-world evidence for the applicable ` +
    `techniques, most similar to this system first.</p>` +
    (rows.length > 0
      ? table(['Case study', 'Type', 'Year', 'Similarity', 'Shared traits', 'Techniques here'], rows)
      : '<p>No case study uses an applicable technique.</p>') +
    `</section>`
  );
}

export function ledgerSection(a: Assessment): string {
  const rows = a.ledger.map((e) => [
    `<code>${escapeHtml(e.techniqueId)}</code>`,
    escapeHtml(e.name),
    escapeHtml(e.maturity),
    escapeHtml(e.decision),
    escapeHtml(e.reason) +
      (e.decidingQuestion ? ` (decided by <code>${escapeHtml(e.decidingQuestion)}</code>)` : ''),
  ]);
  return (
    `<section id="ledger"><h2>Applicability ledger</h2><details><summary>All ${String(a.ledger.length)} ` +
    `techniques with decision and reason</summary>` +
    table(['Technique', 'Name', 'Maturity', 'Decision', 'Reason'], rows) +
    `</details></section>`
  );
}

export function baselineSection(a: Assessment): string {
  const b = a.baseline;
  if (!b) return '';
  const list = (xs: ReadonlyArray<{ id: string; level: RiskLevel; score: number }>): string =>
    xs.map((x) => `<code>${escapeHtml(x.id)}</code> ${level(x.level, x.score)}`).join(', ') || 'none';
  const changed =
    b.changed
      .map(
        (c) =>
          `<code>${escapeHtml(c.id)}</code> ${level(c.from.level, c.from.score)} → ${level(c.to.level, c.to.score)}`,
      )
      .join(', ') || 'none';
  return (
    `<section id="baseline"><h2>Changes since the baseline</h2><p class="meta">Baseline <code>${escapeHtml(b.baseline)}</code></p>` +
    `<ul><li>New: ${list(b.new)}</li><li>Resolved: ${list(b.resolved)}</li><li>Changed: ${changed}</li></ul></section>`
  );
}

export function warningSection(a: Assessment): string {
  if (a.warnings.length === 0) return '';
  return `<section id="warnings"><h2>Warnings</h2><ul>${a.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>`;
}

export function tacticSection(a: Assessment, catalog: Catalog): string {
  const rows = tacticSummaries(a, catalog).map((t) => [
    escapeHtml(t.name),
    String(t.techniques),
    String(t.inScope),
    String(t.residual.critical),
    String(t.residual.high),
    String(t.residual.medium),
    String(t.residual.low),
  ]);
  return (
    `<h3>By tactic</h3>` +
    table(['Tactic', 'Techniques', 'In scope', 'Critical', 'High', 'Medium', 'Low'], rows)
  );
}

export function decisionSection(a: Assessment, catalog: Catalog): string {
  const entries = riskDecisions(a);
  if (entries.length === 0) return '';
  const rows = entries.map((e) => [
    `<code>${escapeHtml(e.techniqueId)}</code> ${escapeHtml(techniqueLabel(catalog, e.techniqueId, e.name))}`,
    escapeHtml(e.treatment?.treatment ?? ''),
    escapeHtml(e.treatment?.approver ?? ''),
    escapeHtml(e.treatment?.reason ?? ''),
    escapeHtml(e.treatment?.expires ?? ''),
    e.treatment?.active === true ? 'active' : '<strong>expired — counts again</strong>',
  ]);
  return (
    `<section id="decisions"><h2>Risk decisions</h2>` +
    table(['Technique', 'Treatment', 'Approver', 'Reason', 'Expires', 'State'], rows) +
    `</section>`
  );
}

export function mitigationSection(a: Assessment, catalog: Catalog): string {
  const ledger = new Map(a.ledger.map((e) => [e.techniqueId, e]));
  const parts = a.risks.map((r) => {
    const entry = ledger.get(r.techniqueId);
    const ms = entry?.mitigations ?? [];
    const summary =
      `<summary>${level(r.residual.level, r.residual.score)} <code>${escapeHtml(r.techniqueId)}</code> ` +
      `${escapeHtml(techniqueLabel(catalog, r.techniqueId, r.name))} — ${String(ms.length)} ATLAS mitigations</summary>`;
    if (ms.length === 0) {
      const controls =
        entry?.compensatingControls.map((c) => `<code>${escapeHtml(c.id)}</code> ${escapeHtml(c.title)}`) ??
        [];
      return `<details>${summary}<p>No ATLAS mitigation. Compensating controls: ${controls.join('; ') || 'none listed'}.</p></details>`;
    }
    const rows = ms.map((m) => [
      `<code>${escapeHtml(m.id)}</code> ${escapeHtml(m.name)}`,
      escapeHtml(m.status) + (m.reason ? ` — ${escapeHtml(m.reason)}` : ''),
      escapeHtml(m.source),
      escapeHtml(plainUse(m.use)),
      m.evidence.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ') || '—',
    ]);
    return `<details>${summary}${table(['Mitigation', 'Status', 'From', 'How it applies here (ATLAS)', 'Evidence'], rows)}</details>`;
  });
  return (
    `<section id="mitigations"><h2>Mitigations per risk</h2><p class="meta">Register order; open a risk to see ` +
    `its ATLAS mitigations, their status here and how ATLAS says each applies.</p>${parts.join('')}</section>`
  );
}

export function controlSection(a: Assessment): string {
  const digest = compensatingControlDigest(a);
  if (digest.length === 0) return '';
  const items = digest.map((d) => {
    const body = d.control
      ? `<p><strong>What to do:</strong> ${escapeHtml(d.control.control)}</p>` +
        `<p><strong>How to verify:</strong> ${escapeHtml(d.control.verification)}</p>` +
        `<p class="meta">Owner: ${escapeHtml(PERSONA_LABELS[d.control.persona])} · element ${escapeHtml(d.control.element)}` +
        (d.control.command
          ? ` · evidence from <code>atlasguard ${escapeHtml(d.control.command)}</code>`
          : '') +
        `</p>`
      : '';
    return (
      `<div class="q"><p><code>${escapeHtml(d.id)}</code> <strong>${escapeHtml(d.title)}</strong></p>${body}` +
      `<p class="meta">Covers here ${codes(d.techniques)}</p></div>`
    );
  });
  return (
    `<section id="controls"><h2>Compensating controls</h2><p class="meta">AtlasGuard’s own controls for ` +
    `techniques ATLAS has no mitigation for.</p>${items.join('')}</section>`
  );
}
