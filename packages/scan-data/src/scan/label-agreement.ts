import { gammaQ } from '../stats/distributions.js';
import { KnnReference } from './knn.js';

/** The check fails when this many rows disagree or more… */
export const AGREEMENT_MIN_ROWS = 5;
/** …and that count is this unlikely under the reference's own disagreement rates. */
export const AGREEMENT_P = 0.001;

export interface DisagreeingRow {
  row: number;
  line: number;
  label: string;
  /** The label the neighbourhood votes for, and the vote shares. */
  neighbours: string;
  ownShare: number;
  topShare: number;
}

export interface AgreementResult {
  scored: number;
  /** Rows expected to disagree if the batch were as clean as the reference (sum of per-label rates). */
  expected: number;
  pValue: number;
  fail: boolean;
  rows: DisagreeingRow[];
}

/** P(X ≥ k) for X ~ Poisson(mean): the sum of many rare, independent per-row disagreements. */
export function poissonSf(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  // P(X ≤ k − 1) = Q(k, mean), the regularised upper incomplete gamma function
  return Math.max(0, 1 - gammaQ(k, mean));
}

/**
 * Streams batch rows through a kNN reference; collects rows whose label the neighbourhood outvotes and
 * tests their count against the rate the reference shows on itself (leave-one-out, per label).
 */
export class LabelAgreement {
  private readonly labelOf = new Map<string, number>();
  private readonly rows: DisagreeingRow[] = [];
  private scored = 0;
  private expected = 0;

  constructor(
    private readonly ref: KnnReference,
    /** Leave-one-out disagreement rate per reference label. */
    private readonly rates: ArrayLike<number>,
    private readonly maxRows = 1_000_000,
  ) {
    ref.names.forEach((name, i) => this.labelOf.set(name, i));
  }

  add(row: number, line: number, label: string, x: Float64Array): void {
    const own = this.labelOf.get(label);
    // a label the reference never saw is reported by the label checks, not here
    if (own === undefined || this.ref.labelShare(own) === 0) return;
    const v = this.ref.vote(x, own);
    if (!v) return;
    this.scored++;
    this.expected += this.rates[own] ?? 0;
    if (KnnReference.disagrees(v, own) && this.rows.length < this.maxRows) {
      this.rows.push({
        row,
        line,
        label,
        neighbours: this.ref.names[v.top] ?? '',
        ownShare: v.ownShare,
        topShare: v.topShare,
      });
    }
  }

  finish(): AgreementResult {
    const k = this.rows.length;
    const pValue = poissonSf(k, this.expected);
    return {
      scored: this.scored,
      expected: this.expected,
      pValue,
      fail: k >= AGREEMENT_MIN_ROWS && pValue < AGREEMENT_P,
      rows: this.rows,
    };
  }
}
