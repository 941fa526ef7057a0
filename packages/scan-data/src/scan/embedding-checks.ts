import type { Finding } from '@atlasguard/core';
import type { EmbeddingProfile } from '../profile/profile-schema.js';
import { base64ToF32 } from '../profile/signature-store.js';
import {
  CLUSTER_MAX_SHARE,
  CLUSTER_MIN_ROWS,
  CLUSTER_MIN_SEPARATION,
  CLUSTER_P,
  suspiciousCluster,
} from './embedding-clusters.js';
import { KNN_K, KnnReference, referenceBudget } from './knn.js';
import { AGREEMENT_MIN_ROWS, AGREEMENT_P, LabelAgreement } from './label-agreement.js';
import { makeFinding, RULES } from './rules.js';
import type { Check } from './scan-types.js';

/** Batch embeddings of one label, with the rows they came from. */
export interface LabelEmbeddings {
  rows: number[];
  lines: number[];
  vecs: Float64Array[];
}

/** Most baseline embeddings used as the kNN reference (fewer when the vectors are long). */
const EMBEDDING_REFERENCE_CAP = 4000;

function baselineSamples(base: EmbeddingProfile): Map<string, Float64Array[]> {
  const out = new Map<string, Float64Array[]>();
  for (const [label, ref] of Object.entries(base.byLabel)) {
    const flat = base64ToF32(ref.sample);
    const list: Float64Array[] = [];
    for (let i = 0; i + base.dims <= flat.length; i += base.dims) list.push(flat.subarray(i, i + base.dims));
    out.set(label, list);
  }
  return out;
}

/**
 * Label agreement with the nearest baseline embeddings (kNN), and per-class 2-means clusters that the
 * baseline does not have (activation clustering).
 */
export function embeddingNeighbourChecks(
  base: EmbeddingProfile,
  batch: ReadonlyMap<string, LabelEmbeddings>,
  seed: number,
  path: string,
): { checks: Check[]; findings: Finding[] } {
  const checks: Check[] = [];
  const findings: Finding[] = [];
  const samples = baselineSamples(base);
  const d = base.dims;

  // kNN reference: an equal share of the budget per label (the balanced vote corrects for the shares)
  const names = [...samples.keys()].filter((l) => l !== '');
  const budget = referenceBudget(d, EMBEDDING_REFERENCE_CAP);
  const perLabel = Math.max(1, Math.floor(budget / Math.max(1, names.length)));
  const points: number[] = [];
  const labels: number[] = [];
  names.forEach((name, l) => {
    for (const v of (samples.get(name) ?? []).slice(0, perLabel)) {
      for (let j = 0; j < d; j++) points.push(v[j] ?? 0);
      labels.push(l);
    }
  });
  if (names.length >= 2 && labels.length > KNN_K) {
    const ref = new KnnReference(d, Float64Array.from(points), Uint16Array.from(labels), names);
    const agreement = new LabelAgreement(ref, ref.looRates());
    for (const [label, e] of batch) {
      if (label === '') continue;
      e.vecs.forEach((v, i) => {
        agreement.add(e.rows[i] ?? 0, e.lines[i] ?? 0, label, v);
      });
    }
    const res = agreement.finish();
    checks.push({
      id: 'embedding-label-agreement',
      name: 'Labels agree with embedding neighbours',
      status: res.fail ? 'fail' : 'pass',
      method: `k-nearest neighbours (k=${String(KNN_K)}) among ${String(ref.n)} baseline embeddings, balanced vote: own label ≤ 20 %, another ≥ 60 %; ≥ ${String(AGREEMENT_MIN_ROWS)} rows and Poisson p < ${String(AGREEMENT_P)} vs the baseline's leave-one-out rate`,
      statistic: res.pValue,
      threshold: AGREEMENT_P,
      count: res.rows.length,
      rate: res.scored > 0 ? res.rows.length / res.scored : 0,
      message: `${String(res.rows.length)} of ${String(res.scored)} embeddings are outvoted by their nearest baseline embeddings (${res.expected.toFixed(1)} expected at the baseline rate)`,
      details: { scored: res.scored, expected: res.expected, reference: ref.n },
    });
    if (res.fail) {
      for (const c of res.rows) {
        findings.push(
          makeFinding(
            RULES.embeddingLabelDisagrees,
            `row ${String(c.row)} is labelled ${JSON.stringify(c.label)} but its nearest baseline embeddings vote ${JSON.stringify(c.neighbours)} (${(c.topShare * 100).toFixed(0)} % vs ${(c.ownShare * 100).toFixed(0)} % for its own label)`,
            { path, row: c.row, line: c.line, confidence: c.topShare },
          ),
        );
      }
    }
  } else {
    checks.push({
      id: 'embedding-label-agreement',
      name: 'Labels agree with embedding neighbours',
      status: 'skipped',
      message: `needs ≥ 2 labels and > ${String(KNN_K)} baseline embeddings`,
    });
  }

  // per-class 2-means
  const details: Array<Record<string, unknown>> = [];
  let flagged = 0;
  let clustersFlagged = 0;
  for (const [label, e] of batch) {
    const sample = samples.get(label);
    if (!sample) continue;
    const res = suspiciousCluster(e.vecs, sample, seed);
    if (res.smallSize === 0) continue;
    details.push({
      label,
      smallCluster: res.smallSize,
      batchShare: res.batchShare,
      baselineShare: res.baselineShare,
      separation: res.separation,
      pValue: res.pValue,
      flagged: res.flagged.length > 0,
    });
    if (res.flagged.length === 0) continue;
    clustersFlagged++;
    for (const i of res.flagged) {
      flagged++;
      const row = e.rows[i] ?? 0;
      findings.push(
        makeFinding(
          RULES.embeddingCluster,
          `row ${String(row)} (label ${JSON.stringify(label)}) is in a separate cluster of ${String(res.smallSize)} rows (${(res.batchShare * 100).toFixed(1)} % of the label in this batch, ${(res.baselineShare * 100).toFixed(1)} % in the baseline sample; separation ${res.separation.toFixed(1)})`,
          { path, row, line: e.lines[i] ?? 0 },
        ),
      );
    }
  }
  checks.push({
    id: 'embedding-clusters',
    name: 'Embedding clusters per label (activation clustering)',
    status: details.length === 0 ? 'skipped' : clustersFlagged > 0 ? 'fail' : 'pass',
    method: `2-means per label on the top ${String(10)} principal directions; smaller cluster ≥ ${String(CLUSTER_MIN_ROWS)} rows, ≤ ${String(CLUSTER_MAX_SHARE * 100)} % of the label, separation ≥ ${String(CLUSTER_MIN_SEPARATION)} SDs, ≥ 3× its baseline share (Poisson p < ${String(CLUSTER_P)})`,
    statistic: clustersFlagged,
    threshold: 0,
    count: flagged,
    message:
      details.length === 0
        ? 'no label with ≥ 10 batch and ≥ 10 baseline embeddings'
        : `${String(clustersFlagged)} label(s) with a cluster the baseline lacks, ${String(flagged)} row(s)`,
    details: { labels: details.slice(0, 100) },
  });
  return { checks, findings };
}
