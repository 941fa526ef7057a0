import { beforeAll, describe, expect, it } from 'vitest';
import { quantisedRowKeys } from '../hash/quantised-row.js';
import { seededRandom } from '../stats/rng.js';
import { precisionRecall, tabularRows, textDocs, toCsv, toJsonl } from '../test-support/generate.js';
import { RowGroups } from './row-groups.js';
import { scanFixture, now, tool, rowsOf } from '../test-support/scan-fixture.js';

const { file, scan } = scanFixture('ag-row-dups-');

const COLS = ['id', 'f1', 'f2', 'f3', 'color', 'label'];
const roles = { id: 'id', label: 'label', features: [] };

describe('quantised row keys', () => {
  it('equal for formatting and rounding differences, different for real differences', () => {
    const [a1, b1] = quantisedRowKeys({ f1: 1.5, f2: '2', color: 'Red ' }, ['color', 'f1', 'f2']);
    const [a2, b2] = quantisedRowKeys({ f1: '1.50', f2: 2.0004, color: 'red' }, ['color', 'f1', 'f2']);
    expect(a1 === a2 || b1 === b2).toBe(true);
    const [a3, b3] = quantisedRowKeys({ f1: 1.6, f2: 2, color: 'red' }, ['color', 'f1', 'f2']);
    expect(a3).not.toBe(a1);
    expect(b3).not.toBe(b1);
    // field boundaries cannot shift: "ab"+"c" ≠ "a"+"bc"
    expect(quantisedRowKeys({ x: 'ab', y: 'c' }, ['x', 'y'])[0]).not.toBe(
      quantisedRowKeys({ x: 'a', y: 'bc' }, ['x', 'y'])[0],
    );
    // a value just across a rounding boundary still shares the shifted grid
    const [c1, d1] = quantisedRowKeys({ v: 1.2349 }, ['v']);
    const [c2, d2] = quantisedRowKeys({ v: 1.2351 }, ['v']);
    expect(c1).not.toBe(c2);
    expect(d1).toBe(d2);
  });

  it('reads dotted feature names from nested JSON', () => {
    const a = quantisedRowKeys({ meta: { x: 1.5, y: 'a' } }, ['meta.x', 'meta.y']);
    const b = quantisedRowKeys({ meta: { x: 2.5, y: 'a' } }, ['meta.x', 'meta.y']);
    expect(a[0]).not.toBe(b[0]);
    expect(a).toEqual(quantisedRowKeys({ meta: { x: '1.50', y: 'A' } }, ['meta.x', 'meta.y']));
  });

  it('groups rows that share any key (union-find)', () => {
    const g = new RowGroups();
    g.add(0, [1, 2]);
    g.add(1, [3, 4]);
    g.add(2, [5, 2]);
    g.add(3, [4, 6]);
    g.add(5, [7, 8]);
    const groups = [...g.groups([0, 1, 2, 3, 5]).values()].map((m) => m.sort((a, b) => a - b));
    expect(groups).toEqual([[0, 2], [1, 3], [5]]);
  });
});

