import type { Assessment, Catalog, RiskLevel } from '@atlasguard/core';
import type { Colors } from '../output/colors.js';
import { paintSeverity } from '../output/colors.js';

const pct = (n: number): string => `${String(Math.round(n * 100))} %`;

/** `Parent: Sub` for sub-techniques, whose own names ("Data", "Model") say little alone. */
function fullName(catalog: Catalog, id: string, name: string): string {
  const parent = catalog.technique(id)?.parent;
  const parentName = parent === undefined ? undefined : catalog.technique(parent)?.name;
  return parentName === undefined ? name : `${parentName}: ${name}`;
}

/**
 * The terminal summary of an assessment: coverage of the ATLAS release, per-element counts, the top risks,
 * scenarios, baseline changes and the gate. The full detail is in the other formats.
 */
export function renderAssessmentText(
  assessment: Assessment,
  catalog: Catalog,
  colors: Colors,
  top: number,
): string {
  const out: string[] = [];
  const level = (l: RiskLevel, text: string = l): string => paintSeverity(colors, l, text);
  const c = assessment.coverage;
  out.push(colors.bold(`${assessment.system.name} (${assessment.system.id})`));
  out.push(
    `  ${assessment.system.sector}, criticality ${assessment.system.criticality}, ` +
      `${String(assessment.system.assets.length)} assets, ATLAS ${assessment.atlas.version}, assessed on ${assessment.assessedOn}`,
  );
  out.push('');
  out.push(colors.bold('Decision coverage'));
  out.push(
    `  ${String(c.techniques)} techniques decided: ${String(c.applies)} apply, ${String(c.notApplicable)} not applicable, ` +
      `${String(c.unknown)} unknown (${pct(c.decided)} decided)`,
  );
  if (c.unknownToRules.length > 0) {
    out.push(
      `  ${String(c.unknownToRules.length)} techniques no rule knows (reported as unknown): ${c.unknownToRules.slice(0, 8).join(', ')}`,
    );
  }
  out.push(
    `  mitigated: ${pct(c.mitigated)} of applicable techniques have an implemented mitigation; ` +
      `${String(c.gaps)} have no ATLAS mitigation (see compensating controls)`,
  );
  out.push(
    `  questions: ${String(c.questions.attached)} to verify, ${String(c.questions.answered)} answered, ${String(c.questions.passed)} passed`,
  );
  out.push('');
  out.push(colors.bold('Per element'));
  out.push(
    `  ${'element'.padEnd(12)} ${'assets'.padStart(6)} ${'applies'.padStart(7)} ${'unknown'.padStart(7)}  residual critical/high/medium/low`,
  );
  for (const e of assessment.elements) {
    out.push(
      `  ${e.element.padEnd(12)} ${String(e.assets).padStart(6)} ${String(e.applies).padStart(7)} ${String(e.unknown).padStart(7)}  ` +
        `${level('critical', String(e.residual.critical))}/${level('high', String(e.residual.high))}/` +
        `${level('medium', String(e.residual.medium))}/${level('low', String(e.residual.low))}`,
    );
  }
  out.push('');
  out.push(colors.bold(`Top ${String(Math.min(top, assessment.risks.length))} risks (by residual risk)`));
  for (const r of assessment.risks.slice(0, top)) {
    const status = r.status === 'open' ? '' : colors.dim(` [${r.status}]`);
    const unknown = r.decision === 'unknown' ? colors.dim(' (undecided)') : '';
    out.push(
      `  ${String(r.rank).padStart(3)}. ${level(r.residual.level, r.residual.level.padEnd(8))} ${String(r.residual.score).padStart(2)}` +
        `  ${colors.cyan(r.techniqueId.padEnd(13))} ${fullName(catalog, r.techniqueId, r.name)}${unknown}${status}`,
    );
    const tactic = r.tactics.map((t) => catalog.tactic(t)?.name ?? t).join(', ');
    const missing =
      r.mitigationsMissing.length > 0 ? `; to do: ${r.mitigationsMissing.slice(0, 3).join(', ')}` : '';
    // per asset: its own residual score where the engine decided the technique for that asset
    const perAsset =
      r.assetRisks.length > 0 ? r.assetRisks.map((a) => `${a.asset} ${String(a.residual.score)}`) : r.assets;
    out.push(
      colors.dim(
        `       ${tactic}; ${r.elements.join(', ') || 'system'}${perAsset.length > 0 ? ` (${perAsset.slice(0, 4).join(', ')}${perAsset.length > 4 ? ', …' : ''})` : ''}${missing}`,
      ),
    );
  }
  if (assessment.scenarios.length > 0) {
    out.push('');
    out.push(colors.bold('Attack scenarios'));
    for (const s of assessment.scenarios) {
      out.push(`  ${s.id} ${level(s.level, s.level)} ${s.title}`);
      out.push(colors.dim(`     ${s.steps.map((x) => x.techniqueId).join(' → ')}`));
      const open = s.breakers.filter((b) => b.status !== 'implemented').slice(0, 3);
      if (open.length > 0)
        out.push(
          colors.dim(`     break it with: ${open.map((b) => `${b.mitigationId} ${b.name}`).join('; ')}`),
        );
    }
  }
  if (assessment.baseline) {
    const b = assessment.baseline;
    out.push('');
    out.push(colors.bold(`Since ${b.baseline}`));
    out.push(
      `  ${String(b.new.length)} new, ${String(b.resolved.length)} resolved, ${String(b.changed.length)} changed`,
    );
    for (const n of b.new.slice(0, top)) out.push(`  + ${n.id} ${level(n.level)} ${String(n.score)}`);
    for (const n of b.resolved.slice(0, top)) out.push(`  - ${n.id} (was ${n.level} ${String(n.score)})`);
    for (const n of b.changed.slice(0, top)) {
      out.push(
        `  ~ ${n.id} ${n.from.level} ${String(n.from.score)} ${n.from.status} → ${level(n.to.level)} ${String(n.to.score)} ${n.to.status}`,
      );
    }
  }
  if (assessment.gate) {
    const g = assessment.gate;
    out.push('');
    out.push(
      g.failed
        ? colors.red(
            `Gate failed: ${String(g.blocking.length)} risk(s) at or above ${g.failOn}: ${g.blocking.slice(0, 10).join(', ')}`,
          )
        : colors.green(`Gate passed: no open risk at or above ${g.failOn}`),
    );
    if (g.excused.length > 0)
      out.push(colors.dim(`  excused by unexpired decisions: ${g.excused.join(', ')}`));
  }
  for (const w of assessment.warnings.slice(0, 20)) out.push(colors.yellow(`warning: ${w}`));
  out.push('');
  out.push(
    colors.dim('Details: --format md|html|json|csv|sarif|navigator, --explain ID for a factor breakdown.'),
  );
  return `${out.join('\n')}\n`;
}
