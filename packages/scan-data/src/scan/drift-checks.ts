import type { Finding } from '@atlasguard/core';
import type { ColumnProfile, DataProfile, NumericSummary } from '../profile/profile-schema.js';
import {
  binCounts,
  chiSquareTwoSample,
  jensenShannonDistance,
  ksTwoSample,
  psi,
  wassersteinNormed,
} from '../stats/drift-tests.js';
import { makeFinding, RULES } from './rules.js';
import type { Check, DriftPlotRow } from './scan-types.js';

/**
 * Evidently's defaults (DataDriftPreset): reference ≤ 1000 rows → KS (numeric) / chi-square (categorical),
 * p < 0.05; more rows → normed Wasserstein (numeric) / Jensen-Shannon distance (categorical), ≥ 0.1.
 * The dataset drifts when at least half of the columns drift.
 */
export const DRIFT_DEFAULTS = {
  smallReference: 1000,
  pValue: 0.05,
  wasserstein: 0.1,
  jensenShannon: 0.1,
  datasetShare: 0.5,
  labelPValue: 0.01,
  labelMinChange: 0.01,
};

export interface DriftOutcome {
  checks: Check[];
  findings: Finding[];
  plot: DriftPlotRow[];
}

/** Coarse kind of a column: numbers, strings, booleans, vectors, objects (cardinality changes are not kind changes). */
function kindOf(c: ColumnProfile): string {
  switch (c.type) {
    case 'numeric':
      return 'number';
    case 'categorical':
      return c.categories &&
        Object.keys(c.categories).every((k) => k.trim() !== '' && Number.isFinite(Number(k)))
        ? 'number'
        : 'string';
    case 'text':
    case 'id':
      return 'string';
    case 'mixed':
      return 'mixed';
    default:
      return c.type;
  }
}

export function schemaChecks(base: DataProfile, batch: DataProfile, path: string): DriftOutcome {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  const b = new Map(batch.columns.map((c) => [c.name, c]));
  const r = new Map(base.columns.map((c) => [c.name, c]));
  const missing = base.columns.filter((c) => !b.has(c.name) && c.type !== 'empty').map((c) => c.name);
  const added = batch.columns.filter((c) => !r.has(c.name) && c.type !== 'empty').map((c) => c.name);
  const changed: Array<{ name: string; from: string; to: string }> = [];
  for (const c of batch.columns) {
    const ref = r.get(c.name);
    if (!ref || ref.type === c.type || c.type === 'empty' || ref.type === 'empty') continue;
    if (kindOf(ref) === kindOf(c)) continue;
    changed.push({ name: c.name, from: ref.type, to: c.type });
  }
  for (const name of missing)
    findings.push(
      makeFinding(
        RULES.columnMissing,
        `column ${JSON.stringify(name)} of the baseline is missing from the batch`,
        { path, pointer: `/columns/${name}` },
      ),
    );
  for (const name of added)
    findings.push(
      makeFinding(RULES.columnAdded, `column ${JSON.stringify(name)} is not in the baseline`, {
        path,
        pointer: `/columns/${name}`,
      }),
    );
  for (const c of changed)
    findings.push(
      makeFinding(
        RULES.typeChanged,
        `column ${JSON.stringify(c.name)} was ${c.from} in the baseline and is ${c.to} in the batch`,
        { path, pointer: `/columns/${c.name}` },
      ),
    );
  const problems = missing.length + added.length + changed.length;
  checks.push({
    id: 'schema',
    name: 'Schema matches the baseline',
    status: problems > 0 ? 'fail' : 'pass',
    method: 'column names and inferred types',
    statistic: problems,
    threshold: 0,
    count: problems,
    message:
      problems > 0
        ? `${String(missing.length)} missing, ${String(added.length)} new, ${String(changed.length)} retyped column(s)`
        : 'same columns and types',
    details: { missing, added, changed },
  });
  return { checks, findings, plot: [] };
}

