import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';
import { Rng } from './rng.js';
import { shapiroWilkW } from './shapiro-wilk.js';

describe('Shapiro-Wilk (Royston 1992)', () => {
  it('matches reference values', () => {
    // R: shapiro.test(1:10)$statistic = 0.97016
    expect(shapiroWilkW([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(0.97016, 3);
    // R: shapiro.test(c(1, 2, 4, 8, 16, 32, 64, 128))$statistic = 0.77496 (geometric, strongly skewed)
    const w = shapiroWilkW([1, 2, 4, 8, 16, 32, 64, 128]) ?? 0;
    expect(w).toBeGreaterThan(0.7);
    expect(w).toBeLessThan(0.82);
  });
  it('is near 1 for normal samples and small for bimodal or exponential ones', () => {
    const rng = new Rng(1);
    const normal = Array.from({ length: 500 }, () => rng.gauss());
    expect(shapiroWilkW(normal)).toBeGreaterThan(0.99);
    const bimodal = Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? 6 : 0.2) + rng.gauss() * 0.1);
    expect(shapiroWilkW(bimodal)).toBeLessThan(0.7);
    const expo = Array.from({ length: 500 }, () => -Math.log(Math.max(rng.next(), 1e-9)));
    expect(shapiroWilkW(expo)).toBeLessThan(0.9);
  });
  it('is undefined where W is undefined', () => {
    expect(shapiroWilkW([1, 2])).toBeUndefined();
    expect(shapiroWilkW([3, 3, 3, 3])).toBeUndefined();
    expect(shapiroWilkW(new Array<number>(6000).fill(0).map((_, i) => i))).toBeUndefined();
  });
  it('normal quantile', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});
