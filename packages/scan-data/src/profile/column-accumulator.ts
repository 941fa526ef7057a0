import { asNumber } from '../roles.js';
import { binCounts, quantileEdges } from '../stats/drift-tests.js';
import { Reservoir } from '../stats/rng.js';
import type { ColumnProfile, ColumnType, NumericSummary } from './profile-schema.js';

export const MAX_CATEGORIES = 1000;
export const NUMERIC_SAMPLE = 5000;
export const QUANTILE_BINS = 10;

/** Summarises a numeric sample: moments over all values seen, bins and KS sample from the reservoir. */
export function numericSummary(
  sample: readonly number[],
  moments: { n: number; sum: number; sumSq: number; min: number; max: number },
): NumericSummary {
  const mean = moments.n > 0 ? moments.sum / moments.n : 0;
  const variance =
    moments.n > 1 ? Math.max(0, (moments.sumSq - moments.n * mean * mean) / (moments.n - 1)) : 0;
  const edges = quantileEdges(sample, QUANTILE_BINS);
  return {
    min: moments.n > 0 ? moments.min : 0,
    max: moments.n > 0 ? moments.max : 0,
    mean,
    std: Math.sqrt(variance),
    quantileEdges: edges,
    binCounts: binCounts(sample, edges),
    sample: [...sample],
  };
}

/** Streams the values of one column: types, nulls, moments, a seeded sample and category counts. */
export class ColumnAccumulator {
  count = 0;
  nulls = 0;
  numbers = 0;
  strings = 0;
  booleans = 0;
  objects = 0;
  vectors = 0;
  readonly moments = { n: 0, sum: 0, sumSq: 0, min: Infinity, max: -Infinity };
  readonly sample: Reservoir<number>;
  readonly categories = new Map<string, number>();
  capped = false;

  constructor(
    readonly name: string,
    seed: number,
  ) {
    this.sample = new Reservoir<number>(NUMERIC_SAMPLE, seed);
  }

  add(value: unknown): void {
    this.count++;
    if (value === null || value === undefined || value === '') {
      this.nulls++;
      return;
    }
    let key: string;
    if (typeof value === 'boolean') {
      this.booleans++;
      key = String(value);
    } else if (typeof value === 'object') {
      if (Array.isArray(value)) this.vectors++;
      else this.objects++;
      return;
    } else {
      key =
        typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'bigint'
            ? String(value)
            : typeof value;
      const n = asNumber(value);
      if (n !== undefined) {
        this.numbers++;
        const m = this.moments;
        m.n++;
        m.sum += n;
        m.sumSq += n * n;
        if (n < m.min) m.min = n;
        if (n > m.max) m.max = n;
        this.sample.add(n);
      } else if (typeof value === 'string') {
        this.strings++;
        if (value === 'true' || value === 'false') this.booleans++;
      }
    }
    if (key.length > 200) key = key.slice(0, 200);
    const c = this.categories.get(key);
    if (c !== undefined) this.categories.set(key, c + 1);
    else if (this.categories.size < MAX_CATEGORIES) this.categories.set(key, 1);
    else this.capped = true;
  }

  inferType(): ColumnType {
    const nonNull = this.count - this.nulls;
    if (nonNull === 0) return 'empty';
    if (this.vectors >= nonNull * 0.98) return 'vector';
    if (this.objects > 0 && this.objects >= nonNull * 0.5) return 'object';
    if (this.booleans >= nonNull) return 'boolean';
    if (this.numbers >= nonNull * 0.98) {
      return !this.capped && this.categories.size <= 5 ? 'categorical' : 'numeric';
    }
    if (this.numbers + this.strings + this.booleans >= nonNull * 0.98) {
      return !this.capped && this.categories.size <= 100 ? 'categorical' : 'text';
    }
    return 'mixed';
  }

  finish(forced?: ColumnType): ColumnProfile {
    const type = forced ?? this.inferType();
    const profile: ColumnProfile = {
      name: this.name,
      type,
      count: this.count,
      nulls: this.nulls,
      distinct: this.categories.size,
      distinctCapped: this.capped,
    };
    if (type === 'numeric') profile.numeric = numericSummary(this.sample.items, this.moments);
    if (type === 'categorical' || type === 'boolean')
      profile.categories = Object.fromEntries(this.categories);
    return profile;
  }
}