export function labelShiftCheck(
  base: DataProfile,
  batch: DataProfile,
  path: string,
): DriftOutcome & { labels: Array<{ label: string; baseline: number; batch: number }> } {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  if (!base.labels || !batch.labels) {
    checks.push({
      id: 'label-shift',
      name: 'Label distribution (chi-square)',
      status: 'skipped',
      message: 'no --label-field',
    });
    return { checks, findings, plot: [], labels: [] };
  }
  const names = [...new Set([...Object.keys(base.labels), ...Object.keys(batch.labels)])].sort();
  const ref = names.map((n) => base.labels?.[n] ?? 0);
  const cur = names.map((n) => batch.labels?.[n] ?? 0);
  const nRef = ref.reduce((s, c) => s + c, 0);
  const nCur = cur.reduce((s, c) => s + c, 0);
  const test = chiSquareTwoSample(ref, cur);
  const js = jensenShannonDistance(ref, cur);
  const maxChange = Math.max(
    0,
    ...names.map((_, i) => Math.abs((cur[i] ?? 0) / (nCur || 1) - (ref[i] ?? 0) / (nRef || 1))),
  );
  const shifted =
    nCur > 0 && test.pValue < DRIFT_DEFAULTS.labelPValue && maxChange >= DRIFT_DEFAULTS.labelMinChange;
  const fresh = names.filter((n) => (base.labels?.[n] ?? 0) === 0 && (batch.labels?.[n] ?? 0) > 0);
  checks.push({
    id: 'label-shift',
    name: 'Label distribution (chi-square)',
    status: shifted ? 'fail' : 'pass',
    method: 'chi-square test of homogeneity',
    statistic: test.pValue,
    threshold: DRIFT_DEFAULTS.labelPValue,
    message: `chi2=${test.statistic.toFixed(2)} df=${String(test.df)} p=${test.pValue.toExponential(2)}; largest change in a label share ${(maxChange * 100).toFixed(2)} points (fails when p < ${String(DRIFT_DEFAULTS.labelPValue)} and change ≥ ${String(DRIFT_DEFAULTS.labelMinChange * 100)} points); Jensen-Shannon ${js.toFixed(4)}`,
    details: {
      chiSquare: test.statistic,
      df: test.df,
      pValue: test.pValue,
      jensenShannon: js,
      maxShareChange: maxChange,
    },
  });
  if (shifted) {
    findings.push(
      makeFinding(
        RULES.labelShift,
        `label shares moved by up to ${(maxChange * 100).toFixed(1)} points (chi-square p=${test.pValue.toExponential(2)})`,
        { path, pointer: `/labels` },
      ),
    );
  }
  if (fresh.length > 0) {
    findings.push(
      makeFinding(
        RULES.newLabel,
        `label(s) ${fresh.map((f) => JSON.stringify(f)).join(', ')} never occur in the baseline`,
        { path, pointer: '/labels' },
      ),
    );
  }
  const labels = names.map((label, i) => ({
    label,
    baseline: (ref[i] ?? 0) / (nRef || 1),
    batch: (cur[i] ?? 0) / (nCur || 1),
  }));
  return { checks, findings, plot: [], labels };
}

function numericDrift(
  name: string,
  ref: NumericSummary,
  cur: NumericSummary,
  refRows: number,
): DriftPlotRow & { extra: Record<string, number> } {
  const ks = ksTwoSample(ref.sample, cur.sample);
  const w = wassersteinNormed(ref.sample, cur.sample);
  const p = psi(ref.binCounts, binCounts(cur.sample, ref.quantileEdges));
  const small = refRows <= DRIFT_DEFAULTS.smallReference;
  return small
    ? {
        column: name,
        method: 'K-S p-value',
        statistic: ks.pValue,
        threshold: DRIFT_DEFAULTS.pValue,
        drifted: ks.pValue < DRIFT_DEFAULTS.pValue,
        extra: { ks: ks.statistic, ksPValue: ks.pValue, wassersteinNormed: w, psi: p },
      }
    : {
        column: name,
        method: 'Wasserstein distance (normed)',
        statistic: w,
        threshold: DRIFT_DEFAULTS.wasserstein,
        drifted: w >= DRIFT_DEFAULTS.wasserstein,
        extra: { ks: ks.statistic, ksPValue: ks.pValue, wassersteinNormed: w, psi: p },
      };
}