describe('near-duplicate table rows', () => {
  let baseline: string;
  let baseRows: ReturnType<typeof tabularRows>;
  beforeAll(() => {
    baseRows = tabularRows(3000, 1, 'b');
    baseline = file('base.csv', toCsv(baseRows, COLS));
  });

  it('finds flooding by jittered copies of one row', async () => {
    const rows: Array<Record<string, unknown>> = tabularRows(1000, 2, 'c').map((r) => ({ ...r }));
    const random = seededRandom(3);
    const template = rows[7] ?? {};
    const poisoned = new Set<number>([7]);
    for (let k = 0; k < 20; k++) {
      poisoned.add(rows.length);
      const jitter = (v: unknown): number => Number(v) * (1 + (random() - 0.5) * 2e-4);
      rows.push({
        ...template,
        id: `j${String(k)}`,
        f1: jitter(template.f1),
        f2: jitter(template.f2),
        f3: jitter(template.f3),
      });
    }
    const { report } = await scan(file('jitter.csv', toCsv(rows, COLS)), baseline, roles);
    expect(report.verdict).toBe('fail');
    const pr = precisionRecall(rowsOf(report.findings, 'data.duplicate.flooding'), poisoned);
    expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
  });

  it('coarse clean data with many natural duplicates does not alert (hard negative)', async () => {
    // integer features: the same rows recur in the baseline at the same rate, so clusters are not floods
    const coarse = (n: number, seed: number, prefix: string) =>
      tabularRows(n, seed, prefix).map((r) => ({
        ...r,
        f1: Math.round(r.f1),
        f2: Math.round(r.f2),
        f3: Math.round(r.f3),
      }));
    const base = file('coarse-base.csv', toCsv(coarse(4000, 4, 'b'), COLS));
    const { report } = await scan(file('coarse-batch.csv', toCsv(coarse(1000, 5, 'c'), COLS)), base, roles);
    expect(report.checks.find((c) => c.id === 'duplicate-flooding')?.status).toBe('pass');
    expect(report.verdict, JSON.stringify(report.findings.slice(0, 3))).toBe('pass');
  });

  it('reports rows of a held-out split that copy training rows (leakage), only with --held-out', async () => {
    const rows: Array<Record<string, unknown>> = tabularRows(800, 6, 'e').map((r) => ({ ...r }));
    const leaked = new Set<number>();
    for (let k = 0; k < 40; k++) {
      const src = baseRows[k * 37] ?? baseRows[0];
      leaked.add(rows.length);
      // re-exported: other id, numbers written with other precision
      rows.push({
        ...src,
        id: `copy${String(k)}`,
        f1: Number(src?.f1.toFixed(3)),
        f2: `${String(src?.f2)}0`,
      });
    }
    const batch = file('eval.csv', toCsv(rows, COLS));
    const informational = await scan(batch, baseline, roles);
    const info = informational.report.checks.find((c) => c.id === 'split-leakage');
    expect(info?.status).toBe('pass');
    expect(info?.count).toBeGreaterThanOrEqual(32);
    expect(rowsOf(informational.report.findings, 'data.duplicate.split-leakage').size).toBe(0);
    const { report } = await scan(batch, baseline, roles, { heldOut: true });
    expect(report.checks.find((c) => c.id === 'split-leakage')?.status).toBe('fail');
    const pr = precisionRecall(rowsOf(report.findings, 'data.duplicate.split-leakage'), leaked);
    expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    // a fresh split has no leakage
    const fresh = await scan(file('fresh.csv', toCsv(tabularRows(800, 7, 'f'), COLS)), baseline, roles, {
      heldOut: true,
    });
    expect(fresh.report.checks.find((c) => c.id === 'split-leakage')?.status).toBe('pass');
  });

  it('says so when a table profile predates near-duplicate keys', async () => {
    const { buildProfile } = await import('../profile/build-profile.js');
    const { openDataset } = await import('../read/open-dataset.js');
    const profile = await buildProfile(await openDataset(baseline), { roles, seed: 1, tool, now });
    expect(profile.documents?.near).toBeDefined();
    delete profile.documents?.near;
    const legacy = file('legacy-profile.json', JSON.stringify(profile));
    const { report } = await scan(
      file('legacy-batch.csv', toCsv(tabularRows(300, 8, 'l'), COLS)),
      legacy,
      roles,
      {
        heldOut: true,
      },
    );
    expect(report.checks.find((c) => c.id === 'split-leakage')).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/no near-duplicate keys/) as unknown,
    });
  });

  it('reports leaked documents of a text split', async () => {
    const base = textDocs(1500, 21, 'b');
    const baselinePath = file('text-base.jsonl', toJsonl(base));
    const docs = textDocs(500, 22, 'e');
    const leaked = new Set<number>();
    for (let k = 0; k < 30; k++) {
      const src = base[k * 41] ?? base[0];
      leaked.add(docs.length);
      docs.push({ id: `copy${String(k)}`, text: `${src?.text ?? ''} .`, label: src?.label ?? 'positive' });
    }
    const textRoles = { id: 'id', label: 'label', text: 'text', features: [] };
    const { report } = await scan(file('text-eval.jsonl', toJsonl(docs)), baselinePath, textRoles, {
      heldOut: true,
    });
    const pr = precisionRecall(rowsOf(report.findings, 'data.duplicate.split-leakage'), leaked);
    expect(pr.precision, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
    expect(pr.recall, JSON.stringify(pr)).toBeGreaterThanOrEqual(0.8);
  });
});
