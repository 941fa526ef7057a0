import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment, LedgerEntry } from '@atlasguard/core';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { makeHarness, type Harness } from './test-support/harness.js';

const EXAMPLE = readFileSync(
  new URL('../../../examples/card-fraud-scoring/atlasguard.yaml', import.meta.url),
  'utf8',
);

interface RunOut {
  id: string;
  trigger: string;
  residualLevel: string | null;
  residualScore: number;
}

describe('server-side assessment', () => {
  let h: Harness;
  let sys: string;
  const sec = () => h.cookies.security;
  const eng = () => h.cookies.engineer;

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const latest = async (): Promise<Assessment> => {
    const runs = await json<{ items: RunOut[] }>(
      await h.call('GET', `/api/systems/${sys}/runs`, { cookie: sec() }),
      200,
    );
    const run = await json<{ result: Assessment }>(
      await h.call('GET', `/api/runs/${runs.items[0]?.id ?? ''}`, { cookie: sec() }),
      200,
    );
    return run.result;
  };
  const entry = (a: Assessment, id: string): LedgerEntry => {
    const e = a.ledger.find((x) => x.techniqueId === id);
    if (e === undefined) throw new Error(`no ${id}`);
    return e;
  };
  const m14 = (e: LedgerEntry) => e.mitigations.find((m) => m.id === 'AML.M0014');

  beforeAll(async () => {
    h = await makeHarness({ catalog: testCatalog() });
    const created = await json<{ id: string }>(
      await h.call('POST', '/api/systems', {
        cookie: sec(),
        body: { slug: 'fraud', name: 'Card fraud scoring' },
      }),
      201,
    );
    sys = created.id;
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('assesses an uploaded model, stores the run with its trigger and fills the register', async () => {
    const up = await json<{ version: number; run: RunOut }>(
      await h.call('POST', `/api/systems/${sys}/models`, { cookie: sec(), body: { yaml: EXAMPLE } }),
      201,
    );
    expect(up.version).toBe(1);
    expect(up.run.trigger).toBe('model');
    expect(up.run.residualLevel).toBe('critical');
    const a = await latest();
    expect(entry(a, 'AML.T0010').decision).toBe('applies');
    expect(entry(a, 'AML.T0010').residual).toMatchObject({ level: 'high', score: 12 });
    expect(m14(entry(a, 'AML.T0010'))?.status).toBe('not-implemented');
    expect(a.risks.length).toBe(79);
    const risks = await json<{
      items: { techniqueId: string | null; level: string; title: string; status: string }[];
    }>(await h.call('GET', `/api/risks?systemId=${sys}&limit=500`, { cookie: sec() }), 200);
    expect(risks.items.length).toBe(79);
    const t10 = risks.items.find((r) => r.techniqueId === 'AML.T0010');
    expect(t10).toMatchObject({ level: 'high', status: 'open' });
    expect(t10?.title).toBe(entry(a, 'AML.T0010').name);
  });

  it('a yes answer with evidence lowers the residual risk of the techniques it verifies, and only those', async () => {
    const before = await latest();
    const ev = await json<{ run: RunOut }>(
      await h.call('POST', `/api/systems/${sys}/evidence/links`, {
        cookie: eng(),
        body: {
          title: 'artifact signing log',
          url: 'https://ci.example.org/signing',
          questionId: 'Q-AML.M0014-1',
          expiresAt: '2026-06-03T12:00:00.000Z',
        },
      }),
      201,
    );
    expect(ev.run.trigger).toBe('evidence');
    const put = await json<{ answer: string; run: RunOut }>(
      await h.call('PUT', `/api/systems/${sys}/answers/Q-AML.M0014-1`, {
        cookie: eng(),
        body: { answer: 'yes', note: 'every artifact is hash-checked' },
      }),
      200,
    );
    expect(put.run.trigger).toBe('answer');
    expect(put.run.residualScore).toBeLessThan(ev.run.residualScore);
    const after = await latest();
    const t10 = entry(after, 'AML.T0010');
    expect(m14(t10)).toMatchObject({ status: 'implemented', source: 'answers' });
    expect(t10.residual?.score).toBeLessThan(entry(before, 'AML.T0010').residual?.score ?? 0);
    expect(t10.residual?.level).toBe('medium');
    expect(entry(after, 'AML.T0010.002').residual?.score).toBeLessThan(
      entry(before, 'AML.T0010.002').residual?.score ?? 0,
    );
    // hard negatives: techniques without AML.M0014 or its question keep their scores
    for (const id of ['AML.T0015', 'AML.T0024', 'AML.T0012'])
      expect(entry(after, id).residual).toEqual(entry(before, id).residual);
    const risk = (
      await json<{ items: { techniqueId: string | null; level: string }[] }>(
        await h.call('GET', `/api/risks?systemId=${sys}&limit=500`, { cookie: sec() }),
        200,
      )
    ).items.find((r) => r.techniqueId === 'AML.T0010');
    expect(risk?.level).toBe('medium');
  });

  it('expired evidence reopens the answer (counts as unknown) after the expiry sweep', async () => {
    h.clock.now = Date.parse('2026-06-04T12:00:00.000Z');
    h.cookies.security = await h.login('security@example.org');
    h.cookies.engineer = await h.login('engineer@example.org');
    // the register list runs the expiry sweep
    await h.call('GET', '/api/risks', { cookie: sec() });
    const runs = await json<{ items: RunOut[] }>(
      await h.call('GET', `/api/systems/${sys}/runs`, { cookie: sec() }),
      200,
    );
    expect(runs.items[0]?.trigger).toBe('expiry');
    const a = await latest();
    const t10 = entry(a, 'AML.T0010');
    expect(m14(t10)?.status).toBe('not-implemented');
    expect(t10.residual).toMatchObject({ level: 'high', score: 12 });
    expect(t10.questions.find((q) => q.id === 'Q-AML.M0014-1')?.answer).toBe('unknown');
    expect(a.warnings).toContain('answer to Q-AML.M0014-1 counts as unknown: its evidence expired');
    // a second sweep finds nothing new
    await h.call('GET', '/api/risks', { cookie: sec() });
    const again = await json<{ items: RunOut[] }>(
      await h.call('GET', `/api/systems/${sys}/runs`, { cookie: sec() }),
      200,
    );
    expect(again.items.length).toBe(runs.items.length);
  });

  it('a critical scan-model finding reopens AML.M0014; a later clean upload restores it', async () => {
    // fresh, unexpiring evidence: the mitigation is in place again
    await json(
      await h.call('POST', `/api/systems/${sys}/evidence/links`, {
        cookie: eng(),
        body: { title: 'signing log', url: 'https://ci.example.org/signing/2', questionId: 'Q-AML.M0014-1' },
      }),
      201,
    );
    expect(m14(entry(await latest(), 'AML.T0010'))?.status).toBe('implemented');
    const bad = await json<{ id: string; run: RunOut }>(
      await h.call('POST', `/api/systems/${sys}/findings`, {
        cookie: eng(),
        body: {
          kind: 'scan-model',
          format: 'json',
          document: {
            findings: [
              {
                ruleId: 'pickle-global-exec',
                title: 'Pickle imports os.system',
                severity: 'critical',
                element: 'model',
                atlas: { techniques: ['AML.T0010'], mitigations: ['AML.M0014'] },
                message: 'os.system is reachable from the pickle stream',
              },
            ],
          },
        },
      }),
      201,
    );
    expect(bad.run.trigger).toBe('findings');
    const reopened = await latest();
    const t10 = entry(reopened, 'AML.T0010');
    expect(m14(t10)?.status).toBe('planned');
    expect(m14(t10)?.reason).toContain(bad.id);
    expect(entry(reopened, 'AML.T0011').mitigations.find((m) => m.id === 'AML.M0011')?.status).toBe(
      'planned',
    );
    expect(t10.residual?.level).toBe('high');
    // hard negative: another kind's mitigation is untouched
    expect(entry(reopened, 'AML.T0011').mitigations.find((m) => m.id === 'AML.M0016')?.status).toBe(
      'not-implemented',
    );

    h.clock.now += 60_000;
    const clean = await json<{ run: RunOut }>(
      await h.call('POST', `/api/systems/${sys}/findings`, {
        cookie: eng(),
        body: { kind: 'scan-model', format: 'json', document: { findings: [] } },
      }),
      201,
    );
    expect(clean.run.residualScore).toBeLessThan(bad.run.residualScore);
    const restored = entry(await latest(), 'AML.T0010');
    expect(m14(restored)).toMatchObject({ status: 'implemented', source: 'answers' });
    expect(restored.residual?.level).toBe('medium');
  });

  it('a register acceptance counts until it expires; expiry re-assesses and reopens the risk', async () => {
    h.cookies.risk = await h.login('risk@example.org');
    const risks = await json<{ items: { id: string; techniqueId: string | null }[] }>(
      await h.call('GET', `/api/risks?systemId=${sys}&limit=500`, { cookie: sec() }),
      200,
    );
    const t15 = risks.items.find((r) => r.techniqueId === 'AML.T0015')!;
    const accepted = await json<{ status: string; run: RunOut }>(
      await h.call('POST', `/api/risks/${t15.id}/acceptance`, {
        cookie: h.cookies.risk,
        body: {
          approver: 'CRO',
          reason: 'compensated by manual review',
          expiresAt: '2026-06-10T00:00:00.000Z',
        },
      }),
      200,
    );
    expect(accepted.status).toBe('accepted');
    expect(accepted.run.trigger).toBe('acceptance');
    const during = await latest();
    expect(during.risks.find((r) => r.id === 'AML.T0015')?.status).toBe('accepted');
    expect(entry(during, 'AML.T0015').treatment).toMatchObject({
      treatment: 'accept',
      approver: 'CRO',
      active: true,
    });
    // hard negative: other risks keep their status
    expect(during.risks.find((r) => r.id === 'AML.T0024')?.status).toBe('open');

    h.clock.now = Date.parse('2026-06-10T00:00:01.000Z');
    h.cookies.security = await h.login('security@example.org');
    h.cookies.engineer = await h.login('engineer@example.org');
    await h.call('GET', '/api/risks', { cookie: sec() });
    const runs = await json<{ items: RunOut[] }>(
      await h.call('GET', `/api/systems/${sys}/runs`, { cookie: sec() }),
      200,
    );
    expect(runs.items[0]?.trigger).toBe('expiry');
    const after = await latest();
    expect(after.risks.find((r) => r.id === 'AML.T0015')?.status).toBe('open');
    expect(entry(after, 'AML.T0015').treatment).toBeUndefined();
    expect((await h.storage.getRisk(t15.id))?.status).toBe('open');
  });

  it('POST /assess forces a run; answers 409 without a model and 503 without ATLAS data', async () => {
    const run = await json<RunOut>(
      await h.call('POST', `/api/systems/${sys}/assess`, { cookie: sec() }),
      201,
    );
    expect(run.trigger).toBe('manual');
    const empty = await json<{ id: string }>(
      await h.call('POST', '/api/systems', { cookie: sec(), body: { slug: 'empty', name: 'Empty' } }),
      201,
    );
    const none = await json<{ error: { code: string } }>(
      await h.call('POST', `/api/systems/${empty.id}/assess`, { cookie: sec() }),
      409,
    );
    expect(none.error.code).toBe('no-model');
    expect((await h.call('POST', `/api/systems/${sys}/assess`, { cookie: eng() })).status).toBe(403);

    const bare = await makeHarness();
    try {
      const s = await json<{ id: string }>(
        await bare.call('POST', '/api/systems', {
          cookie: bare.cookies.security,
          body: { slug: 'x', name: 'X' },
        }),
        201,
      );
      const stored = await json<{ run: unknown }>(
        await bare.call('POST', `/api/systems/${s.id}/models`, {
          cookie: bare.cookies.security,
          body: { yaml: EXAMPLE },
        }),
        201,
      );
      expect(stored.run).toBeNull();
      const res = await json<{ error: { code: string; message: string } }>(
        await bare.call('POST', `/api/systems/${s.id}/assess`, { cookie: bare.cookies.security }),
        503,
      );
      expect(res.error.code).toBe('no-atlas-data');
      expect(res.error.message).toMatch(/--atlas-data.*ATLAS_DATA.*kb update/);
    } finally {
      await bare.dispose();
    }
  });

  it('refuses a model whose ATLAS IDs are not in the catalog (422 with line and column)', async () => {
    const broken = EXAMPLE.replace('id: AML.M0014 #', 'id: AML.M9999 #');
    const res = await json<{ error: { code: string; details: { line: number; message: string }[] } }>(
      await h.call('POST', `/api/systems/${sys}/models`, { cookie: sec(), body: { yaml: broken } }),
      422,
    );
    expect(res.error.code).toBe('invalid-model');
    expect(res.error.details[0]?.message).toMatch(/AML\.M9999/);
    expect(res.error.details[0]?.line).toBe(187);
  });
});