function categoricalDrift(
  name: string,
  ref: Record<string, number>,
  cur: Record<string, number>,
  refRows: number,
): DriftPlotRow & { extra: Record<string, number> } {
  const keys = [...new Set([...Object.keys(ref), ...Object.keys(cur)])].sort();
  const a = keys.map((k) => ref[k] ?? 0);
  const b = keys.map((k) => cur[k] ?? 0);
  const chi = chiSquareTwoSample(a, b);
  const js = jensenShannonDistance(a, b);
  const p = psi(a, b);
  const small = refRows <= DRIFT_DEFAULTS.smallReference;
  return small
    ? {
        column: name,
        method: 'chi-square p-value',
        statistic: chi.pValue,
        threshold: DRIFT_DEFAULTS.pValue,
        drifted: chi.pValue < DRIFT_DEFAULTS.pValue,
        extra: { chiSquare: chi.statistic, pValue: chi.pValue, jensenShannon: js, psi: p },
      }
    : {
        column: name,
        method: 'Jensen-Shannon distance',
        statistic: js,
        threshold: DRIFT_DEFAULTS.jensenShannon,
        drifted: js >= DRIFT_DEFAULTS.jensenShannon,
        extra: { chiSquare: chi.statistic, pValue: chi.pValue, jensenShannon: js, psi: p },
      };
}

/** Per-column drift on feature columns (and text length when a text field is set). */
export function featureDriftChecks(base: DataProfile, batch: DataProfile, path: string): DriftOutcome {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  const plot: DriftPlotRow[] = [];
  const roles = new Set(
    [base.roles.id, base.roles.text, base.roles.embedding, base.roles.label].filter((x) => x !== undefined),
  );
  const wanted = base.roles.features.length > 0 ? new Set(base.roles.features) : undefined;
  const cur = new Map(batch.columns.map((c) => [c.name, c]));
  const pairs: Array<[ColumnProfile, ColumnProfile]> = [];
  for (const ref of base.columns) {
    if (roles.has(ref.name) || (wanted && !wanted.has(ref.name))) continue;
    const c = cur.get(ref.name);
    if (c) pairs.push([ref, c]);
  }
  const results: Array<DriftPlotRow & { extra: Record<string, number> }> = [];
  for (const [ref, c] of pairs) {
    if (ref.type === 'numeric' && ref.numeric && c.numeric)
      results.push(numericDrift(ref.name, ref.numeric, c.numeric, base.dataset.rows));
    else if ((ref.type === 'categorical' || ref.type === 'boolean') && ref.categories && c.categories)
      results.push(categoricalDrift(ref.name, ref.categories, c.categories, base.dataset.rows));
  }
  if (base.text && batch.text)
    results.push(
      numericDrift(`length(${base.text.field})`, base.text.length, batch.text.length, base.dataset.rows),
    );
  for (const r of results) {
    plot.push({
      column: r.column,
      method: r.method,
      statistic: r.statistic,
      threshold: r.threshold,
      drifted: r.drifted,
    });
    checks.push({
      id: `drift:${r.column}`,
      name: `Drift of ${r.column}`,
      status: r.drifted ? 'fail' : 'pass',
      method: r.method,
      column: r.column,
      statistic: r.statistic,
      threshold: r.threshold,
      message: r.drifted
        ? `drifted (${r.method} ${r.statistic.toPrecision(3)} vs ${String(r.threshold)})`
        : 'no drift detected',
      details: r.extra,
    });
    if (r.drifted) {
      findings.push(
        makeFinding(
          RULES.featureDrift,
          `column ${JSON.stringify(r.column)} drifted: ${r.method} ${r.statistic.toPrecision(3)} (threshold ${String(r.threshold)})`,
          {
            path,
            pointer: `/columns/${r.column}`,
            evidence: Object.entries(r.extra)
              .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
              .join(' '),
          },
        ),
      );
    }
  }
  const drifted = results.filter((r) => r.drifted).length;
  const share = results.length > 0 ? drifted / results.length : 0;
  const datasetDrift = results.length > 0 && share >= DRIFT_DEFAULTS.datasetShare;
  checks.push({
    id: 'dataset-drift',
    name: 'Dataset drift (share of drifted columns)',
    status: results.length === 0 ? 'skipped' : datasetDrift ? 'fail' : 'pass',
    method: 'share of drifted columns',
    statistic: share,
    threshold: DRIFT_DEFAULTS.datasetShare,
    count: drifted,
    message: `${String(drifted)} of ${String(results.length)} column(s) drifted`,
  });
  if (datasetDrift)
    findings.push(
      makeFinding(RULES.datasetDrift, `${String(drifted)} of ${String(results.length)} columns drifted`, {
        path,
      }),
    );
  return { checks, findings, plot };
}
