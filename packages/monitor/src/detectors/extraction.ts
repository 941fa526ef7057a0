import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { Rng } from '../stats/rng.js';
import { shapiroWilkW } from '../stats/shapiro-wilk.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';
import { minDistance } from './prada-search.js';

interface ClassSet {
  /**
   * stored queries, flattened (dim values each), as float32: half the memory of the largest state any
   * detector keeps, and feature vectors are float32 at the source in practice
   */
  q: Float32Array;
  /** vectors stored in q */
  n: number;
  /** min distances seen for this class (threshold = mean − std) */
  d: number[];
}

interface ExtractionState {
  classes: Record<string, ClassSet>;
  /** all min distances (ring, most recent maxDistances) */
  dist: number[];
  dim: number;
  /** coverage bitset of LSH cells, 32 cells per number */
  cells: number[];
  queries: number;
  sinceTest: number;
  lastW: number;
  lines: number[];
  pradaAlerted: boolean;
  coverageAlerted: boolean;
}

/** Appends a query vector, growing the float32 store by doubling up to `max` vectors. */
function store(cls: ClassSet, x: readonly number[], max: number): void {
  const dim = x.length;
  if ((cls.n + 1) * dim > cls.q.length) {
    const grown = new Float32Array(Math.min(Math.max(1, cls.n * 2), max) * dim);
    grown.set(cls.q.subarray(0, cls.n * dim));
    cls.q = grown;
  }
  cls.q.set(x, cls.n * dim);
  cls.n++;
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let m = 0;
  for (const x of xs) m += x;
  return m / xs.length;
}

function std(xs: readonly number[], m: number): number {
  if (xs.length === 0) return 0;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return Math.sqrt(v / xs.length);
}

