import { describe, expect, it } from 'vitest';
import { chiSquareSf, kolmogorovSf } from './distributions.js';
import { chiSquareTwoSample, jensenShannonDistance, ksTwoSample, psi } from './drift-tests.js';

describe('distribution functions against reference values', () => {
  it('chi-square survival', () => {
    expect(chiSquareSf(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareSf(9.487729, 4)).toBeCloseTo(0.05, 5);
    expect(chiSquareSf(6.634897, 1)).toBeCloseTo(0.01, 5);
  });
  it('Kolmogorov survival', () => {
    expect(kolmogorovSf(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovSf(1.6276)).toBeCloseTo(0.01, 3);
  });
  it('two-sample KS statistic', () => {
    const r = ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);
    expect(r.statistic).toBeCloseTo(0.4, 10);
    expect(ksTwoSample([1, 2, 3], [1, 2, 3]).statistic).toBe(0);
  });
  it('PSI, Jensen-Shannon and chi-square on counts', () => {
    expect(psi([50, 50], [50, 50])).toBe(0);
    expect(psi([50, 50], [90, 10])).toBeGreaterThan(0.25);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 10);
    expect(chiSquareTwoSample([10, 20], [10, 20]).pValue).toBeCloseTo(1, 10);
  });
});
