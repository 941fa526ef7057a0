import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/rng.js';
import {
  flipLabels,
  gaussian,
  mixtureRows,
  precisionRecall,
  toCsv,
  toJsonl,
  type ClassSpec,
} from '../test-support/generate.js';
import { suspiciousCluster, twoMeans } from './embedding-clusters.js';
import { KnnReference } from './knn.js';
import { poissonSf } from './label-agreement.js';
import { scanFixture, rowsOf } from '../test-support/scan-fixture.js';

const { file, scan } = scanFixture('ag-label-checks-');

describe('kNN reference', () => {
  it('votes with balanced weights and leaves one out', () => {
    // 2 points of "b" among 18 of "a" on a line; "b" sits at the right end
    const xs = [...Array.from({ length: 18 }, (_, i) => i), 30, 31];
    const labels = Uint16Array.from(xs.map((_, i) => (i < 18 ? 0 : 1)));
    const ref = new KnnReference(1, Float64Array.from(xs), labels, ['a', 'b'], 3);
    const v = ref.vote(Float64Array.of(30.5), 1);
    // neighbours: b, b, a(17) — weights 10 each for b, 20/18 for a
    expect(v?.top).toBe(1);
    expect(v?.ownShare).toBeGreaterThan(0.9);
    expect(ref.vote(Float64Array.of(2), 1)?.ownShare).toBe(0);
    expect(
      KnnReference.disagrees(ref.vote(Float64Array.of(2), 1) ?? { ownShare: 1, top: 1, topShare: 0 }, 1),
    ).toBe(true);
    // a missing dimension is left out
    const two = new KnnReference(
      2,
      Float64Array.from([0, 0, 1, NaN, 2, 2, 9, 9]),
      Uint16Array.of(0, 0, 0, 1),
      ['a', 'b'],
      2,
    );
    expect(two.vote(Float64Array.of(NaN, 0), 0)?.top).toBe(0);
    const rates = ref.looRates();
    expect(rates.length).toBe(2);
    expect(rates[0]).toBeLessThan(0.2);
  });

  it('Poisson tail probabilities', () => {
    expect(poissonSf(0, 3)).toBe(1);
    expect(poissonSf(1, 2)).toBeCloseTo(1 - Math.exp(-2), 9);
    expect(poissonSf(3, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5), 9);
    expect(poissonSf(40, 5)).toBeLessThan(1e-12);
  });
});

