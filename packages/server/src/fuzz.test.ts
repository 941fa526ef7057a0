import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, minimalAssessment, type Harness } from './test-support/harness.js';
import { seededRandom as rng } from '@atlasguard/core';

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
  h = await makeHarness();
  systemId = (await h.storage.createSystem({ slug: 'fuzz', name: 'Fuzz', description: '', owner: '' })).id;
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
