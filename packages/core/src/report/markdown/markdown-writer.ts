import type { Assessment, LedgerEntry } from '../../assess/assessment-types.js';
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
  riskDecisions,
  risksOfElement,
  scenarioGapControls,
  tacticNames,
  tacticSummaries,
  techniqueLabel,
} from '../matrix/report-digest.js';
import type { AssessmentWriter } from '../writer-types.js';
import { mdTable, mdText } from './markdown-escape.js';

const pct = (x: number): string => `${String(Math.round(x * 100))} %`;
// IDs and paths go in code spans only when they hold nothing Markdown could act on; anything else from
// the model (an asset ID with markup or line breaks, say) is escaped as plain text instead.
const SAFE_CODE = /^[\w .,:/@+=#~()-]{1,200}$/;
const code = (id: string): string => (SAFE_CODE.test(id) ? `\`${id}\`` : mdText(id));
const ids = (list: readonly string[]): string => list.map(code).join(', ') || '—';

function header(a: Assessment): string[] {
  const s = a.system;
  return [
    `# Threat model: ${mdText(s.name)}`,
    '',
    `ATLAS ${mdText(a.atlas.version)} · assessed on ${mdText(a.assessedOn)} · model ${code(a.source)} · ` +
      `policy ${mdText(a.policy.name)} · AtlasGuard ${mdText(a.tool.version)}`,
    ...(s.description !== undefined ? ['', mdText(s.description)] : []),
  ];
}

function summary(a: Assessment, catalog: Catalog): string[] {
  const c = a.coverage;
  const counts = residualCounts(a);
  const top = a.risks
    .slice(0, 3)
    .map(
      (r) =>
        `${code(r.techniqueId)} ${mdText(techniqueLabel(catalog, r.techniqueId, r.name))} (${r.residual.level})`,
    );
  const lines = [
    '## Executive summary',
    '',
    `- **${String(c.techniques)} techniques assessed:** ${String(c.applies)} apply, ${String(c.unknown)} ` +
      `unknown, ${String(c.notApplicable)} not applicable (${pct(c.decided)} decided).`,
    `- **Residual risk:** ${String(counts.critical)} critical, ${String(counts.high)} high, ` +
      `${String(counts.medium)} medium, ${String(counts.low)} low.`,
    `- **Top risks:** ${top.join('; ') || 'none'}.`,
    `- **Mitigated:** ${pct(c.mitigated)} of applicable techniques have an implemented ATLAS mitigation; ` +
      `${String(c.gaps)} have no ATLAS mitigation at all (compensating controls below).`,
    `- **Verification:** ${String(c.questions.attached)} questions attached, ${String(c.questions.answered)} ` +
      `answered, ${String(c.questions.passed)} passed.`,
  ];
  if (a.gate)
    lines.push(
      `- **CI gate** (fail on ${mdText(a.gate.failOn)}): ${a.gate.failed ? '**failed**' : 'passed'}; ` +
        `blocking ${ids(a.gate.blocking)}; excused by a risk decision ${ids(a.gate.excused)}.`,
    );
  if (c.unknownToRules.length > 0)
    lines.push(`- **Unknown to the rules** (newer ATLAS release?): ${ids(c.unknownToRules)}.`);
  return lines;
}

function system(a: Assessment): string[] {
  const s = a.system;
  const owners = s.owners.map((o) => mdText(o.role !== undefined ? `${o.name} (${o.role})` : o.name));
  return [
    '## System',
    '',
    ...mdTable(
      ['Sector', 'Criticality', 'Risk appetite', 'Regulations', 'Data classes', 'Owners'],
      [
        [
          mdText(s.sector),
          mdText(s.criticality),
          mdText(s.riskAppetite),
          s.regulations.map(mdText).join(', '),
          s.dataClasses.map(mdText).join(', '),
          owners.join(', '),
        ],
      ],
    ),
    '',
    ...mdTable(
      ['Asset', 'Name', 'Element', 'Kind'],
      s.assets.map((x) => [code(x.id), mdText(x.name), x.element, mdText(x.kind)]),
    ),
  ];
}

function register(a: Assessment, catalog: Catalog): string[] {
  return [
    '## Risk register',
    '',
    'Ranked by residual risk. Status `accepted` / `transferred` / `avoided` comes from a risk decision in the model.',
    '',
    ...mdTable(
      [
        '#',
        'Technique',
        'Tactics',
        'Elements',
        'Inherent',
        'Residual',
        'Status',
        'In place',
        'Missing',
        'Seen in',
      ],
      a.risks.map((r) => [
        String(r.rank),
        `${code(r.techniqueId)} ${mdText(techniqueLabel(catalog, r.techniqueId, r.name))}` +
          (r.decision === 'unknown' ? ' (unknown)' : ''),
        tacticNames(catalog, r.tactics).map(mdText).join(', '),
        r.elements.join(', '),
        `${r.inherent.level} (${String(r.inherent.score)})`,
        `**${r.residual.level}** (${String(r.residual.score)})`,
        r.status,
        ids(r.mitigationsInPlace),
        ids(r.mitigationsMissing),
        `${plural(r.realWorld.incidents, 'incident')}, ${plural(r.realWorld.exercises, 'exercise')}`,
      ]),
    ),
  ];
}

function tactics(a: Assessment, catalog: Catalog): string[] {
  return [
    '## Matrix by tactic',
    '',
    'Techniques (with sub-techniques) per ATLAS tactic in matrix order, and the residual levels of those in scope.',
    '',
    ...mdTable(
      ['Tactic', 'Techniques', 'In scope', 'Critical', 'High', 'Medium', 'Low'],
      tacticSummaries(a, catalog).map((t) => [
        mdText(t.name),
        String(t.techniques),
        String(t.inScope),
        String(t.residual.critical),
        String(t.residual.high),
        String(t.residual.medium),
        String(t.residual.low),
      ]),
    ),
  ];
}

function decisions(a: Assessment, catalog: Catalog): string[] {
  const entries = riskDecisions(a);
  if (entries.length === 0) return [];
  return [
    '## Risk decisions',
    '',
    ...mdTable(
      ['Technique', 'Treatment', 'Approver', 'Reason', 'Expires', 'State'],
      entries.map((e) => [
        `${code(e.techniqueId)} ${mdText(techniqueLabel(catalog, e.techniqueId, e.name))}`,
        e.treatment?.treatment ?? '',
        mdText(e.treatment?.approver ?? ''),
        mdText(e.treatment?.reason ?? ''),
        mdText(e.treatment?.expires ?? ''),
        e.treatment?.active === true ? 'active' : '**expired — counts again**',
      ]),
    ),
  ];
}

function elements(a: Assessment, catalog: Catalog): string[] {
  const lines = ['## By element'];
  const perAsset = assetRiskDigest(a);
  for (const element of ELEMENTS) {
    const summary = a.elements.find((e) => e.element === element);
    const assets = a.system.assets.filter((x) => x.element === element);
    lines.push(
      '',
      `### ${element[0]?.toUpperCase() ?? ''}${element.slice(1)}`,
      '',
      `${String(assets.length)} assets (${assets.map((x) => mdText(x.name)).join(', ') || 'none'}); ` +
        `${String(summary?.applies ?? 0)} techniques apply, ${String(summary?.unknown ?? 0)} unknown.`,
    );
    const risks = risksOfElement(a, element);
    if (risks.length > 0) lines.push('');
    for (const r of risks) {
      const own = r.assetRisks.filter((x) => assets.some((asset) => asset.id === x.asset));
      const where =
        own.length > 0
          ? own.map((x) => `${code(x.asset)} ${String(x.residual.score)}`).join(', ')
          : r.assets.map(code).join(', ') || '—';
      lines.push(
        `- ${code(r.techniqueId)} ${mdText(techniqueLabel(catalog, r.techniqueId, r.name))} — residual **${r.residual.level}** ` +
          `(${String(r.residual.score)}), ${r.status}; assets ${where}`,
      );
    }
    const rows = assets.map((asset) => ({ asset, digest: perAsset.get(asset.id) })).filter((x) => x.digest);
    if (rows.length > 0) {
      lines.push(
        '',
        ...mdTable(
          ['Asset', 'Applies', 'Not applicable', 'Unknown', 'Highest residual risks'],
          rows.map(({ asset, digest }) => [
            `${mdText(asset.name)} (${code(asset.id)})`,
            String(digest?.applies ?? 0),
            String(digest?.notApplicable ?? 0),
            String(digest?.unknown ?? 0),
            (digest?.top ?? [])
              .map((t) => `${code(t.techniqueId)} ${String(t.score)} ${t.level}`)
              .join(', ') || '—',
          ]),
        ),
      );
    }
  }
  return lines;
}

function scenarios(a: Assessment, catalog: Catalog): string[] {
  const lines = ['## Attack scenarios'];
  if (a.scenarios.length === 0) lines.push('', 'No scenario could be built from the applicable techniques.');
  for (const s of a.scenarios) {
    lines.push(
      '',
      `### ${mdText(s.id)} ${mdText(s.title)} (${s.level})`,
      '',
      mdText(s.narrative),
      '',
      `Seeded by ${code(s.seed.caseStudyId)} ${mdText(s.seed.name)} (similarity ${pct(s.seed.similarity)}).`,
      '',
    );
    s.steps.forEach((step, i) => {
      const level = step.residualLevel ? ` — residual ${step.residualLevel}` : '';
      lines.push(
        `${String(i + 1)}. **${mdText(step.tacticName)}** — ${code(step.techniqueId)} ` +
          mdText(techniqueLabel(catalog, step.techniqueId, step.techniqueName)) +
          ` (${step.assets.map(code).join(', ') || 'system'}): ${mdText(step.narrative)}${level}`,
      );
    });
    if (s.breakers.length > 0) lines.push('', 'Controls that break the chain:', '');
    for (const b of s.breakers)
      lines.push(`- ${code(b.mitigationId)} ${mdText(b.name)} (${b.status}) stops ${ids(b.breaks)}`);
    const controls = scenarioGapControls(a, s);
    if (controls.length > 0) lines.push('', 'Where ATLAS has no mitigation, compensating controls:', '');
    for (const c of controls) lines.push(`- ${code(c.id)} ${mdText(c.title)} stops ${ids(c.breaks)}`);
  }
  return lines;
}

function gaps(a: Assessment, catalog: Catalog): string[] {
  const entries = a.ledger.filter((e) => e.gap && e.decision !== 'not-applicable');
  const lines = ['## Gaps: no ATLAS mitigation', ''];
  if (entries.length === 0)
    return [...lines, 'Every applicable technique has at least one ATLAS mitigation.'];
  return [
    ...lines,
    ...mdTable(
      ['Technique', 'Residual', 'Compensating controls'],
      entries.map((e: LedgerEntry) => [
        `${code(e.techniqueId)} ${mdText(techniqueLabel(catalog, e.techniqueId, e.name))}`,
        e.residual ? `${e.residual.level} (${String(e.residual.score)})` : '—',
        e.compensatingControls.map((c) => `${code(c.id)} ${mdText(c.title)}`).join('; ') || '—',
      ]),
    ),
  ];
}

function mitigationPlan(a: Assessment, catalog: Catalog): string[] {
  const ledger = new Map(a.ledger.map((e) => [e.techniqueId, e]));
  const lines = [
    '## Mitigations per risk',
    '',
    'For each risk in register order: the ATLAS mitigations, their status in this system and how ATLAS says ' +
      'each applies to the technique.',
  ];
  for (const r of a.risks) {
    const entry = ledger.get(r.techniqueId);
    lines.push(
      '',
      `### ${code(r.techniqueId)} ${mdText(techniqueLabel(catalog, r.techniqueId, r.name))} — residual ` +
        `${r.residual.level} (${String(r.residual.score)})`,
      '',
    );
    const ms = entry?.mitigations ?? [];
    if (ms.length === 0) {
      const controls = entry?.compensatingControls.map((c) => `${code(c.id)} ${mdText(c.title)}`) ?? [];
      lines.push(`No ATLAS mitigation. Compensating controls: ${controls.join('; ') || 'none listed'}.`);
      continue;
    }
    lines.push(
      ...mdTable(
        ['Mitigation', 'Status', 'From', 'How it applies here (ATLAS)', 'Evidence'],
        ms.map((m) => [
          `${code(m.id)} ${mdText(m.name)}`,
          m.status + (m.reason ? ` — ${mdText(m.reason)}` : ''),
          m.source,
          mdText(plainUse(m.use)),
          m.evidence.map(mdText).join(', ') || '—',
        ]),
      ),
    );
  }
  return lines;
}

function controls(a: Assessment): string[] {
  const digest = compensatingControlDigest(a);
  if (digest.length === 0) return [];
  const lines = [
    '## Compensating controls',
    '',
    'AtlasGuard’s own controls for techniques ATLAS has no mitigation for.',
  ];
  for (const d of digest) {
    lines.push('', `### ${code(d.id)} ${mdText(d.title)}`, '');
    if (d.control) {
      lines.push(
        `- What to do: ${mdText(d.control.control)}`,
        `- How to verify: ${mdText(d.control.verification)}`,
        `- Owner: ${PERSONA_LABELS[d.control.persona]} · element ${d.control.element}` +
          (d.control.command ? ` · evidence from ${code(`atlasguard ${d.control.command}`)}` : ''),
      );
    }
    lines.push(`- Covers here: ${ids(d.techniques)}`);
  }
  return lines;
}

function checklist(a: Assessment): string[] {
  const lines = ['## Verification checklist'];
  for (const group of checklistByPersona(a)) {
    lines.push('', `### ${PERSONA_LABELS[group.persona]}`, '');
    for (const { use, question } of group.items) {
      const box = use.answer === 'yes' ? '[x]' : '[ ]';
      lines.push(
        `- ${box} **${code(use.id)}** ${question ? mdText(question.text) : '(not in this content release)'}`,
      );
      lines.push(
        `  - Answer: ${answerMark(use.answer)}${use.evidence ? ` — evidence ${code(use.evidence)}` : ''}`,
      );
      if (question) {
        lines.push(`  - Pass when: ${mdText(question.passCriteria)}`);
        const command = question.command ? ` (produced by ${code(`atlasguard ${question.command}`)})` : '';
        lines.push(`  - Evidence: ${mdText(question.evidence)}${command}`);
        lines.push(`  - Element ${question.element} · stage ${mdText(question.lifecycle)}`);
      }
      lines.push(`  - Verifies: ${ids(use.techniques)}`);
    }
  }
  return lines;
}

function caseStudies(a: Assessment): string[] {
  const digest = caseStudyDigest(a);
  const lines = [
    '## Case studies',
    '',
    'Real-world evidence for the applicable techniques, most similar first.',
    '',
  ];
  if (digest.length === 0) return [...lines, 'No case study uses an applicable technique.'];
  return [
    ...lines,
    ...mdTable(
      ['Case study', 'Type', 'Year', 'Similarity', 'Shared traits', 'Techniques here'],
      digest.map((d) => [
        `${code(d.ref.id)} ${mdText(d.ref.name)}`,
        d.ref.type,
        d.ref.year !== undefined ? String(d.ref.year) : '—',
        pct(d.ref.similarity),
        d.ref.matched.map(mdText).join(', ') || '—',
        ids(d.techniques),
      ]),
    ),
  ];
}

function ledger(a: Assessment): string[] {
  return [
    '## Applicability ledger',
    '',
    `Every technique of ATLAS ${mdText(a.atlas.version)} with its decision and the reason for it.`,
    '',
    ...mdTable(
      ['Technique', 'Name', 'Maturity', 'Decision', 'Reason'],
      a.ledger.map((e) => [
        code(e.techniqueId),
        mdText(e.name),
        e.maturity,
        e.decision,
        mdText(e.reason) + (e.decidingQuestion ? ` (decided by ${code(e.decidingQuestion)})` : ''),
      ]),
    ),
  ];
}

function baseline(a: Assessment): string[] {
  const b = a.baseline;
  if (!b) return [];
  const list = (xs: ReadonlyArray<{ id: string; level: string; score: number }>) =>
    xs.map((x) => `${code(x.id)} ${x.level} (${String(x.score)})`).join(', ') || 'none';
  return [
    '## Changes since the baseline',
    '',
    `Baseline ${code(b.baseline)}.`,
    '',
    `- New: ${list(b.new)}`,
    `- Resolved: ${list(b.resolved)}`,
    `- Changed: ${
      b.changed
        .map(
          (c) =>
            `${code(c.id)} ${c.from.level} (${String(c.from.score)}) → ${c.to.level} (${String(c.to.score)})`,
        )
        .join(', ') || 'none'
    }`,
  ];
}

function warnings(a: Assessment): string[] {
  if (a.warnings.length === 0) return [];
  return ['## Warnings', '', ...a.warnings.map((w) => `- ${mdText(w)}`)];
}

/** The assessment as a Markdown report (GitHub-flavoured tables; every model string escaped). */
export const writeMarkdown: AssessmentWriter = (assessment, catalog) => {
  const sections = [
    header(assessment),
    summary(assessment, catalog),
    baseline(assessment),
    system(assessment),
    register(assessment, catalog),
    decisions(assessment, catalog),
    tactics(assessment, catalog),
    elements(assessment, catalog),
    scenarios(assessment, catalog),
    mitigationPlan(assessment, catalog),
    gaps(assessment, catalog),
    controls(assessment),
    checklist(assessment),
    caseStudies(assessment),
    ledger(assessment),
    warnings(assessment),
  ].filter((s) => s.length > 0);
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
};
