// k-nearest-neighbour label agreement against a trusted reference sample (tabular rows or embeddings).

/** Neighbours consulted per row. */
export const KNN_K = 10;
/** A row disagrees with its neighbours when its own label holds at most this share of the balanced vote… */
export const KNN_OWN_SHARE_MAX = 0.2;
/** …and one other label holds at least this share. */
export const KNN_OTHER_SHARE_MIN = 0.6;
/** Reference points × dimensions scanned per row (bounds the cost of a brute-force search). */
export const KNN_WORK_PER_ROW = 400_000;

export interface KnnVote {
  /** Balanced vote share of the row's own label among its k neighbours. */
  ownShare: number;
  /** Label (index into the reference's names) with the largest share, and that share. */
  top: number;
  topShare: number;
}

/**
 * A labelled reference sample, searched by brute force with early abandoning. Distances are Euclidean
 * after dividing every dimension by `scale` (the baseline standard deviation for tabular features; 1 for
 * embeddings); dimensions missing in a row are left out and the distance is rescaled to all dimensions.
 * Votes are balanced: a neighbour counts 1 / (share of its label in the reference), so a small class is not
 * outvoted by a large one just because it is small.
 */
export class KnnReference {
  readonly n: number;
  private readonly weight: Float64Array;
  private readonly bestD: Float64Array;
  private readonly bestL: Int32Array;
  private readonly votes: Float64Array;

  constructor(
    readonly dims: number,
    /** n × dims, already scaled; NaN = missing. */
    readonly points: Float64Array,
    /** Label index per point (into `names`). */
    readonly labels: Uint16Array,
    readonly names: readonly string[],
    readonly k = KNN_K,
  ) {
    this.n = Math.min(labels.length, Math.floor(points.length / Math.max(1, dims)));
    const counts = new Float64Array(names.length);
    for (let i = 0; i < this.n; i++) {
      const l = labels[i] ?? 0;
      if (l < counts.length) counts[l] = (counts[l] ?? 0) + 1;
    }
    this.weight = Float64Array.from(counts, (c) => (c > 0 ? this.n / c : 0));
    this.bestD = new Float64Array(k);
    this.bestL = new Int32Array(k);
    this.votes = new Float64Array(names.length);
  }

  /** Label shares among the points (what the balanced vote corrects for). */
  labelShare(label: number): number {
    const w = this.weight[label] ?? 0;
    return w > 0 ? 1 / w : 0;
  }

  /**
   * The balanced vote of the k nearest reference points to `x` (scaled like the points). `skip` leaves one
   * reference point out (leave-one-out on the reference itself). Undefined when fewer than k points or no
   * dimension is present.
   */
  vote(x: Float64Array, own: number, skip = -1): KnnVote | undefined {
    const { dims, points, k } = this;
    if (this.n - (skip >= 0 ? 1 : 0) < k) return undefined;
    let present = 0;
    for (let j = 0; j < dims; j++) if (!Number.isNaN(x[j] ?? NaN)) present++;
    if (present === 0) return undefined;
    const bestD = this.bestD;
    const bestL = this.bestL;
    bestD.fill(Infinity);
    let worst = Infinity;
    for (let i = 0; i < this.n; i++) {
      if (i === skip) continue;
      const base = i * dims;
      let sum = 0;
      let used = 0;
      for (let j = 0; j < dims; j++) {
        const a = x[j] ?? NaN;
        const b = points[base + j] ?? NaN;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        const t = a - b;
        sum += t * t;
        used++;
        // early abandon: already farther than the k-th best (in the rescaled metric)
        if (sum > worst) break;
      }
      if (used === 0) continue;
      const d = used === present ? sum : (sum * present) / used;
      if (d >= worst) continue;
      // insert into the sorted list of the k best
      let p = k - 1;
      while (p > 0 && (bestD[p - 1] ?? 0) > d) {
        bestD[p] = bestD[p - 1] ?? 0;
        bestL[p] = bestL[p - 1] ?? 0;
        p--;
      }
      bestD[p] = d;
      bestL[p] = this.labels[i] ?? 0;
      worst = bestD[k - 1] ?? Infinity;
    }
    if (!Number.isFinite(bestD[k - 1] ?? Infinity)) return undefined;
    const votes = this.votes;
    votes.fill(0);
    let total = 0;
    for (let p = 0; p < k; p++) {
      const l = bestL[p] ?? 0;
      const w = this.weight[l] ?? 0;
      votes[l] = (votes[l] ?? 0) + w;
      total += w;
    }
    let top = own;
    let topShare = -1;
    for (let l = 0; l < votes.length; l++) {
      const s = (votes[l] ?? 0) / total;
      if (s > topShare) {
        topShare = s;
        top = l;
      }
    }
    return { ownShare: (votes[own] ?? 0) / total, top, topShare };
  }

  /** Does a vote say the row's label disagrees with its neighbourhood? */
  static disagrees(v: KnnVote, own: number): boolean {
    return v.top !== own && v.ownShare <= KNN_OWN_SHARE_MAX && v.topShare >= KNN_OTHER_SHARE_MIN;
  }

  /** Leave-one-out disagreement rate per label on the reference itself (the expected rate of clean rows). */
  looRates(): Float64Array {
    const dis = new Float64Array(this.names.length);
    const cnt = new Float64Array(this.names.length);
    const x = new Float64Array(this.dims);
    for (let i = 0; i < this.n; i++) {
      const l = this.labels[i] ?? 0;
      x.set(this.points.subarray(i * this.dims, (i + 1) * this.dims));
      const v = this.vote(x, l, i);
      if (!v) continue;
      cnt[l] = (cnt[l] ?? 0) + 1;
      if (KnnReference.disagrees(v, l)) dis[l] = (dis[l] ?? 0) + 1;
    }
    // add-one smoothing: a label with no disagreement in a small sample still gets a non-zero rate
    return Float64Array.from(cnt, (c, l) => ((dis[l] ?? 0) + 1) / (c + 2));
  }
}

/** How many reference points a brute-force search over `dims` dimensions may use per row. */
export function referenceBudget(dims: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.floor(KNN_WORK_PER_ROW / Math.max(1, dims))));
}
