import { seededRandom } from '../stats/rng.js';
import { poissonSf } from './label-agreement.js';

// Activation clustering (after Chen et al. 2018, "Detecting Backdoor Attacks on Deep Neural Networks by
// Activation Clustering"): per class, reduce the embeddings to a few principal directions and split them
// in two with k-means. The paper judges the split by the relative size and silhouette of the smaller
// cluster; here the smaller cluster is also compared with the trusted baseline sample of the class, so a
// class that is naturally multimodal (the baseline splits the same way) does not alert.

/** Principal directions kept before clustering (the paper uses 10 independent components). */
export const CLUSTER_DIMS = 10;
/** The smaller cluster holds at most this share of the class's batch rows (poison is a minority)… */
export const CLUSTER_MAX_SHARE = 0.35;
/** …at least this many rows… */
export const CLUSTER_MIN_ROWS = 5;
/** …is this far from the larger one (gap between the centres in pooled within-cluster SDs)… */
export const CLUSTER_MIN_SEPARATION = 4;
/** …and is over-represented against the baseline: share ≥ 3× the baseline's, Poisson p below this. */
export const CLUSTER_P = 1e-4;
const DIRECTION_SAMPLE = 2000;

export interface ClusterResult {
  /** Indices (into the batch vectors) of the smaller cluster, when it is suspicious; else empty. */
  flagged: number[];
  smallSize: number;
  batchShare: number;
  baselineShare: number;
  separation: number;
  pValue: number;
}

function topDirections(
  rows: readonly Float64Array[],
  mean: Float64Array,
  p: number,
  seed: number,
): Float64Array[] {
  const d = mean.length;
  const random = seededRandom(seed);
  const dirs: Float64Array[] = [];
  const proj = new Float64Array(rows.length);
  for (let c = 0; c < p; c++) {
    let dir = Float64Array.from({ length: d }, () => random() - 0.5);
    for (let iter = 0; iter < 25; iter++) {
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r] ?? mean;
        let dot = 0;
        for (let i = 0; i < d; i++) dot += ((v[i] ?? 0) - (mean[i] ?? 0)) * (dir[i] ?? 0);
        proj[r] = dot;
      }
      const next = new Float64Array(d);
      for (let r = 0; r < rows.length; r++) {
        const v = rows[r] ?? mean;
        const t = proj[r] ?? 0;
        for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) + ((v[i] ?? 0) - (mean[i] ?? 0)) * t;
      }
      // deflate: stay orthogonal to the directions already found
      for (const u of dirs) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += (next[i] ?? 0) * (u[i] ?? 0);
        for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) - dot * (u[i] ?? 0);
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += (next[i] ?? 0) ** 2;
      norm = Math.sqrt(norm);
      if (!(norm > 1e-12)) break;
      for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) / norm;
      dir = next;
    }
    dirs.push(dir);
  }
  return dirs;
}

function project(v: Float64Array, mean: Float64Array, dirs: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(dirs.length);
  dirs.forEach((u, c) => {
    let dot = 0;
    for (let i = 0; i < mean.length; i++) dot += ((v[i] ?? 0) - (mean[i] ?? 0)) * (u[i] ?? 0);
    out[c] = dot;
  });
  return out;
}

function sq(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return s;
}

/** 2-means with k-means++ seeding and a few seeded restarts; returns the assignment with the least inertia. */
export function twoMeans(points: readonly Float64Array[], seed: number, restarts = 3): Uint8Array {
  const random = seededRandom(seed);
  const n = points.length;
  let best = new Uint8Array(n);
  let bestInertia = Infinity;
  if (n < 2) return best;
  const m = points[0]?.length ?? 0;
  for (let attempt = 0; attempt < restarts; attempt++) {
    const c0 = Float64Array.from(points[Math.floor(random() * n)] ?? new Float64Array(m));
    const dist = points.map((p) => sq(p, c0));
    const total = dist.reduce((s, x) => s + x, 0);
    let pick = random() * total;
    let idx = 0;
    for (; idx < n - 1; idx++) {
      pick -= dist[idx] ?? 0;
      if (pick <= 0) break;
    }
    const centres = [c0, Float64Array.from(points[idx] ?? new Float64Array(m))];
    const assign = new Uint8Array(n);
    let inertia = Infinity;
    for (let iter = 0; iter < 50; iter++) {
      let changed = false;
      inertia = 0;
      for (let r = 0; r < n; r++) {
        const p = points[r] ?? new Float64Array(m);
        const d0 = sq(p, centres[0] ?? p);
        const d1 = sq(p, centres[1] ?? p);
        const a = d1 < d0 ? 1 : 0;
        inertia += Math.min(d0, d1);
        if (assign[r] !== a) {
          assign[r] = a;
          changed = true;
        }
      }
      const sums = [new Float64Array(m), new Float64Array(m)];
      const counts = [0, 0];
      for (let r = 0; r < n; r++) {
        const a = assign[r] ?? 0;
        const s = sums[a] ?? new Float64Array(m);
        const p = points[r] ?? s;
        for (let i = 0; i < m; i++) s[i] = (s[i] ?? 0) + (p[i] ?? 0);
        counts[a] = (counts[a] ?? 0) + 1;
      }
      for (let c = 0; c < 2; c++) {
        const cnt = counts[c] ?? 0;
        if (cnt > 0) centres[c] = Float64Array.from(sums[c] ?? [], (x) => x / cnt);
      }
      if (!changed && iter > 0) break;
    }
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = Uint8Array.from(assign);
    }
  }
  return best;
}

