import type { Assessment } from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import { tacticNames, techniqueLabel } from '../matrix/report-digest.js';
import type { AssessmentWriter } from '../writer-types.js';
import { csvRecord } from './csv-encode.js';

export const RISK_REGISTER_COLUMNS = [
  'Rank',
  'Risk ID',
  'Technique',
  'Tactics',
  'Decision',
  'Status',
  'Elements',
  'Assets',
  'Inherent score',
  'Inherent level',
  'Residual score',
  'Residual level',
  'Likelihood',
  'Impact',
  'Mitigations in place',
  'Mitigations missing',
  'Compensating controls',
  'Incidents',
  'Exercises',
  'Treatment',
  'Approver',
  'Decision expires',
  'Open questions',
  'Reason',
  'Residual by asset',
] as const;

function rows(assessment: Assessment, catalog: Catalog): Array<Array<string | number>> {
  const ledger = new Map(assessment.ledger.map((e) => [e.techniqueId, e]));
  const assetNames = new Map(assessment.system.assets.map((a) => [a.id, a.name]));
  return assessment.risks.map((r) => {
    const entry = ledger.get(r.techniqueId);
    const treatment = entry?.treatment;
    const open = (entry?.questions ?? []).filter((q) => q.answer !== 'yes').map((q) => q.id);
    return [
      r.rank,
      r.id,
      techniqueLabel(catalog, r.techniqueId, r.name),
      tacticNames(catalog, r.tactics).join('; '),
      r.decision,
      r.status,
      r.elements.join('; '),
      r.assets.map((id) => assetNames.get(id) ?? id).join('; '),
      r.inherent.score,
      r.inherent.level,
      r.residual.score,
      r.residual.level,
      entry?.residual?.likelihood ?? '',
      entry?.residual?.impact ?? '',
      r.mitigationsInPlace.join('; '),
      r.mitigationsMissing.join('; '),
      (entry?.compensatingControls ?? []).map((c) => c.id).join('; '),
      r.realWorld.incidents,
      r.realWorld.exercises,
      treatment?.treatment ?? '',
      treatment?.approver ?? '',
      treatment?.expires ?? '',
      open.join('; '),
      entry?.reason ?? '',
      r.assetRisks
        .map((a) => `${assetNames.get(a.asset) ?? a.asset}: ${String(a.residual.score)} ${a.residual.level}`)
        .join('; '),
    ];
  });
}

/** The risk register as CSV (RFC 4180, CRLF, header row), ranked by residual risk. */
export const writeCsv: AssessmentWriter = (assessment, catalog) =>
  [RISK_REGISTER_COLUMNS, ...rows(assessment, catalog)].map(csvRecord).join('');