function popcount(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Extraction on classic model APIs (AML.T0024.002): PRADA (Juuti et al., EuroS&P 2019) — per principal and
 * predicted class, the minimum L2 distance of each query to the class's stored queries; a query is stored
 * when that distance exceeds mean − std of the class's distances; once `minDistances` distances exist the
 * Shapiro-Wilk W of the distance set is tested against δ. Plus query-space coverage (Kesarwani et al. 2018):
 * the share of random-hyperplane cells a principal's queries reach.
 */
export class ExtractionDetector extends KeyedDetector<ExtractionState> {
  readonly id = 'extraction';
  readonly description = 'PRADA distance-normality test and query-space coverage on feature vectors';
  readonly techniques = ['AML.T0024', 'AML.T0024.002'];
  readonly requires = ['atlasguard.input.features'] as const;
  private planes: number[][] = [];
  private planeDim = -1;
  private readonly bits: number;
  /** running mean of features (centre for the hyperplanes) */
  private centre: number[] = [];
  private centreN = 0;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
    this.bits = Math.round(Math.log2(config.prada.coverageCells));
  }

  /** The hyperplanes are a pure function of the dimension (seeded), so checkpoints carry only the centre. */
  private setDimension(dim: number): void {
    const rng = new Rng(0x5eed + dim);
    this.planes = Array.from({ length: this.bits }, () => Array.from({ length: dim }, () => rng.gauss()));
    this.planeDim = dim;
    this.centre = new Array<number>(dim).fill(0);
    this.centreN = 0;
  }

  private cellOf(x: readonly number[]): number {
    const dim = x.length;
    if (this.planeDim !== dim) this.setDimension(dim);
    this.centreN++;
    const w = 1 / Math.min(this.centreN, 10_000);
    for (let i = 0; i < dim; i++) this.centre[i] = (this.centre[i] ?? 0) * (1 - w) + (x[i] ?? 0) * w;
    let cell = 0;
    for (let j = 0; j < this.bits; j++) {
      const p = this.planes[j] ?? [];
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += (p[i] ?? 0) * ((x[i] ?? 0) - (this.centre[i] ?? 0));
      if (dot > 0) cell |= 1 << j;
    }
    return cell;
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const x = e.record['atlasguard.input.features'];
    if (!x || x.length === 0) return;
    const cfg = this.config.prada;
    const label = String(e.record['atlasguard.output.label'] ?? '_');
    // get-then-set (as getOrCreate does): no closure allocated per event
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = {
        classes: {},
        dist: [],
        dim: x.length,
        cells: new Array<number>(Math.ceil(cfg.coverageCells / 32)).fill(0),
        queries: 0,
        sinceTest: 0,
        lastW: 1,
        lines: [],
        pradaAlerted: false,
        coverageAlerted: false,
      };
      this.state.set(key, s);
    }
    if (x.length !== s.dim) return;
    s.queries++;
    s.lines = pushLine(s.lines, e.line);
    const cell = this.cellOf(x);
    const word = cell >>> 5;
    s.cells[word] = ((s.cells[word] ?? 0) | (1 << (cell & 31))) >>> 0;

    let cls = s.classes[label];
    if (!cls) {
      if (Object.keys(s.classes).length >= 64) return;
      cls = { q: new Float32Array(Math.min(8, cfg.maxPerClass) * x.length), n: 0, d: [] };
      s.classes[label] = cls;
    }
    if (cls.n === 0) {
      store(cls, x, cfg.maxPerClass);
    } else {
      const dmin = minDistance(cls.q, cls.n, x, s.dim);
      s.dist.push(dmin);
      if (s.dist.length > cfg.maxDistances) s.dist.shift();
      // the threshold (mean − std of the class's distances so far) matters only while the class has room
      let keep = false;
      if (cls.n < cfg.maxPerClass) {
        // m − sd ≤ m (sd ≥ 0 and rounding is monotone): a distance above the mean is above the threshold
        // without the second pass over the class's distances
        const m = mean(cls.d);
        keep = dmin > m || dmin > m - std(cls.d, m);
      }
      cls.d.push(dmin);
      if (cls.d.length > cfg.maxDistances) cls.d.shift();
      if (keep) store(cls, x, cfg.maxPerClass);
      s.sinceTest++;
    }
    if (!s.pradaAlerted && s.dist.length >= cfg.minDistances && s.sinceTest >= 10) {
      s.sinceTest = 0;
      const w = shapiroWilkW(s.dist);
      const constant = w === undefined;
      s.lastW = w ?? 0;
      if (constant || s.lastW < cfg.delta) {
        s.pradaAlerted = true;
        ctx.emit({
          ruleId: 'AG-MON-PRADA',
          severity: 'high',
          principal: e.principal,
          tenant: e.tenant,
          techniques: ['AML.T0024.002'],
          message: `query distance distribution is not normal (Shapiro-Wilk W = ${s.lastW.toFixed(3)} < δ ${cfg.delta}) over ${s.dist.length} distances`,
          evidence: {
            lines: [...s.lines],
            statistic: {
              shapiroWilkW: Number(s.lastW.toFixed(4)),
              delta: cfg.delta,
              distances: s.dist.length,
              queries: s.queries,
            },
          },
          windowStart: e.time,
          windowEnd: e.time,
        });
      }
    }
    if (!s.coverageAlerted && s.queries >= cfg.coverageMinQueries) {
      let covered = 0;
      for (const w of s.cells) covered += popcount(w);
      const share = covered / cfg.coverageCells;
      if (share >= cfg.coverageShare) {
        s.coverageAlerted = true;
        ctx.emit({
          ruleId: 'AG-MON-COVERAGE',
          severity: 'medium',
          principal: e.principal,
          tenant: e.tenant,
          techniques: ['AML.T0024.002'],
          message: `queries cover ${(share * 100).toFixed(0)}% of the input-space cells (${covered}/${cfg.coverageCells}) after ${s.queries} queries`,
          evidence: {
            lines: [...s.lines],
            statistic: { coverage: Number(share.toFixed(3)), cells: covered, queries: s.queries },
          },
          windowStart: e.time,
          windowEnd: e.time,
        });
      }
    }
  }

  /** Per-principal state plus the shared centre of the coverage hyperplanes (else coverage drifts on resume). */
  override snapshot(): unknown {
    const p: [string, unknown][] = [];
    for (const [k, st] of this.state.entries()) {
      const classes: Record<string, { q: number[]; d: number[] }> = {};
      for (const [label, c] of Object.entries(st.classes))
        classes[label] = { q: Array.from(c.q.subarray(0, c.n * st.dim)), d: [...c.d] };
      p.push([k, { ...st, classes }]);
    }
    return { p, dim: this.planeDim, centre: [...this.centre], centreN: this.centreN };
  }

  /** Per-principal entries from a checkpoint: stored queries back into float32 stores. */
  private restoreEntries(data: unknown): void {
    this.state.clear();
    if (!Array.isArray(data)) return;
    for (const entry of data as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const st = entry[1] as ExtractionState | null;
      if (st === null || typeof st !== 'object' || typeof st.dim !== 'number' || st.dim < 1 || st.dim > 4096)
        continue;
      const classes: Record<string, ClassSet> = {};
      const loose = (st as unknown as { classes?: unknown }).classes;
      const raw = (typeof loose === 'object' && loose !== null ? loose : {}) as Record<
        string,
        { q?: unknown; d?: unknown } | null
      >;
      for (const [label, c] of Object.entries(raw)) {
        const q = Array.isArray(c?.q) ? (c.q as unknown[]).map(Number) : [];
        const n = Math.min(Math.floor(q.length / st.dim), this.config.prada.maxPerClass);
        const set: ClassSet = { q: new Float32Array(Math.max(1, n) * st.dim), n, d: [] };
        set.q.set(q.slice(0, n * st.dim));
        set.d = Array.isArray(c?.d) ? (c.d as unknown[]).map(Number) : [];
        classes[label] = set;
      }
      this.state.set(entry[0], { ...st, classes });
    }
  }

  override restore(data: unknown): void {
    this.planeDim = -1;
    // checkpoints written before the centre was saved hold just the per-principal list
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      this.restoreEntries(data);
      return;
    }
    const d = data as { p?: unknown; dim?: unknown; centre?: unknown; centreN?: unknown };
    this.restoreEntries(d.p);
    if (typeof d.dim !== 'number' || !Number.isInteger(d.dim) || d.dim <= 0 || d.dim > 4096) return;
    this.setDimension(d.dim);
    if (Array.isArray(d.centre) && d.centre.length === d.dim)
      this.centre = d.centre.map((v) => (typeof v === 'number' ? v : 0));
    if (typeof d.centreN === 'number') this.centreN = d.centreN;
  }
}
