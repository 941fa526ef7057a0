import { KNN_K, KnnReference, referenceBudget } from '../scan/knn.js';
import { Reservoir } from '../stats/rng.js';
import type { LabelIndex } from './label-index.js';
import { robustStats } from './label-index.js';
import type { TabularProfile } from './profile-schema.js';
import { f32ToBase64, u16ToBase64 } from './signature-store.js';

/** A row's label disagrees with its features when its own class centroid is this much farther than another. */
export const CENTROID_MARGIN = 2;
const MAX_FEATURES = 200;
/** Most baseline rows kept as the k-nearest-neighbour reference. */
export const KNN_REFERENCE_ROWS = 2000;

/** Distance in reference-standard-deviation units from a row to each class centroid. */
export function centroidCheck(
  x: readonly (number | undefined)[],
  label: string,
  tabular: TabularProfile,
): { nearest: string; ownDistance: number; nearestDistance: number; disagrees: boolean } | undefined {
  const own = tabular.centroids[label];
  if (!own) return undefined;
  let nearest = label;
  let nearestDistance = Infinity;
  let ownDistance = Infinity;
  let used = 0;
  for (const [name, c] of Object.entries(tabular.centroids)) {
    let sum = 0;
    used = 0;
    for (let f = 0; f < tabular.features.length; f++) {
      const v = x[f];
      const sd = tabular.std[f] ?? 0;
      if (v === undefined || sd <= 0) continue;
      sum += ((v - (c.mean[f] ?? 0)) / sd) ** 2;
      used++;
    }
    const d = Math.sqrt(sum);
    if (name === label) ownDistance = d;
    if (d < nearestDistance) {
      nearestDistance = d;
      nearest = name;
    }
  }
  if (used === 0) return undefined;
  const disagrees = nearest !== label && ownDistance > CENTROID_MARGIN * nearestDistance + 0.5;
  return { nearest, ownDistance, nearestDistance, disagrees };
}

/** Per-label sums of numeric feature columns, and a seeded sample of rows for the reference disagreement rate. */
export class TabularAccumulator {
  readonly sums = new Map<number, { n: number; sum: Float64Array; count: Float64Array }>();
  readonly robust = new Map<number, Array<Reservoir<number>>>();
  readonly rows: Reservoir<{ label: number; x: Array<number | undefined> }>;
  readonly columns: string[];

  constructor(
    columns: readonly string[],
    private readonly seed: number,
  ) {
    this.columns = columns.slice(0, MAX_FEATURES);
    this.rows = new Reservoir(5000, seed ^ 0x7ab);
  }

  add(x: ReadonlyArray<number | undefined>, label: number): void {
    if (label === 0xffff) return;
    let s = this.sums.get(label);
    let r = this.robust.get(label);
    if (!s || !r) {
      s = { n: 0, sum: new Float64Array(this.columns.length), count: new Float64Array(this.columns.length) };
      r = this.columns.map((_, f) => new Reservoir<number>(1000, this.seed ^ (label * 131 + f)));
      this.sums.set(label, s);
      this.robust.set(label, r);
    }
    s.n++;
    for (let f = 0; f < this.columns.length; f++) {
      const v = x[f];
      if (v === undefined) continue;
      s.sum[f] = (s.sum[f] ?? 0) + v;
      s.count[f] = (s.count[f] ?? 0) + 1;
      r[f]?.add(v);
    }
    this.rows.add({ label, x: [...x] });
  }

  /** `numeric` says which of the columns turned out numeric; `std` their overall standard deviations. */
  finish(
    labels: LabelIndex,
    numeric: readonly boolean[],
    std: readonly number[],
  ): TabularProfile | undefined {
    const keep = this.columns.map((_, f) => f).filter((f) => numeric[f] === true);
    if (keep.length === 0 || this.sums.size < 2) return undefined;
    const centroids: TabularProfile['centroids'] = {};
    const robustByLabel: TabularProfile['robustByLabel'] = {};
    for (const [label, s] of this.sums) {
      const name = labels.names[label] ?? '';
      centroids[name] = {
        n: s.n,
        mean: keep.map((f) => ((s.count[f] ?? 0) > 0 ? (s.sum[f] ?? 0) / (s.count[f] ?? 1) : 0)),
      };
      robustByLabel[name] = keep.map((f) => robustStats(this.robust.get(label)?.[f]?.items ?? []));
    }
    const profile: TabularProfile = {
      features: keep.map((f) => this.columns[f] ?? ''),
      std: keep.map((f) => std[f] ?? 0),
      centroids,
      disagreementRate: 0,
      robustByLabel,
    };
    let disagree = 0;
    for (const row of this.rows.items) {
      const check = centroidCheck(
        keep.map((f) => row.x[f]),
        labels.names[row.label] ?? '',
        profile,
      );
      if (check?.disagrees) disagree++;
    }
    profile.disagreementRate = this.rows.items.length > 0 ? disagree / this.rows.items.length : 0;
    const knn = buildKnnReference(this.rows.items, keep, labels, profile);
    if (knn) profile.knn = knn;
    return profile;
  }
}

/** The reservoir's first rows (a uniform sample) as the kNN reference, with its leave-one-out rates. */
function buildKnnReference(
  rows: ReadonlyArray<{ label: number; x: Array<number | undefined> }>,
  keep: readonly number[],
  labels: LabelIndex,
  profile: TabularProfile,
): TabularProfile['knn'] {
  const d = keep.length;
  const n = Math.min(rows.length, referenceBudget(d, KNN_REFERENCE_ROWS));
  if (n <= KNN_K) return undefined;
  const raw: number[] = [];
  const scaled = new Float64Array(n * d);
  const labelIndex = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!row) continue;
    labelIndex[i] = row.label;
    for (let j = 0; j < d; j++) {
      const v = row.x[keep[j] ?? 0];
      raw.push(v ?? NaN);
      scaled[i * d + j] = scaleFeature(v, profile.std[j] ?? 0);
    }
  }
  const names = [...labels.names];
  const rates = new KnnReference(d, scaled, labelIndex, names).looRates();
  const byName: Record<string, number> = {};
  names.forEach((name, l) => {
    if (labelIndex.includes(l)) byName[name] = rates[l] ?? 0;
  });
  return {
    k: KNN_K,
    points: f32ToBase64(raw),
    labelIndex: u16ToBase64(labelIndex, n),
    labels: names,
    rates: byName,
  };
}

/** A feature value in baseline standard deviations (NaN when missing or the feature is constant). */
export function scaleFeature(v: number | undefined, std: number): number {
  return v === undefined || !(std > 0) ? NaN : v / std;
}
