import { describe, expect, it } from 'vitest';
import { simulate } from '../sim/simulate.js';
import { Rng } from '../stats/rng.js';
import { canonicalRecordSchema, type InferenceEvent } from './event.js';
import { FIELD_CHECKS } from './fast-canonical.js';
import { checkAt, FastEvents, FixedRecord } from './fast-event.js';
import { fieldMask } from './field-mask.js';
import { MappingError, toEvent } from './mapping.js';
import { NON_CANONICAL_KEYS } from '../test-support/events.js';

const CANONICAL = Object.keys(canonicalRecordSchema.shape);
const TEXT_FIELDS = ['inputText', 'toolText', 'systemText', 'outputText'] as const;

/** Values valid for some field, invalid for others, and at the edges of validity. */
const POOL: readonly unknown[] = [
  'alice',
  'globex',
  '',
  '2026-01-05T09:00:00.000Z',
  '2026-01-05T09:00:00Z',
  '2026-01-05T09:00:00+02:00',
  'not a date',
  '1767603600000000000',
  '123456789012345678901',
  'abcdef0123456789',
  'ABCDEF',
  '12345678901234567',
  'x'.repeat(65),
  'y'.repeat(257),
  'z'.repeat(513),
  0,
  -0,
  1,
  7,
  0.5,
  -1,
  1024,
  3e9,
  1.7e18,
  1e308,
  null,
  true,
  false,
  {},
  { a: 1 },
  [],
  ['stop'],
  ['length', 'stop'],
  ['x'.repeat(65)],
  [1, 'a'],
  [0.5, -1, 2],
  [1, null],
  new Array(65).fill('s'),
  [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
];

/** Nested objects the mapping layer flattens into canonical names. */
const NESTED: Readonly<Record<string, unknown>> = {
  gen_ai: { usage: { input_tokens: 3, output_tokens: 4 } },
  user: { id: 'nested-user' },
  attributes: { 'user.id': 'attribute-user' },
};

function randomRecord(rng: Rng): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  if (rng.chance(0.9)) rec.timestamp = rng.chance(0.9) ? '2026-01-05T09:00:00.000Z' : rng.pick(POOL);
  if (rng.chance(0.8)) rec['user.id'] = rng.chance(0.9) ? `u-${String(rng.int(20))}` : rng.pick(POOL);
  const n = rng.int(rng.chance(0.2) ? CANONICAL.length : 8);
  for (let i = 0; i < n; i++) {
    const key = rng.pick(CANONICAL);
    rec[key] = rng.chance(0.8) ? validFor(key, rng) : rng.pick(POOL);
  }
  if (rng.chance(0.15)) {
    const key = rng.pick(NON_CANONICAL_KEYS);
    rec[key] = rng.chance(0.5) ? (NESTED[key] ?? rng.pick(POOL)) : rng.pick(POOL);
  }
  return rec;
}

/** A value the schema accepts for the field, most of the time. */
function validFor(key: string, rng: Rng): unknown {
  if (key === 'time_unix_nano') return rng.pick<unknown>(['1767603600000000000', 1.7676036e18]);
  if (key === 'gen_ai.response.finish_reasons') return rng.pick<unknown>([['stop'], ['length'], []]);
  if (key === 'atlasguard.input.features' || key === 'atlasguard.output.scores')
    return Array.from({ length: rng.int(20) }, () => Math.round(rng.gauss() * 1e3) / 1e3);
  if (key === 'atlasguard.input.simhash') return '2938248ed7266928';
  if (key === 'atlasguard.output.label') return rng.pick<unknown>(['class-1', 3]);
  if (key === 'gen_ai.request.temperature') return rng.pick<unknown>([0.7, -0.5]);
  if (/tokens|duration|logprobs|count/.test(key)) return rng.int(5000);
  if (key.includes('messages')) return [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }];
  return rng.pick(['chat', 'acme', 'crm_lookup', '10.0.0.1']);
}

/** Hostile edits of a JSON line: duplicate keys, escapes, whitespace, number forms, truncation. */
function mutate(line: string, rng: Rng): string {
  switch (rng.int(9)) {
    case 0:
      return line.replace('{', `{"user.id":${JSON.stringify(`dup-${String(rng.int(5))}`)},`);
    case 1:
      return line.replace(/}$/, `,"user.id":${rng.pick(['"last"', 'null', '7', '"x"'])}}`);
    case 2:
      return line.replace('"user.id"', '"user\\u002eid"');
    case 3:
      return line.replace(/,/g, ' ,\t').replace(/:/g, ' : ');
    case 4:
      return line.replace(/(\d)(,|})/, `$1e${String(rng.int(400) - 200)}$2`);
    case 5:
      return line.replace(/"gen_ai\.[a-z_.]+":/, '"__proto__":');
    case 6:
      return line.slice(0, rng.int(line.length));
    case 7:
      return line.replace(/"[a-z.]+"/, (k) => `${k.slice(0, -1)}x"`);
    default:
      return line.replace(/:(\d+)/, ':-$1');
  }
}

type Outcome = { ok: true; event: InferenceEvent } | { ok: false };

function authority(text: string): Outcome {
  try {
    return { ok: true, event: toEvent(JSON.parse(text) as unknown, 7) };
  } catch (error) {
    if (error instanceof MappingError || error instanceof RangeError || error instanceof SyntaxError)
      return { ok: false };
    throw error;
  }
}

