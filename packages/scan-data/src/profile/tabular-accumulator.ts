import { Reservoir } from '../stats/rng.js';
import type { LabelIndex } from './label-index.js';
import { robustStats } from './label-index.js';
import type { TabularProfile } from './profile-schema.js';

/** A row's label disagrees with its features when its own class centroid is this much farther than another. */
export const CENTROID_MARGIN = 2;
const MAX_FEATURES = 200;

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
    return profile;
  }
}