/**
 * Splits one class's batch embeddings in two and tests the smaller cluster: small, well separated, and
 * much rarer among the baseline sample of the same class.
 */
export function suspiciousCluster(
  vectors: readonly Float64Array[],
  baselineSample: readonly Float64Array[],
  seed: number,
): ClusterResult {
  const n = vectors.length;
  const none: ClusterResult = {
    flagged: [],
    smallSize: 0,
    batchShare: 0,
    baselineShare: 0,
    separation: 0,
    pValue: 1,
  };
  const d = vectors[0]?.length ?? 0;
  if (n < 2 * CLUSTER_MIN_ROWS || d === 0 || baselineSample.length < 10) return none;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let i = 0; i < d; i++) mean[i] = (mean[i] ?? 0) + (v[i] ?? 0) / n;
  const random = seededRandom(seed ^ 0x2e7a);
  const sample =
    n <= DIRECTION_SAMPLE
      ? vectors
      : Array.from({ length: DIRECTION_SAMPLE }, () => vectors[Math.floor(random() * n)] ?? mean);
  const dirs = topDirections(sample, mean, Math.min(CLUSTER_DIMS, d), seed);
  const points = vectors.map((v) => project(v, mean, dirs));
  const assign = twoMeans(points, seed);
  const m = dirs.length;
  const centres = [new Float64Array(m), new Float64Array(m)];
  const counts = [0, 0];
  points.forEach((p, r) => {
    const a = assign[r] ?? 0;
    const c = centres[a] ?? new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = (c[i] ?? 0) + (p[i] ?? 0);
    counts[a] = (counts[a] ?? 0) + 1;
  });
  centres.forEach((c, a) => {
    for (let i = 0; i < m; i++) c[i] = (c[i] ?? 0) / Math.max(1, counts[a] ?? 0);
  });
  const small = (counts[0] ?? 0) <= (counts[1] ?? 0) ? 0 : 1;
  const smallSize = counts[small] ?? 0;
  const c0 = centres[0] ?? new Float64Array(m);
  const c1 = centres[1] ?? new Float64Array(m);
  // separation along the line through the two centres, in pooled within-cluster standard deviations
  const gap = Math.sqrt(sq(c0, c1));
  let within = 0;
  if (gap > 0) {
    points.forEach((p, r) => {
      const c = (assign[r] ?? 0) === 0 ? c0 : c1;
      let t = 0;
      for (let i = 0; i < m; i++) t += ((p[i] ?? 0) - (c[i] ?? 0)) * (((c1[i] ?? 0) - (c0[i] ?? 0)) / gap);
      within += t * t;
    });
  }
  const separation = gap / Math.sqrt(Math.max(within / Math.max(1, n - 2), 1e-24));
  let inSmall = 0;
  for (const b of baselineSample) {
    const p = project(b, mean, dirs);
    const a = sq(p, c1) < sq(p, c0) ? 1 : 0;
    if (a === small) inSmall++;
  }
  const batchShare = smallSize / n;
  const baselineShare = inSmall / baselineSample.length;
  // expected count in the batch if the cluster were as common as in the baseline (add-one smoothed)
  const expected = n * ((inSmall + 1) / (baselineSample.length + 2));
  const pValue = poissonSf(smallSize, expected);
  const suspicious =
    smallSize >= CLUSTER_MIN_ROWS &&
    batchShare <= CLUSTER_MAX_SHARE &&
    separation >= CLUSTER_MIN_SEPARATION &&
    batchShare >= 3 * baselineShare &&
    pValue < CLUSTER_P;
  const flagged: number[] = [];
  if (suspicious) for (let r = 0; r < n; r++) if ((assign[r] ?? 0) === small) flagged.push(r);
  return { flagged, smallSize, batchShare, baselineShare, separation, pValue };
}
