import { normalQuantile } from './normal.js';

const coefficientCache = new Map<number, Float64Array>();

/** Shapiro-Wilk coefficients by Royston's (1992) approximation, valid for 3 ≤ n ≤ 5000. */
function coefficients(n: number): Float64Array {
  const cached = coefficientCache.get(n);
  if (cached) return cached;
  const a = new Float64Array(n);
  if (n === 3) {
    a[0] = -Math.SQRT1_2;
    a[2] = Math.SQRT1_2;
  } else {
    const m = new Float64Array(n);
    let mm = 0;
    for (let i = 0; i < n; i++) {
      const v = normalQuantile((i + 1 - 0.375) / (n + 0.25));
      m[i] = v;
      mm += v * v;
    }
    const u = 1 / Math.sqrt(n);
    const mn = m[n - 1] ?? 0;
    const mn1 = m[n - 2] ?? 0;
    const an =
      mn / Math.sqrt(mm) +
      0.221157 * u -
      0.147981 * u ** 2 -
      2.07119 * u ** 3 +
      4.434685 * u ** 4 -
      2.706056 * u ** 5;
    if (n > 5) {
      const an1 =
        mn1 / Math.sqrt(mm) +
        0.042981 * u -
        0.293762 * u ** 2 -
        1.752461 * u ** 3 +
        5.682633 * u ** 4 -
        3.582633 * u ** 5;
      const phi = (mm - 2 * mn ** 2 - 2 * mn1 ** 2) / (1 - 2 * an ** 2 - 2 * an1 ** 2);
      const s = Math.sqrt(phi);
      for (let i = 2; i < n - 2; i++) a[i] = (m[i] ?? 0) / s;
      a[0] = -an;
      a[1] = -an1;
      a[n - 1] = an;
      a[n - 2] = an1;
    } else {
      const phi = (mm - 2 * mn ** 2) / (1 - 2 * an ** 2);
      const s = Math.sqrt(phi);
      for (let i = 1; i < n - 1; i++) a[i] = (m[i] ?? 0) / s;
      a[0] = -an;
      a[n - 1] = an;
    }
  }
  if (coefficientCache.size > 64) coefficientCache.clear();
  coefficientCache.set(n, a);
  return a;
}

/**
 * The Shapiro-Wilk W statistic of a sample (1 = perfectly normal; smaller = less normal). Returns undefined
 * for n < 3, n > 5000 or a constant sample (W is undefined there; a constant stream is itself suspicious and
 * is reported separately by callers).
 */
export function shapiroWilkW(sample: readonly number[]): number | undefined {
  const n = sample.length;
  if (n < 3 || n > 5000) return undefined;
  const x = Float64Array.from(sample).sort();
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  if (ss <= 1e-300) return undefined;
  const a = coefficients(n);
  let num = 0;
  for (let i = 0; i < n; i++) num += (a[i] ?? 0) * (x[i] ?? 0);
  return Math.min(1, (num * num) / ss);
}