describe('label agreement on tabular data (kNN)', () => {
  const cols = ['id', 'x0', 'x1', 'x2', 'label'];
  const roles = { id: 'id', label: 'label', features: [] };
  const cases: Array<{ name: string; classes: ClassSpec[] }> = [
    {
      // the centroid of "ok" lies on top of "fraud": a centroid check fails here, neighbours do not
      name: 'multimodal class',
      classes: [
        {
          label: 'ok',
          share: 0.6,
          modes: [
            [-4, 0, 0],
            [4, 0, 0],
          ],
        },
        { label: 'fraud', share: 0.4, modes: [[0, 0, 0]] },
      ],
    },
    {
      name: 'imbalanced classes (5 %)',
      classes: [
        { label: 'ok', share: 0.95, modes: [[0, 0, 0]] },
        { label: 'fraud', share: 0.05, modes: [[3, 3, 3]] },
      ],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: clean batches pass (hard negative), flipped labels are found row by row`, async () => {
      const baseline = file(`${c.name}-base.csv`, toCsv(mixtureRows(3000, 1, c.classes, 'b'), cols));
      // (label-shift tests at p < 0.01, so about one clean batch in a hundred trips it by chance)
      for (const seed of [2, 6]) {
        const clean = file(
          `${c.name}-clean-${String(seed)}.csv`,
          toCsv(mixtureRows(1000, seed, c.classes, 'c'), cols),
        );
        const { report } = await scan(clean, baseline, roles);
        const check = report.checks.find((x) => x.id === 'label-feature-agreement');
        expect(check?.status, check?.message).toBe('pass');
        expect(check?.method).toMatch(/nearest neighbours/);
        expect(report.verdict, JSON.stringify(report.findings.slice(0, 3))).toBe('pass');
      }
      const rows = mixtureRows(1000, 4, c.classes, 'p');
      const poisoned = flipLabels(rows, 50, 5, ['ok', 'fraud']);
      const { report } = await scan(file(`${c.name}-flip.csv`, toCsv(rows, cols)), baseline, roles);
      expect(report.verdict).toBe('fail');
      const pr = precisionRecall(rowsOf(report.findings, 'data.label.disagrees-with-features'), poisoned);
      expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
      expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    });
  }
});

describe('embedding checks: kNN label agreement and per-class 2-means', () => {
  const D = 16;
  const axis = (j: number, s: number): number[] => Array.from({ length: D }, (_, i) => (i === j ? s : 0));
  // "a" is bimodal, "c" is rare: both are hard negatives for clustering and voting
  const classes: ClassSpec[] = [
    { label: 'a', share: 0.45, modes: [axis(0, 5), axis(0, -5)] },
    { label: 'b', share: 0.45, modes: [axis(1, 5)] },
    { label: 'c', share: 0.1, modes: [axis(2, 5)] },
  ];
  const roles = { id: 'id', label: 'label', embedding: 'vec', features: [] };
  const asEmbedding = (rows: Array<Record<string, number | string>>): Array<Record<string, unknown>> =>
    rows.map((r) => ({
      id: r.id,
      label: r.label,
      vec: Array.from({ length: D }, (_, j) => r[`x${String(j)}`]),
    }));
  let baseline: string;
  beforeAll(() => {
    baseline = file('emb-base.jsonl', toJsonl(asEmbedding(mixtureRows(1500, 11, classes, 'b'))));
  });

  it('passes clean batches (multimodal and rare classes are hard negatives)', async () => {
    for (const seed of [12, 13]) {
      const batch = file(
        `emb-clean-${String(seed)}.jsonl`,
        toJsonl(asEmbedding(mixtureRows(700, seed, classes, 'c'))),
      );
      const { report } = await scan(batch, baseline, roles);
      for (const id of ['embedding-label-agreement', 'embedding-clusters', 'embedding-spectral']) {
        const check = report.checks.find((x) => x.id === id);
        expect(check?.status, `${id}: ${check?.message ?? ''}`).toBe('pass');
      }
      expect(report.verdict, JSON.stringify(report.findings.slice(0, 3))).toBe('pass');
    }
  });

  it('finds flipped labels by their neighbours', async () => {
    const rows = asEmbedding(mixtureRows(700, 14, classes, 'p'));
    const poisoned = flipLabels(rows, 40, 15, ['a', 'b', 'c']);
    const { report } = await scan(file('emb-flip.jsonl', toJsonl(rows)), baseline, roles);
    expect(report.verdict).toBe('fail');
    const pr = precisionRecall(rowsOf(report.findings, 'data.embedding.label-disagrees'), poisoned);
    expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
  });

  it('finds a backdoor cluster inside the target class', async () => {
    const rows = asEmbedding(mixtureRows(700, 16, classes, 'p'));
    const random = seededRandom(17);
    const poisoned = new Set<number>();
    // triggered samples: their own tight region of embedding space, all labelled with the target class "b"
    for (let k = 0; k < 40; k++) {
      poisoned.add(rows.length);
      rows.push({
        id: `t${String(k)}`,
        label: 'b',
        vec: Array.from(
          { length: D },
          (_, j) => Math.round(((j === 7 ? 6 : 0) + 0.5 * gaussian(random)) * 1e4) / 1e4,
        ),
      });
    }
    const { report } = await scan(file('emb-backdoor.jsonl', toJsonl(rows)), baseline, roles);
    expect(report.verdict).toBe('fail');
    expect(report.checks.find((x) => x.id === 'embedding-clusters')?.status).toBe('fail');
    const pr = precisionRecall(rowsOf(report.findings, 'data.embedding.cluster'), poisoned);
    expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
  });

  it('2-means separates two blobs and leaves a unimodal class alone', () => {
    const random = seededRandom(3);
    const blob = (c: number, n: number): Float64Array[] =>
      Array.from({ length: n }, () =>
        Float64Array.from({ length: 4 }, (_, j) => (j === 0 ? c : 0) + gaussian(random)),
      );
    const points = [...blob(0, 50), ...blob(10, 20)];
    const assign = twoMeans(points, 1);
    const first = assign[0];
    expect(assign.slice(0, 50).every((a) => a === first)).toBe(true);
    expect(assign.slice(50).every((a) => a !== first)).toBe(true);
    expect(suspiciousCluster(blob(0, 300), blob(0, 200), 1).flagged).toEqual([]);
  });
});
