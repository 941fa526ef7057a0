import type { Catalog } from '../atlas/catalog.js';
import type { LedgerEntry, RiskLevel, Scenario, ScenarioBreaker, ScenarioStep } from './assessment-types.js';
import type { RankedCaseStudy } from './similarity.js';
import { yearOf } from './similarity.js';

const MAX_SCENARIOS = 3;
const LEVEL_RANK: Record<RiskLevel, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const GOAL_TACTICS = new Set(['impact', 'exfiltration']);

/**
 * Attack scenarios: for the case studies most similar to the system, replay their procedure on the
 * techniques that apply here, end the chain on the system's worst applicable impact or exfiltration if the
 * study's own goal does not apply, and list the controls that would break each step.
 */
export function buildScenarios(
  catalog: Catalog,
  ledger: readonly LedgerEntry[],
  ranked: readonly RankedCaseStudy[],
): Scenario[] {
  const byId = new Map(ledger.map((e) => [e.techniqueId, e]));
  const applicable = (id: string): LedgerEntry | undefined => {
    const e = byId.get(id);
    if (e?.decision === 'applies') return e;
    const parent = id.split('.').slice(0, 2).join('.');
    const p = byId.get(parent);
    return p?.decision === 'applies' ? p : undefined;
  };
  const shortname = (tacticId: string): string => catalog.tactic(tacticId)?.shortname ?? tacticId;
  const scenarios: Scenario[] = [];
  const signatures = new Set<string>();
  for (const candidate of ranked) {
    if (scenarios.length >= MAX_SCENARIOS) break;
    if (candidate.similarity < 0.3) break;
    const steps: ScenarioStep[] = [];
    const used = new Set<string>();
    for (const step of candidate.study.procedure) {
      const entry = applicable(step.technique);
      if (!entry || used.has(entry.techniqueId)) continue;
      used.add(entry.techniqueId);
      const tacticId = entry.tactics.includes(step.tactic) ? step.tactic : (entry.tactics[0] ?? step.tactic);
      steps.push(
        stepOf(catalog, entry, tacticId, `as in the case study: ${firstSentence(step.description)}`),
      );
    }
    if (steps.length < 2 || new Set(steps.map((s) => s.tacticId)).size < 2) continue;
    const last = steps.at(-1);
    if (last && !GOAL_TACTICS.has(shortname(last.tacticId))) {
      const goal = ledger
        .filter(
          (e) =>
            e.decision === 'applies' &&
            e.residual &&
            !used.has(e.techniqueId) &&
            e.tactics.some((t) => GOAL_TACTICS.has(shortname(t))),
        )
        .sort(
          (a, b) =>
            (b.residual?.score ?? 0) - (a.residual?.score ?? 0) || a.techniqueId.localeCompare(b.techniqueId),
        )[0];
      if (goal) {
        const tacticId = goal.tactics.find((t) => GOAL_TACTICS.has(shortname(t))) ?? goal.tactics[0] ?? '';
        steps.push(
          stepOf(
            catalog,
            goal,
            tacticId,
            'the likely goal in this system (highest residual impact or exfiltration risk)',
          ),
        );
      }
    }
    const signature = steps.map((s) => s.techniqueId).join('>');
    if (signatures.has(signature)) continue;
    signatures.add(signature);
    const breakers = breakersOf(steps, byId);
    const level = steps.reduce<RiskLevel>(
      (worst, s) =>
        s.residualLevel && LEVEL_RANK[s.residualLevel] > LEVEL_RANK[worst] ? s.residualLevel : worst,
      'low',
    );
    const year = yearOf(candidate.study.date);
    const first = steps[0] as ScenarioStep;
    const end = steps.at(-1) as ScenarioStep;
    const open = breakers.filter((b) => b.status !== 'implemented').length;
    scenarios.push({
      id: `S${String(scenarios.length + 1)}`,
      title: `${first.tacticName} → ${end.tacticName}: ${candidate.study.name}`,
      narrative:
        `Modelled on ${candidate.study.id} "${candidate.study.name}" (${candidate.study.type ?? 'case study'}${year === undefined ? '' : `, ${String(year)}`}; ` +
        `similarity ${candidate.similarity.toFixed(2)}). An attacker ` +
        steps
          .map(
            (s) =>
              `${verb(s)} ${s.techniqueName} (${s.techniqueId})${s.assets.length > 0 ? ` against ${s.assets.join(', ')}` : ''}`,
          )
          .join(', then ') +
        `. Breaking any one step stops the chain; ${String(open)} of the ${String(breakers.length)} controls that would do so are not fully in place.`,
      seed: { caseStudyId: candidate.study.id, name: candidate.study.name, similarity: candidate.similarity },
      steps,
      breakers,
      level,
    });
  }
  return scenarios;
}

function stepOf(catalog: Catalog, entry: LedgerEntry, tacticId: string, narrative: string): ScenarioStep {
  return {
    tacticId,
    tacticName: catalog.tactic(tacticId)?.name ?? tacticId,
    techniqueId: entry.techniqueId,
    techniqueName: entry.name,
    assets: entry.assets.map((a) => a.id),
    ...(entry.residual ? { residualLevel: entry.residual.level } : {}),
    narrative,
  };
}

function breakersOf(
  steps: readonly ScenarioStep[],
  byId: ReadonlyMap<string, LedgerEntry>,
): ScenarioBreaker[] {
  const breakers = new Map<string, ScenarioBreaker>();
  for (const step of steps) {
    for (const m of byId.get(step.techniqueId)?.mitigations ?? []) {
      if (m.status === 'not-applicable') continue;
      let b = breakers.get(m.id);
      if (!b) {
        b = { mitigationId: m.id, name: m.name, status: m.status, breaks: [] };
        breakers.set(m.id, b);
      }
      if (!b.breaks.includes(step.techniqueId)) b.breaks.push(step.techniqueId);
    }
  }
  return [...breakers.values()].sort(
    (a, b) => b.breaks.length - a.breaks.length || a.mitigationId.localeCompare(b.mitigationId),
  );
}

function verb(step: ScenarioStep): string {
  return step.tacticName.toLowerCase().startsWith('impact') ? 'causes' : 'uses';
}

function firstSentence(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const end = clean.search(/[.!?](\s|$)/);
  const sentence = end === -1 ? clean : clean.slice(0, end + 1);
  return sentence.length > 240 ? `${sentence.slice(0, 237)}...` : sentence;
}
