import { Reservoir } from '../stats/rng.js';
import type { LabelIndex } from './label-index.js';
import type { EmbeddingProfile } from './profile-schema.js';
import { f32ToBase64 } from './signature-store.js';

export const EMBEDDING_SAMPLE_PER_LABEL = 256;

/** Per-label mean and a seeded sample of embedding vectors. */
export class EmbeddingAccumulator {
  dims = 0;
  readonly byLabel = new Map<number, { n: number; sum: Float64Array; sample: Reservoir<Float64Array> }>();
  constructor(
    readonly field: string,
    private readonly seed: number,
    private readonly sampleSize = EMBEDDING_SAMPLE_PER_LABEL,
  ) {}

  /** Returns false when the vector's dimension differs from the first one seen. */
  add(v: Float64Array, label: number): boolean {
    if (this.dims === 0) this.dims = v.length;
    if (v.length !== this.dims) return false;
    let s = this.byLabel.get(label);
    if (!s) {
      s = {
        n: 0,
        sum: new Float64Array(this.dims),
        sample: new Reservoir(this.sampleSize, this.seed ^ (label * 977)),
      };
      this.byLabel.set(label, s);
    }
    s.n++;
    for (let i = 0; i < v.length; i++) s.sum[i] = (s.sum[i] ?? 0) + (v[i] ?? 0);
    s.sample.add(v);
    return true;
  }

  finish(labels: LabelIndex): EmbeddingProfile | undefined {
    if (this.dims === 0) return undefined;
    const byLabel: EmbeddingProfile['byLabel'] = {};
    for (const [label, s] of this.byLabel) {
      const name = label === 0xffff ? '' : (labels.names[label] ?? '');
      const flat: number[] = [];
      for (const v of s.sample.items) flat.push(...v);
      byLabel[name] = { n: s.n, mean: Array.from(s.sum, (x) => x / s.n), sample: f32ToBase64(flat) };
    }
    return { field: this.field, dims: this.dims, byLabel };
  }
}
