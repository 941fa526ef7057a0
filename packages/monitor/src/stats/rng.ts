import { seededRandom } from '@atlasguard/core';

/** Small seeded PRNG (mulberry32) — deterministic simulation and fixed random hyperplanes. */
export class Rng {
  private readonly draw: () => number;
  constructor(seed: number) {
    this.draw = seededRandom(seed);
  }
  next(): number {
    return this.draw();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    const v = xs[this.int(xs.length)];
    if (v === undefined) throw new Error('pick from empty list');
    return v;
  }
  gauss(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.gauss());
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
