// k-nearest-neighbour label agreement against a trusted reference sample (tabular rows or embeddings).

/** Neighbours consulted per row. */
export const KNN_K = 10;
/** A row disagrees with its neighbours when its own label holds at most this share of the balanced vote… */
export const KNN_OWN_SHARE_MAX = 0.2;
/** …and one other label holds at least this share. */
export const KNN_OTHER_SHARE_MIN = 0.6;
/** Reference points × dimensions scanned per row (bounds the cost of a brute-force search). */
export const KNN_WORK_PER_ROW = 400_000;

const LEAF = 16;

interface KdNode {
  lo: number;
  hi: number;
  /** Split dimension (-1: leaf) and value; left holds values < split (by sorted position). */
  dim: number;
  split: number;
  left: number;
  right: number;
}

export interface KnnVote {
  /** Balanced vote share of the row's own label among its k neighbours. */
  ownShare: number;
  /** Label (index into the reference's names) with the largest share, and that share. */
  top: number;
  topShare: number;
}

/**
 * A labelled reference sample, searched with a k-d tree (points with missing values by brute force) and
 * early abandoning. Distances are Euclidean
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
  /** k-d tree over the points without missing values (indices, split dimension per node); the rest is scanned. */
  private readonly order: Int32Array;
  private readonly nodes: KdNode[] = [];
  private readonly incomplete: number[] = [];
  private worst = Infinity;

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
    const complete: number[] = [];
    for (let i = 0; i < this.n; i++) {
      let ok = true;
      for (let j = 0; j < dims; j++) if (Number.isNaN(points[i * dims + j] ?? NaN)) ok = false;
      (ok ? complete : this.incomplete).push(i);
    }
    this.order = Int32Array.from(complete);
    if (this.order.length > 0) this.build(0, this.order.length);
  }

  /** Builds the subtree over order[lo, hi) and returns its node index (median split on the widest dimension). */
  private build(lo: number, hi: number): number {
    const { dims, points, order } = this;
    const id = this.nodes.length;
    const node: KdNode = { lo, hi, dim: -1, split: 0, left: -1, right: -1 };
    this.nodes.push(node);
    if (hi - lo <= LEAF) return id;
    let best = -1;
    let spread = -1;
    for (let j = 0; j < dims; j++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = points[(order[i] ?? 0) * dims + j] ?? 0;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > spread) {
        spread = max - min;
        best = j;
      }
    }
    if (!(spread > 0)) return id;
    const part = Array.from(order.subarray(lo, hi)).sort(
      (a, b) => (points[a * dims + best] ?? 0) - (points[b * dims + best] ?? 0),
    );
    order.set(part, lo);
    const mid = (lo + hi) >> 1;
    node.dim = best;
    node.split = points[(order[mid] ?? 0) * dims + best] ?? 0;
    node.left = this.build(lo, mid);
    node.right = this.build(mid, hi);
    return id;
  }

  /** Offers reference point i at squared distance d to the sorted list of the k best. */
  private offer(i: number, d: number): void {
    const { bestD, bestL, k } = this;
    if (d >= this.worst) return;
    let p = k - 1;
    while (p > 0 && (bestD[p - 1] ?? 0) > d) {
      bestD[p] = bestD[p - 1] ?? 0;
      bestL[p] = bestL[p - 1] ?? 0;
      p--;
    }
    bestD[p] = d;
    bestL[p] = this.labels[i] ?? 0;
    this.worst = bestD[k - 1] ?? Infinity;
  }

  /** Squared distance over the dimensions present in both, rescaled to the query's present dimensions. */
  private distance(x: Float64Array, i: number, present: number): number {
    const { dims, points } = this;
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
      // early abandon: already farther than the k-th best (rescaling only makes it larger)
      if (sum > this.worst) return Infinity;
    }
    if (used === 0) return Infinity;
    return used === present ? sum : (sum * present) / used;
  }

  private searchTree(node: number, x: Float64Array, present: number, skip: number): void {
    const nd = this.nodes[node];
    if (!nd) return;
    if (nd.dim < 0) {
      const { dims, points } = this;
      for (let p = nd.lo; p < nd.hi; p++) {
        const i = this.order[p] ?? 0;
        if (i === skip) continue;
        if (present !== dims) {
          this.offer(i, this.distance(x, i, present));
          continue;
        }
        // fast path: tree points are complete, and so is the query
        const base = i * dims;
        let sum = 0;
        for (let j = 0; j < dims && sum < this.worst; j++) {
          const t = (x[j] ?? 0) - (points[base + j] ?? 0);
          sum += t * t;
        }
        if (sum < this.worst) this.offer(i, sum);
      }
      return;
    }
    const v = x[nd.dim] ?? NaN;
    // a missing query dimension cannot prune: search both sides
    const diff = Number.isNaN(v) ? 0 : v - nd.split;
    this.searchTree(diff < 0 ? nd.left : nd.right, x, present, skip);
    if (diff * diff < this.worst) this.searchTree(diff < 0 ? nd.right : nd.left, x, present, skip);
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
    const { dims, k } = this;
    if (this.n - (skip >= 0 ? 1 : 0) < k) return undefined;
    let present = 0;
    for (let j = 0; j < dims; j++) if (!Number.isNaN(x[j] ?? NaN)) present++;
    if (present === 0) return undefined;
    const bestD = this.bestD;
    const bestL = this.bestL;
    bestD.fill(Infinity);
    this.worst = Infinity;
    for (const i of this.incomplete) if (i !== skip) this.offer(i, this.distance(x, i, present));
    if (this.nodes.length > 0) this.searchTree(0, x, present, skip);
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
