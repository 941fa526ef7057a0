import { chiSquareSf, kolmogorovSf } from './distributions.js';

/** Two-sample Kolmogorov–Smirnov test (statistic D and asymptotic p-value with Stephens' correction). */
export function ksTwoSample(
  a: readonly number[],
  b: readonly number[],
): { statistic: number; pValue: number } {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const xi = x[i] ?? 0;
    const yj = y[j] ?? 0;
    const v = Math.min(xi, yj);
    while (i < n && (x[i] ?? 0) <= v) i++;
    while (j < m && (y[j] ?? 0) <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const ne = (n * m) / (n + m);
  const sq = Math.sqrt(ne);
  return { statistic: d, pValue: kolmogorovSf((sq + 0.12 + 0.11 / sq) * d) };
}

/** Quantile bin edges (interior cut points) of a sample, deduplicated. */
export function quantileEdges(sample: readonly number[], bins: number): number[] {
  const s = Float64Array.from(sample).sort();
  const edges: number[] = [];
  if (s.length === 0) return edges;
  for (let k = 1; k < bins; k++) {
    const v = s[Math.min(s.length - 1, Math.floor((k * s.length) / bins))] ?? 0;
    if (edges.length === 0 || v > (edges[edges.length - 1] ?? -Infinity)) edges.push(v);
  }
  return edges;
}

/** Counts per bin for interior `edges` (bin k holds values in [edge k-1, edge k)). */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < (edges[mid] ?? 0)) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] = (counts[lo] ?? 0) + 1;
  }
  return counts;
}

function proportions(counts: readonly number[], smoothing: number): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  const k = counts.length;
  return counts.map((c) => (c + smoothing) / (total + smoothing * k || 1));
}

/** Population Stability Index over matching bins; empty bins are smoothed with 1e-4 as is usual. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const e = proportions(expected, 0).map((p) => Math.max(p, 1e-4));
  const a = proportions(actual, 0).map((p) => Math.max(p, 1e-4));
  let sum = 0;
  for (let i = 0; i < e.length; i++) sum += ((a[i] ?? 0) - (e[i] ?? 0)) * Math.log((a[i] ?? 1) / (e[i] ?? 1));
  return sum;
}

/** Jensen–Shannon distance (square root of the divergence, log base 2: 0..1), as Evidently reports it. */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const a = proportions(p, 0);
  const b = proportions(q, 0);
  let div = 0;
  for (let i = 0; i < a.length; i++) {
    const pi = a[i] ?? 0;
    const qi = b[i] ?? 0;
    const mi = (pi + qi) / 2;
    if (pi > 0) div += 0.5 * pi * Math.log2(pi / mi);
    if (qi > 0) div += 0.5 * qi * Math.log2(qi / mi);
  }
  return Math.sqrt(Math.max(0, div));
}

/** Wasserstein-1 distance between two samples divided by the reference standard deviation ("normed"). */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  const x = Float64Array.from(reference).sort();
  const y = Float64Array.from(current).sort();
  if (x.length === 0 || y.length === 0) return 0;
  // integrate |F_x - F_y| over the merged support
  const all = Float64Array.from([...x, ...y]).sort();
  let i = 0;
  let j = 0;
  let area = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const v = all[k] ?? 0;
    while (i < x.length && (x[i] ?? 0) <= v) i++;
    while (j < y.length && (y[j] ?? 0) <= v) j++;
    area += Math.abs(i / x.length - j / y.length) * ((all[k + 1] ?? v) - v);
  }
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, x.length - 1));
  return sd > 0 ? area / sd : area > 0 ? Infinity : 0;
}

/** Chi-square goodness of fit of observed counts against expected proportions. */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expectedProportions: readonly number[],
): { statistic: number; df: number; pValue: number } {
  const total = observed.reduce((s, c) => s + c, 0);
  let stat = 0;
  let cells = 0;
  for (let i = 0; i < observed.length; i++) {
    // a category unseen in the reference gets a small floor so a brand-new label is not a division by zero
    const e = Math.max((expectedProportions[i] ?? 0) * total, 0.5 / Math.max(1, total));
    stat += ((observed[i] ?? 0) - e) ** 2 / e;
    cells++;
  }
  const df = Math.max(1, cells - 1);
  return { statistic: stat, df, pValue: total === 0 ? 1 : chiSquareSf(stat, df) };
}

/** Pearson chi-square test of homogeneity for two count vectors over the same categories. */
export function chiSquareTwoSample(
  a: readonly number[],
  b: readonly number[],
): { statistic: number; df: number; pValue: number } {
  const na = a.reduce((s, c) => s + c, 0);
  const nb = b.reduce((s, c) => s + c, 0);
  const n = na + nb;
  let stat = 0;
  let cells = 0;
  for (let i = 0; i < a.length; i++) {
    const col = (a[i] ?? 0) + (b[i] ?? 0);
    if (col === 0) continue;
    cells++;
    const ea = (col * na) / n;
    const eb = (col * nb) / n;
    stat += ((a[i] ?? 0) - ea) ** 2 / ea + ((b[i] ?? 0) - eb) ** 2 / eb;
  }
  const df = Math.max(1, cells - 1);
  return { statistic: stat, df, pValue: na === 0 || nb === 0 ? 1 : chiSquareSf(stat, df) };
}
