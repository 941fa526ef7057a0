import type { Assessment, Decision, LedgerEntry, RiskLevel } from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import { matrixLayout, type MatrixLayout } from './matrix-layout.js';

/** Heat-map state of a cell: the residual level when the technique applies (or is unknown). */
export type HeatState = RiskLevel | 'not-applicable' | 'unscored' | 'not-assessed';

export interface HeatCell {
  decision: Decision | undefined;
  state: HeatState;
  residualScore: number | undefined;
  inherentScore: number | undefined;
  /** Short text for a tooltip: decision, residual and the reason. */
  title: string;
}

function heatOf(entry: LedgerEntry | undefined): HeatCell {
  if (entry === undefined)
    return {
      decision: undefined,
      state: 'not-assessed',
      residualScore: undefined,
      inherentScore: undefined,
      title: 'Not in this assessment',
    };
  const residual = entry.residual;
  const state: HeatState =
    entry.decision === 'not-applicable' ? 'not-applicable' : (residual?.level ?? 'unscored');
  const risk = residual ? ` · residual ${residual.level} (${String(residual.score)})` : '';
  return {
    decision: entry.decision,
    state,
    residualScore: residual?.score,
    inherentScore: entry.inherent?.score,
    title: `${entry.decision}${risk} — ${entry.reason}`,
  };
}

/** The matrix of an assessment, each cell holding its decision and residual-risk heat. */
export function assessmentMatrix(assessment: Assessment, catalog: Catalog): MatrixLayout<HeatCell> {
  const ledger = new Map(assessment.ledger.map((e) => [e.techniqueId, e]));
  return matrixLayout(catalog, (technique) => heatOf(ledger.get(technique.id)));
}