/** When the fast path accepts, the authority accepts with the same event, field by field. */
function compare(fast: FastEvents, text: string): 'fast' | 'general' | 'rejected' | 'invalid' {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    return 'invalid';
  }
  const a = fast.from(raw, 7);
  const b = authority(text);
  if (a === undefined) return b.ok ? 'general' : 'rejected';
  if (!b.ok) throw new Error(`fast path accepted what the mapping layer rejects: ${text}`);
  const e = b.event;
  expect([a.time, a.line, a.principal, a.tenant]).toEqual([e.time, e.line, e.principal, e.tenant]);
  // the engine dispatches on the mask the fast path computes: it is the mask of the authority's event
  expect(fast.mask).toBe(fieldMask(e));
  expect(fast.mask).toBe(fieldMask(a));
  for (const f of TEXT_FIELDS) expect(a[f]).toBeUndefined();
  for (const f of TEXT_FIELDS) expect(e[f]).toBeUndefined();
  for (const k of CANONICAL) {
    const x = (a.record as Record<string, unknown>)[k];
    const y = (e.record as Record<string, unknown>)[k];
    if (!Object.is(x, y)) expect([k, x]).toStrictEqual([k, y]);
  }
  return 'fast';
}

describe('event fast path (fast-event.ts) against the mapping layer', () => {
  it('keeps one fixed record shape in the schema order (the hand-written field indices depend on it)', () => {
    expect(Object.keys(new FixedRecord())).toEqual(CANONICAL);
  });

  it('agrees on accept/reject and every field: 10,000 seeded random records', () => {
    const rng = new Rng(71);
    const fast = new FastEvents();
    const seen = { fast: 0, general: 0, rejected: 0, invalid: 0 };
    for (let i = 0; i < 10_000; i++) seen[compare(fast, JSON.stringify(randomRecord(rng)))]++;
    expect(seen.fast).toBeGreaterThan(2_000);
    expect(seen.general).toBeGreaterThan(500);
    expect(seen.rejected).toBeGreaterThan(1_000);
  });

  it('agrees on simulated traffic and hostile edits of it (duplicate keys, escapes, whitespace, numbers)', () => {
    const rng = new Rng(72);
    const fast = new FastEvents();
    const seen = { fast: 0, general: 0, rejected: 0, invalid: 0 };
    const sim = simulate({ seed: 5, principals: 40, hours: 1, attackersPerKind: 1, content: false });
    let n = 0;
    for (const line of sim.lines) {
      seen[compare(fast, line)]++;
      for (let k = 0; k < 3; k++) seen[compare(fast, mutate(line, rng))]++;
      if (++n >= 2_000) break;
    }
    expect(seen.fast).toBeGreaterThan(4_000);
    expect(seen.general + seen.rejected).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(100);
  });

  it('checks each field inline exactly as FIELD_CHECKS (content fields always rejected)', () => {
    const values: unknown[] = [...POOL, NaN, Infinity, -Infinity, 2 ** 53, -1e-300, 1e-300, undefined];
    for (const max of [64, 256, 512]) values.push('s'.repeat(max), 's'.repeat(max + 1), 's'.repeat(max - 1));
    CANONICAL.forEach((k, at) => {
      const content = k === 'gen_ai.input.messages' || k === 'gen_ai.output.messages';
      const check = (FIELD_CHECKS as Record<string, (v: unknown) => boolean>)[k];
      for (const v of values) {
        const want = k === 'gen_ai.system_instructions' || content ? false : (check?.(v) ?? false);
        if (checkAt(at, v) !== want)
          throw new Error(`${k}: ${String(v)} → ${String(!want)}, want ${String(want)}`);
      }
    });
  });

  it('remembers key positions without mixing up records that differ at a remembered position', () => {
    const fast = new FastEvents();
    const t = '2026-01-05T09:00:00.000Z';
    const first = fast.from({ timestamp: t, 'user.id': 'a', 'gen_ai.usage.input_tokens': 5 }, 1);
    expect(first?.record['gen_ai.usage.input_tokens']).toBe(5);
    // same first two keys, another third key: a canonical one, then one the mapping layer ignores
    const second = fast.from({ timestamp: t, 'user.id': 'a', 'gen_ai.usage.output_tokens': 6 }, 2);
    expect(second?.record['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(second?.record['gen_ai.usage.output_tokens']).toBe(6);
    expect(fast.from({ timestamp: t, 'user.id': 'a', 'service.name': 'x' }, 3)?.record['user.id']).toBe('a');
    // an alias at a remembered position goes to the general path
    expect(fast.from({ timestamp: t, 'enduser.id': 'a' }, 4)).toBeUndefined();
    expect(fast.from({ timestamp: t, 'user.id': 'b' }, 5)?.principal).toBe('b');
  });

  it('reuses one event and leaves nothing of the previous record behind', () => {
    const fast = new FastEvents();
    const a = fast.from(
      {
        timestamp: '2026-01-05T09:00:00.000Z',
        'user.id': 'a',
        'atlasguard.input.features': [1, 2],
        'atlasguard.tenant.id': 't',
      },
      1,
    );
    expect(a?.record['atlasguard.input.features']).toEqual([1, 2]);
    const b = fast.from({ time_unix_nano: '1767603600000000000', 'client.address': '10.0.0.1' }, 2);
    expect(b).toBe(a);
    expect(b?.record['atlasguard.input.features']).toBeUndefined();
    expect(b?.record.timestamp).toBeUndefined();
    expect([b?.principal, b?.tenant, b?.line, b?.time]).toEqual(['10.0.0.1', 'default', 2, 1767603600000]);
  });
});
