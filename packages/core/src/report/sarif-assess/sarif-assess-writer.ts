import type { Assessment, Risk } from '../../assess/assessment-types.js';
import { resolveLinks } from '../../atlas/links.js';
import type { Catalog } from '../../atlas/catalog.js';
import type { Finding } from '../../findings/finding.js';
import { techniqueLabel, plural } from '../matrix/report-digest.js';
import { toSarif, type SarifLog, type SarifRuleInfo } from '../sarif/sarif-writer.js';
import type { AssessmentWriter } from '../writer-types.js';

const DESCRIPTION_MAX = 1000;
/**
 * Bounds on per-asset results: code-scanning services cap a run (GitHub keeps 25,000 results and shows
 * 5,000), so a risk gets at most this many located results (its highest-risk assets) and the log at most
 * MAX_LOCATED; the rest of a risk's assets are named in one more result on the file.
 */
const MAX_ASSETS_PER_RISK = 25;
const MAX_LOCATED = 5000;

/** Risks reported in SARIF: techniques that apply and that nothing stops (status `open`). */
export function unmitigatedRisks(assessment: Assessment): Risk[] {
  return assessment.risks.filter((r) => r.decision === 'applies' && r.status === 'open');
}

function findingOf(assessment: Assessment, catalog: Catalog, risk: Risk): Finding {
  const entry = assessment.ledger.find((e) => e.techniqueId === risk.techniqueId);
  const label = techniqueLabel(catalog, risk.techniqueId, risk.name);
  const assetNames = new Map(assessment.system.assets.map((a) => [a.id, a.name]));
  const assets = risk.assets.map((id) => assetNames.get(id) ?? id);
  const missing = risk.mitigationsMissing.map((id) => `${id} ${catalog.mitigation(id)?.name ?? ''}`.trim());
  const controls = (entry?.compensatingControls ?? []).map((c) => `${c.id} ${c.title}`);
  const questions = (entry?.questions ?? []).filter((q) => q.answer !== 'yes').map((q) => q.id);
  const remediation = [
    missing.length > 0 ? `Implement ATLAS mitigations: ${missing.join('; ')}.` : '',
    controls.length > 0 ? `No ATLAS mitigation exists; compensating controls: ${controls.join('; ')}.` : '',
    questions.length > 0 ? `Answer verification questions: ${questions.join(', ')}.` : '',
  ].filter((x) => x !== '');
  const residual = entry?.residual;
  return {
    ruleId: risk.techniqueId,
    title: label,
    severity: risk.residual.level,
    element: risk.elements[0] ?? entry?.elements[0] ?? 'model',
    atlas: { techniques: [risk.techniqueId], mitigations: risk.mitigationsMissing },
    location: { path: assessment.source },
    message:
      `${risk.techniqueId} ${label} applies to ${assets.join(', ') || 'the system'} with residual risk ` +
      `${risk.residual.level} (${String(risk.residual.score)}/25) and no mitigation in place. ` +
      (entry?.reason ?? ''),
    evidence:
      (residual ? `likelihood ${String(residual.likelihood)} × impact ${String(residual.impact)}; ` : '') +
      `seen in ${plural(risk.realWorld.incidents, 'incident')} and ${plural(risk.realWorld.exercises, 'exercise')}`,
    ...(remediation.length > 0 ? { remediation: remediation.join(' ') } : {}),
    references: [{ label: `ATLAS ${risk.techniqueId}`, url: catalog.url(risk.techniqueId) }],
  };
}

function ruleOf(catalog: Catalog, risk: Risk): SarifRuleInfo {
  const technique = catalog.technique(risk.techniqueId);
  const description = technique ? resolveLinks(technique.description).replace(/\s+/g, ' ').trim() : risk.name;
  return {
    id: risk.techniqueId,
    name: techniqueLabel(catalog, risk.techniqueId, risk.name).replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: techniqueLabel(catalog, risk.techniqueId, risk.name),
    fullDescription:
      description.length > DESCRIPTION_MAX ? `${description.slice(0, DESCRIPTION_MAX - 1)}…` : description,
    helpUri: catalog.url(risk.techniqueId),
  };
}

/**
 * One result per asset the risk applies to, located at the asset's declaration in the model file, with that
 * asset's residual level; a risk that concerns no particular asset is one result on the file.
 */
function findingsOf(
  assessment: Assessment,
  catalog: Catalog,
  risk: Risk,
  budget: { left: number },
): Finding[] {
  const base = findingOf(assessment, catalog, risk);
  if (risk.assetRisks.length === 0) return [base];
  const refs = new Map(assessment.system.assets.map((a) => [a.id, a]));
  const located = risk.assetRisks.slice(0, Math.min(MAX_ASSETS_PER_RISK, budget.left));
  budget.left -= located.length;
  const out: Finding[] = located.map((ar) => {
    const ref = refs.get(ar.asset);
    const name = ref?.name ?? ar.asset;
    return {
      ...base,
      severity: ar.residual.level,
      element: ref?.element ?? base.element,
      location: {
        path: assessment.source,
        ...(ref?.location === undefined ? {} : { line: ref.location.line, column: ref.location.column }),
        member: ar.asset,
      },
      message:
        `${base.message} On ${name} (${ar.asset}) the residual risk is ${ar.residual.level} ` +
        `(${String(ar.residual.score)}/25).`,
    };
  });
  const rest = risk.assetRisks.slice(located.length);
  if (rest.length > 0) {
    out.push({
      ...base,
      severity: rest[0]?.residual.level ?? base.severity,
      message: `${base.message} Also on ${String(rest.length)} more assets: ${rest
        .slice(0, 50)
        .map((a) => a.asset)
        .join(', ')}${rest.length > 50 ? ', …' : ''}.`,
    });
  }
  return out;
}

/** SARIF 2.1.0 log of the unmitigated applicable risks, one rule per ATLAS technique. */
export function assessmentSarif(assessment: Assessment, catalog: Catalog): SarifLog {
  const risks = unmitigatedRisks(assessment);
  const budget = { left: MAX_LOCATED };
  return toSarif(
    risks.flatMap((r) => findingsOf(assessment, catalog, r, budget)),
    {
      tool: {
        name: 'atlasguard',
        version: assessment.tool.version,
        informationUri: 'https://atlas.mitre.org/',
      },
      rules: risks.map((r) => ruleOf(catalog, r)),
      properties: {
        atlasVersion: catalog.version,
        system: assessment.system.id,
        assessedOn: assessment.assessedOn,
        policy: assessment.policy.name,
      },
    },
  );
}

export const writeSarifAssessment: AssessmentWriter = (assessment, catalog) =>
  `${JSON.stringify(assessmentSarif(assessment, catalog), null, 2)}\n`;
