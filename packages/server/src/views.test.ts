import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { makeHarness, type Harness } from './test-support/harness.js';

const EXAMPLE = readFileSync(
  new URL('../../../examples/card-fraud-scoring/atlasguard.yaml', import.meta.url),
  'utf8',
);
const catalog = testCatalog();

describe('assessment views (portfolio, matrix, technique, checklist, diff, validate, schema)', () => {
  let h: Harness;
  let sys: string;
  let other: string;
  let uploadId: string;
  const get = async <T>(path: string, status = 200, cookie?: string): Promise<T> => {
    const res = await h.call('GET', path, { cookie: cookie ?? h.cookies.viewer });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    h = await makeHarness({ catalog });
    const mk = async (slug: string) =>
      (
        (await (
          await h.call('POST', '/api/systems', { cookie: h.cookies.security, body: { slug, name: slug } })
        ).json()) as {
          id: string;
        }
      ).id;
    sys = await mk('fraud');
    other = await mk('empty');
    await h.call('POST', `/api/systems/${sys}/models`, {
      cookie: h.cookies.security,
      body: { yaml: EXAMPLE },
    });
    await h.call('POST', `/api/systems/${sys}/evidence/links`, {
      cookie: h.cookies.engineer,
      body: { title: 'signing log', url: 'https://ci.example.org/s', questionId: 'Q-AML.M0014-1' },
    });
    await h.call('PUT', `/api/systems/${sys}/answers/Q-AML.M0014-1`, {
      cookie: h.cookies.engineer,
      body: { answer: 'yes', note: 'hash-checked' },
    });
    const up = await h.call('POST', `/api/systems/${sys}/findings`, {
      cookie: h.cookies.engineer,
      body: { kind: 'scan-model', format: 'json', document: { findings: [] } },
    });
    uploadId = ((await up.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('portfolio: levels, coverage, trend oldest→newest, heat map over every tactic; empty systems are null', async () => {
    const p = await get<{
      systems: {
        id: string;
        residualLevel: string | null;
        coverage: number | null;
        applicable: number | null;
        questions: { answered: number; total: number };
        findings: { critical: number };
        trend: { residualScore: number | null; at: string }[];
        lastAssessedAt: string | null;
      }[];
      heatmap: {
        tactics: { id: string; name: string }[];
        rows: { systemId: string; cells: Record<string, string | null> }[];
      };
    }>('/api/portfolio');
    const fraud = p.systems.find((s) => s.id === sys)!;
    expect(fraud.residualLevel).toBe('critical');
    expect(fraud.applicable).toBe(77);
    expect(fraud.coverage).toBeGreaterThan(0);
    expect(fraud.coverage).toBeLessThan(1);
    expect(fraud.questions.answered).toBe(2);
    expect(fraud.trend.length).toBe(4); // model, evidence, answer, findings
    const scores = fraud.trend.map((t) => t.residualScore ?? 0);
    expect(scores[2]).toBeLessThan(scores[1]!); // the answer lowered it
    const empty = p.systems.find((s) => s.id === other)!;
    expect([empty.residualLevel, empty.coverage, empty.lastAssessedAt, empty.trend]).toEqual([
      null,
      null,
      null,
      [],
    ]);
    expect(p.heatmap.tactics.map((t) => t.id)).toEqual(catalog.tactics.map((t) => t.id));
    const row = p.heatmap.rows.find((r) => r.systemId === sys)!;
    expect(Object.keys(row.cells).length).toBe(catalog.tactics.length);
    expect(Object.values(row.cells)).toContain('critical');
    expect(
      Object.values(p.heatmap.rows.find((r) => r.systemId === other)!.cells).every((v) => v === null),
    ).toBe(true);
  });

  it('portfolio: a token scoped to one system sees only it', async () => {
    const res = await h.call('POST', '/api/tokens', {
      cookie: h.cookies.security,
      body: { name: 'ci', actions: ['systems:read'], systems: [sys] },
    });
    const { token: secret } = (await res.json()) as { token: string };
    const p = (await (await h.call('GET', '/api/portfolio', { token: secret })).json()) as {
      systems: { id: string }[];
    };
    expect(p.systems.map((s) => s.id)).toEqual([sys]);
  });

  it('matrix: every tactic in catalog order, sub-techniques after their parent, levels of the latest run', async () => {
    const m = await get<{
      runId: string;
      tactics: {
        id: string;
        techniques: {
          id: string;
          parent: string | null;
          decision: string;
          residual: { level: string | null; score: number | null };
          coverage: number | null;
        }[];
      }[];
    }>(`/api/systems/${sys}/matrix`);
    const runs = await get<{ items: { id: string }[] }>(`/api/systems/${sys}/runs`);
    expect(m.runId).toBe(runs.items[0]?.id);
    expect(m.tactics.map((t) => t.id)).toEqual(catalog.tactics.map((t) => t.id));
    const all = m.tactics.flatMap((t) => t.techniques);
    const t10 = all.find((t) => t.id === 'AML.T0010')!;
    expect(t10).toMatchObject({ decision: 'applies', parent: null, residual: { level: 'medium' } });
    expect(t10.coverage).toBeGreaterThan(0);
    const sub = all.find((t) => t.id === 'AML.T0010.002')!;
    expect(sub.parent).toBe('AML.T0010');
    const tactic = m.tactics.find((t) => t.techniques.some((x) => x.id === 'AML.T0010.002'))!;
    const ids = tactic.techniques.map((t) => t.id);
    expect(ids.indexOf('AML.T0010.002')).toBeGreaterThan(ids.indexOf('AML.T0010'));
    expect(all.filter((t) => t.decision === 'not-applicable').every((t) => t.residual.level === null)).toBe(
      true,
    );
    await get(`/api/systems/${other}/matrix`, 404);
  });

  it('technique: the ledger entry, its questions with verification and evidence, and the scans that touched it', async () => {
    const t = await get<{
      technique: { id: string; name: string; tactics: string[] };
      entry: { techniqueId: string; decision: string };
      questions: {
        id: string;
        answer: string;
        verified: boolean;
        note: string;
        evidence: { url: string }[];
      }[];
      findings: { id: string }[];
    }>(`/api/systems/${sys}/techniques/AML.T0010`);
    expect(t.technique.name).toBe(catalog.technique('AML.T0010')?.name);
    expect(t.entry).toMatchObject({ techniqueId: 'AML.T0010', decision: 'applies' });
    const q = t.questions.find((x) => x.id === 'Q-AML.M0014-1')!;
    expect(q).toMatchObject({ answer: 'yes', verified: true, note: 'hash-checked' });
    expect(q.evidence.map((e) => e.url)).toEqual(['https://ci.example.org/s']);
    expect(t.questions.find((x) => x.id === 'Q-AML.M0023-1')).toMatchObject({
      answer: 'unanswered',
      verified: false,
    });
    expect(t.findings.map((f) => f.id)).toEqual([uploadId]);
    // hard negative: a technique neither scan-model mitigation nor question touches lists no upload
    const far = await get<{ findings: unknown[] }>(`/api/systems/${sys}/techniques/AML.T0015`);
    expect(far.findings).toEqual([]);
    await get(`/api/systems/${sys}/techniques/AML.T9999`, 404);
    await get(`/api/systems/${sys}/techniques/not-an-id`, 400);
  });

  it('checklist: by persona, most valuable first, with answers and evidence', async () => {
    const all = await get<{
      questions: {
        id: string;
        persona: string;
        answer: string;
        answeredBy: string | null;
        verified: boolean;
        why: string;
        techniques: string[];
      }[];
    }>(`/api/systems/${sys}/checklist`);
    expect(all.questions.length).toBeGreaterThan(20);
    const q14 = all.questions.find((q) => q.id === 'Q-AML.M0014-1')!;
    expect(q14).toMatchObject({ answer: 'yes', answeredBy: h.userIds.engineer, verified: true });
    expect(q14.why).toMatch(/AML\.M0014/);
    const eng = await get<{ questions: { persona: string }[] }>(
      `/api/systems/${sys}/checklist?persona=engineer`,
    );
    expect(eng.questions.length).toBeGreaterThan(0);
    expect(eng.questions.length).toBeLessThan(all.questions.length);
    expect(eng.questions.every((q) => q.persona === 'engineer')).toBe(true);
    // value order: the summed residual score of the techniques each question verifies never increases
    const run = await get<{ result: { ledger: { techniqueId: string; residual?: { score: number } }[] } }>(
      `/api/runs/${(await get<{ items: { id: string }[] }>(`/api/systems/${sys}/runs`)).items[0]!.id}`,
    );
    const score = new Map(run.result.ledger.map((e) => [e.techniqueId, e.residual?.score ?? 0]));
    const values = all.questions.map((q) => q.techniques.reduce((s, t) => s + (score.get(t) ?? 0), 0));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]!);
    await get(`/api/systems/${sys}/checklist?persona=ceo`, 400);
  });

  it('runs diff: the answer run against the one before names the changed techniques and mitigations', async () => {
    const runs = await get<{ items: { id: string; trigger: string }[] }>(`/api/systems/${sys}/runs`);
    const answerRun = runs.items.find((r) => r.trigger === 'answer')!;
    const evidenceRun = runs.items.find((r) => r.trigger === 'evidence')!;
    const d = await get<{
      from: { id: string };
      to: { id: string };
      risks: { changed: { id: string; from: { level: string }; to: { level: string } }[]; new: unknown[] };
      techniques: {
        id: string;
        level: { from: string; to: string } | null;
        mitigations: { id: string; from: string; to: string }[];
      }[];
    }>(`/api/systems/${sys}/runs/diff?from=${evidenceRun.id}&to=${answerRun.id}`);
    expect([d.from.id, d.to.id]).toEqual([evidenceRun.id, answerRun.id]);
    const t10 = d.techniques.find((t) => t.id === 'AML.T0010')!;
    expect(t10.level).toEqual({ from: 'high', to: 'medium' });
    expect(t10.mitigations).toEqual([{ id: 'AML.M0014', from: 'not-implemented', to: 'implemented' }]);
    expect(d.risks.changed.find((r) => r.id === 'AML.T0010')).toMatchObject({
      from: { level: 'high' },
      to: { level: 'medium' },
    });
    expect(d.risks.new).toEqual([]);
    expect(d.techniques.some((t) => t.id === 'AML.T0015')).toBe(false);
    // default: the two latest (findings run vs answer run): the clean scan only adds verification, no change
    const latest = await get<{ from: { id: string }; to: { id: string } }>(`/api/systems/${sys}/runs/diff`);
    expect([latest.from.id, latest.to.id]).toEqual([runs.items[1]!.id, runs.items[0]!.id]);
    await get(`/api/systems/${other}/runs/diff`, 404);
  });

  it('validates a model without storing it (line and column of each issue)', async () => {
    const call = async (yaml: string) =>
      (await (
        await h.call('POST', `/api/systems/${sys}/models/validate`, {
          cookie: h.cookies.viewer,
          body: { yaml },
        })
      ).json()) as {
        ok: boolean;
        issues: { line: number | null; col: number | null; message: string; path: string }[];
      };
    expect(await call(EXAMPLE)).toMatchObject({ ok: true, issues: [] });
    const bad = await call(EXAMPLE.replace('id: AML.M0014 #', 'id: AML.M9999 #'));
    expect(bad.ok).toBe(false);
    expect(bad.issues[0]).toMatchObject({ line: 187 });
    const broken = await call('atlasguard: 1\nsystem: [\n');
    expect(broken.ok).toBe(false);
    expect(broken.issues[0]?.line).toBeGreaterThan(0);
    expect(
      (await h
        .call('GET', `/api/systems/${sys}/models`, { cookie: h.cookies.viewer })
        .then((r) => r.json())) as { items: unknown[] },
    ).toMatchObject({ items: [{ version: 1 }] });
  });

  it('serves the system model JSON Schema', async () => {
    const schema = await get<{ properties: Record<string, unknown> }>('/api/schemas/system-model.json');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['atlasguard', 'system', 'model', 'answers']),
    );
    expect((await h.call('GET', '/api/schemas/system-model.json')).status).toBe(401);
  });
});
