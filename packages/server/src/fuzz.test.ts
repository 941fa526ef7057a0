import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeHarness, minimalAssessment, type Harness } from './test-support/harness.js';
import { seededRandom as rng } from '@atlasguard/core';
import { testCatalog } from '../../../test/catalog-fixture.js';

const EXAMPLE = readFileSync(
  new URL('../../../examples/card-fraud-scoring/atlasguard.yaml', import.meta.url),
  'utf8',
);

const ODD = [
  '',
  'null',
  '{}',
  '[]',
  '"',
  '\\u0000',
  '{"__proto__":{"x":1}}',
  '1e999',
  '-0',
  '"\ud800"',
  '{"a":',
  ']]]',
  'true',
];

/** Random edits of a valid JSON text: byte flips, truncation, duplication, odd insertions. */
function mutate(text: string, next: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (s.length + 1));
    const op = Math.floor(next() * 5);
    if (op === 0) s = s.slice(0, at);
    else if (op === 1) s = s.slice(0, at) + String.fromCharCode(Math.floor(next() * 128)) + s.slice(at + 1);
    else if (op === 2) s = s.slice(0, at) + (ODD[Math.floor(next() * ODD.length)] ?? '') + s.slice(at);
    else if (op === 3) s = s.slice(0, at) + s.slice(at, at + 20).repeat(3) + s.slice(at + 20);
    else s = s.slice(0, at) + s.slice(at + 1 + Math.floor(next() * 10));
  }
  return s;
}

let h: Harness;
let systemId: string;
beforeAll(async () => {
  h = await makeHarness({ catalog: testCatalog() });
  systemId = (await h.storage.createSystem({ slug: 'fuzz', name: 'Fuzz', description: '', owner: '' })).id;
  await h.storage.addModelVersion(systemId, EXAMPLE, null);
});
afterAll(async () => {
  await h.dispose();
});

describe('fuzzed request bodies', () => {
  it('never produce a server error: every answer is a 2xx or a JSON 4xx', async () => {
    const next = rng(20261125);
    const seeds: [string, string, unknown][] = [
      ['POST', '/api/systems', { slug: 'fz', name: 'F', description: 'd', owner: 'o' }],
      [
        'POST',
        `/api/systems/${systemId}/risks`,
        { techniqueId: 'AML.T0051', title: 't', level: 'high', owner: 'o' },
      ],
      ['PUT', `/api/systems/${systemId}/answers/Q-1`, { answer: 'yes', note: 'n' }],
      ['POST', `/api/systems/${systemId}/runs`, { modelVersion: null, result: minimalAssessment() }],
      ['POST', `/api/systems/${systemId}/models`, { yaml: 'version: 1\nsystem: { id: a, name: b }\n' }],
      [
        'POST',
        `/api/systems/${systemId}/findings`,
        {
          kind: 'scan-deps',
          format: 'sarif',
          document: {
            version: '2.1.0',
            runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'error' }] }],
          },
        },
      ],
      [
        'POST',
        `/api/systems/${systemId}/evidence/links`,
        { title: 't', url: 'https://example.org/x', expiresAt: null },
      ],
      ['POST', '/api/tokens', { name: 'n', actions: ['systems:read'], systems: null }],
      ['POST', '/api/auth/login', { email: 'viewer@example.org', password: 'x' }],
      ['PUT', `/api/systems/${systemId}/answers/Q-AML.M0014-1`, { answer: 'partial', note: '' }],
      ['POST', `/api/systems/${systemId}/models/validate`, { yaml: EXAMPLE.slice(0, 3000) }],
      ['POST', `/api/systems/${systemId}/assess`, {}],
      ['POST', '/api/import', { format: 'atlasguard-workspace', version: 1, exportedAt: '', tables: {} }],
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const [method, path, body] = seeds[i % seeds.length]!;
      const raw = mutate(JSON.stringify(body), next);
      const res = await h.call(method, path, {
        cookie: h.cookies.admin,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${path} with ${JSON.stringify(raw)}`).toBeLessThan(500);
      if (res.status >= 400) {
        const text = await res.text();
        expect(() => JSON.parse(text) as unknown).not.toThrow();
        expect(text).not.toMatch(/\n\s+at /);
      }
    }
    // the fuzzer reached both refusals and acceptances
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });
});

describe('fuzzed queries of the assessment views and exports', () => {
  it('never produce a server error or a stack trace', async () => {
    expect(
      (await h.call('POST', `/api/systems/${systemId}/assess`, { cookie: h.cookies.admin })).status,
    ).toBe(201);
    const next = rng(20261126);
    const seeds = [
      `/api/systems/${systemId}/checklist?persona=engineer`,
      `/api/systems/${systemId}/runs/diff?from=a&to=b`,
      `/api/systems/${systemId}/report?format=sarif`,
      `/api/systems/${systemId}/techniques/AML.T0010`,
      `/api/systems/${systemId}/matrix`,
      '/api/risks/export?format=xlsx&level=high',
      '/api/portfolio',
    ];
    for (let i = 0; i < 210; i++) {
      const seed = seeds[i % seeds.length]!;
      const mutated = mutate(seed, next);
      const path = mutated.startsWith('/') ? mutated : `/${mutated}`;
      let res: Response;
      try {
        res = await h.call('GET', path, { cookie: h.cookies.viewer });
      } catch {
        continue; // not a URL at all: never reaches the server
      }
      expect(res.status, path).toBeLessThan(500);
      if (res.status >= 400 && res.headers.get('content-type')?.includes('json') === true) {
        expect(await res.text()).not.toMatch(/\n\s+at /);
      }
    }
  });
});

describe('cross-site requests to assessment routes', () => {
  it('are refused before they change anything (no new run, no answer)', async () => {
    const before = (await h.storage.listRuns(systemId)).length;
    const cases: [string, string, unknown][] = [
      ['POST', `/api/systems/${systemId}/assess`, undefined],
      ['POST', `/api/systems/${systemId}/models/validate`, { yaml: EXAMPLE }],
      ['PUT', `/api/systems/${systemId}/answers/Q-AML.M0016-1`, { answer: 'yes' }],
      ['POST', `/api/systems/${systemId}/evidence/links`, { title: 't', url: 'https://example.org/e' }],
      ['POST', `/api/systems/${systemId}/findings`, { kind: 'scan-model', format: 'json', document: [] }],
    ];
    for (const [method, path, body] of cases) {
      for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }]) {
        const res = await h.call(method, path, { cookie: h.cookies.admin, body, headers });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross-site');
      }
    }
    expect((await h.storage.listRuns(systemId)).length).toBe(before);
    expect((await h.storage.listAnswers(systemId)).some((a) => a.questionId === 'Q-AML.M0016-1')).toBe(false);
  });
});
