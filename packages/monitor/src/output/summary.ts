import type { MonitorStats } from '../engine.js';
import type { Evaluation } from '../sim/evaluate.js';
import type { Alert } from '../alert.js';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The human summary of a run (stdout with --format text). */
export function renderSummary(
  stats: MonitorStats,
  alerts: readonly Alert[],
  evaluation?: Evaluation,
): string {
  const lines: string[] = [];
  lines.push(`events      ${stats.events} from ${stats.lines} lines, ${stats.principals} principals`);
  if (stats.firstEventTime !== undefined)
    lines.push(`time range  ${stats.firstEventTime} … ${stats.lastEventTime ?? ''}`);
  lines.push(
    `malformed   ${stats.malformed}${stats.oversizeLines > 0 ? ` (${stats.oversizeLines} over the line limit)` : ''}`,
  );
  for (const s of stats.malformedSamples.slice(0, 10)) lines.push(`  line ${s.line}: ${s.reason}`);
  if (stats.malformed > 10) lines.push(`  … ${stats.malformed - 10} more`);
  lines.push(`alerts      ${stats.alerts} (${stats.suppressedDuplicates} duplicates merged)`);
  for (const [sev, n] of Object.entries(stats.alertsBySeverity)) lines.push(`  ${pad(sev, 10)} ${n}`);
  if (Object.keys(stats.alertsByRule).length > 0) {
    lines.push('by rule');
    for (const [rule, n] of Object.entries(stats.alertsByRule).sort((a, b) => b[1] - a[1]))
      lines.push(`  ${pad(rule, 36)} ${n}`);
  }
  lines.push('detectors   evaluated   skipped    alerts   tracked   state');
  for (const d of stats.detectors) {
    lines.push(
      `  ${pad(d.id, 12)}${pad(String(d.evaluated), 12)}${pad(String(d.skipped), 11)}${pad(String(d.alerts), 9)}${pad(String(d.tracked), 10)}${(d.stateBytes / 1024).toFixed(1)} KiB`,
    );
  }
  const inactive = stats.detectors.filter((d) => d.evaluated === 0 && stats.events > 0);
  if (inactive.length > 0)
    lines.push(
      `note: no event carried the fields ${inactive.map((d) => d.id).join(', ')} need${inactive.length === 1 ? 's' : ''} (see docs/monitor.md, "What to log")`,
    );
  const top = alerts.slice(0, 20);
  if (top.length > 0) {
    lines.push('first alerts');
    for (const a of top)
      lines.push(
        `  ${a.time} ${pad(a.severity, 8)} ${pad(a.ruleId, 32)} ${a.principal}  ${a.atlas.techniques.join(',')}  ${a.message}`,
      );
  }
  if (evaluation) {
    lines.push('evaluation against labels (entity level)');
    lines.push('  kind                    attackers detected recall precision');
    for (const k of evaluation.kinds) {
      lines.push(
        `  ${pad(k.kind, 24)}${pad(String(k.attackers), 10)}${pad(String(k.detected), 9)}${pad(k.recall.toFixed(2), 7)}${k.precision.toFixed(2)}`,
      );
    }
    lines.push(
      `  overall precision ${evaluation.precision.toFixed(3)}, recall ${evaluation.recall.toFixed(3)}`,
    );
    lines.push(
      `  false alerts per 1,000 benign principals: ${evaluation.falseAlertsPer1000BenignPrincipals} (${evaluation.benignPrincipalsAlerted} of ${evaluation.benignPrincipals} benign principals alerted)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
