import type { Assessment, LedgerEntry, RiskFactor, RiskScore } from './assessment-types.js';

/** The ledger entry of a technique, or undefined. */
export function ledgerEntry(assessment: Assessment, techniqueId: string): LedgerEntry | undefined {
  return assessment.ledger.find((e) => e.techniqueId === techniqueId);
}

const fmt = (n: number): string => (Math.round(n * 1000) / 1000).toString();

function factorLine(f: RiskFactor): string {
  const sign = f.points >= 0 ? '+' : '';
  const weight = f.weight > 0 ? ` × weight ${fmt(f.weight)}` : '';
  return `    ${f.factor.padEnd(34)} ${f.input}\n      value ${fmt(f.value)}${weight} → ${sign}${fmt(f.points)}  (${f.explanation})`;
}

function scoreBlock(title: string, score: RiskScore, only?: RiskFactor['dimension']): string[] {
  const lines = [
    `  ${title}: ${score.level} — likelihood ${String(score.likelihood)} × impact ${String(score.impact)} = ${String(score.score)}` +
      `  (raw likelihood ${fmt(score.likelihoodRaw)}, raw impact ${fmt(score.impactRaw)})`,
  ];
  for (const dimension of ['likelihood', 'impact', 'reduction'] as const) {
    if (only !== undefined && dimension !== only) continue;
    const factors = score.factors.filter((f) => f.dimension === dimension);
    if (factors.length === 0) continue;
    lines.push(`   ${dimension}:`);
    for (const f of factors) lines.push(factorLine(f));
  }
  return lines;
}

/**
 * `assess --explain ID`: why a technique was decided as it was, and how its inherent and residual scores
 * were computed, factor by factor. Plain text, one section per part.
 */
export function explainTechnique(assessment: Assessment, techniqueId: string): string | undefined {
  const e = ledgerEntry(assessment, techniqueId);
  if (!e) return undefined;
  const lines: string[] = [];
  lines.push(`${e.techniqueId} ${e.name}  (ATLAS ${assessment.atlas.version}, maturity ${e.maturity})`);
  lines.push(`  decision: ${e.decision} — ${e.reason}`);
  if (e.decidingQuestion !== undefined) lines.push(`  would be decided by: ${e.decidingQuestion}`);
  lines.push(`  rules: ${e.rules.length > 0 ? e.rules.join(', ') : '(none: no rule covers this technique)'}`);
  if (e.trace.length > 0) {
    lines.push('  trace:');
    for (const t of e.trace) lines.push(`    [${t.effect}] ${t.path} = ${t.value} — ${t.note} (${t.ruleId})`);
  }
  if (e.assets.length > 0)
    lines.push(`  assets: ${e.assets.map((a) => `${a.id} (${a.element})`).join(', ')}`);
  if (e.assetDecisions.length > 0) {
    lines.push('  per asset:');
    for (const d of e.assetDecisions) {
      const scores =
        d.inherent && d.residual
          ? ` inherent ${String(d.inherent.score)} → residual ${String(d.residual.score)} (${d.residual.level})`
          : '';
      lines.push(`    ${d.asset} (${d.element}): ${d.decision}${scores} — ${d.reason}`);
      const changed = d.mitigations.filter((m) => m.status === 'implemented' || m.status === 'partial');
      if (changed.length > 0)
        lines.push(`      in place here: ${changed.map((m) => `${m.id} ${m.status}`).join(', ')}`);
    }
  }
  if (e.inherent) lines.push(...scoreBlock('inherent', e.inherent));
  if (e.residual) {
    lines.push(...scoreBlock('residual', e.residual, 'reduction'));
    if (!e.residual.factors.some((f) => f.dimension === 'reduction')) {
      lines.push('   reduction: none (no implemented or partial mitigation, no passed verification)');
    }
  }
  if (e.mitigations.length > 0) {
    lines.push('  mitigations:');
    for (const m of e.mitigations)
      lines.push(
        `    ${m.id} ${m.name}: ${m.status} (${m.source})${m.claimed === undefined ? '' : ` — ${m.reason ?? ''}`}`,
      );
  } else if (e.gap) {
    lines.push('  mitigations: none published by ATLAS (gap)');
    for (const c of e.compensatingControls) lines.push(`    compensating control ${c.id}: ${c.title}`);
  }
  if (e.treatment) {
    lines.push(
      `  decision: ${e.treatment.treatment} by ${e.treatment.approver} until ${e.treatment.expires}` +
        `${e.treatment.active ? '' : ' (EXPIRED: counts again)'} — ${e.treatment.reason}`,
    );
  }
  if (e.questions.length > 0) {
    lines.push(`  questions: ${e.questions.map((q) => `${q.id} (${q.answer})`).join(', ')}`);
  }
  if (e.caseStudies.length > 0) {
    lines.push('  case studies (most similar first):');
    for (const c of e.caseStudies.slice(0, 5)) {
      lines.push(
        `    ${c.id} ${c.name} — ${c.type}${c.year === undefined ? '' : `, ${String(c.year)}`}, similarity ${c.similarity.toFixed(2)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
