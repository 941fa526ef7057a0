import { describe, expect, it } from 'vitest';
import { Rng } from '../stats/rng.js';
import { canonicalRecordSchema } from './event.js';
import { FIELD_CHECKS, fastCanonical } from './fast-canonical.js';
import { ALIASES, toCanonical, toCanonicalGeneral, type CanonicalResult } from './mapping.js';
import { NON_CANONICAL_KEYS } from '../test-support/events.js';

const ALIAS_KEYS = new Set(Object.keys(ALIASES));

/** A value that is valid for the field most of the time, and near the edges of validity otherwise. */
function fieldValue(rng: Rng, key: string): unknown {
  const bad = rng.chance(0.04);
  const pickOdd = (): unknown =>
    rng.pick<unknown>([
      null,
      true,
      false,
      {},
      { a: 1 },
      [],
      '',
      '12',
      -1,
      0,
      -0,
      1.5,
      'x'.repeat(70),
      [1, 'a'],
    ]);
  if (bad) return pickOdd();
  if (rng.chance(0.75)) return validValue(rng, key);
  switch (key) {
    case 'timestamp':
      return rng.pick(['2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00Z', 'not a date', 'x'.repeat(64)]);
    case 'time_unix_nano':
      return rng.pick<unknown>(['1767603600000000000', '1', '123456789012345678901', '-5', 1.7e18, 0, 'abc']);
    case 'gen_ai.request.max_tokens':
    case 'gen_ai.usage.input_tokens':
    case 'gen_ai.usage.output_tokens':
    case 'gen_ai.client.operation.duration':
    case 'atlasguard.request.top_logprobs':
    case 'atlasguard.request.logit_bias_count':
      return rng.pick<unknown>([0, 1, 1024, 0.25, -0.5, '20', 3e9]);
    case 'gen_ai.request.temperature':
      return rng.pick<unknown>([0, 0.7, -1, 2, '0.5']);
    case 'gen_ai.response.finish_reasons':
      return rng.pick<unknown>([
        ['stop'],
        ['length', 'stop'],
        'stop',
        [],
        ['x'.repeat(65)],
        [1],
        new Array(65).fill('s'),
      ]);
    case 'gen_ai.input.messages':
    case 'gen_ai.output.messages':
      return messagesValue(rng);
    case 'atlasguard.input.features':
    case 'atlasguard.output.scores':
      return rng.chance(0.02)
        ? new Array(4097).fill(0)
        : rng.pick<unknown>([[1, 2.5, -3], [], [1, 2], [1, null], [0.1, '2'], 'not an array']);
    case 'atlasguard.output.label':
      return rng.pick<unknown>(['class-1', 3, true, 'l'.repeat(257), -2.5]);
    case 'atlasguard.input.simhash':
      return rng.pick<unknown>(['2938248ed7266928', 'ABCDEF', '', '12345678901234567', 'xyz', 12]);
    case 'gen_ai.tool.call.arguments':
    case 'gen_ai.system_instructions':
      return rng.pick<unknown>(['{"q":"x"}', 'be brief', { q: 1 }, ['a']]);
    default:
      return rng.pick<unknown>([
        'alice',
        'globex',
        'chat',
        '10.0.0.1',
        'x'.repeat(65),
        'x'.repeat(300),
        'y'.repeat(513),
      ]);
  }
}

/** A value zod accepts for the field (as far as this generator knows: the comparison is the judge). */
function validValue(rng: Rng, key: string): unknown {
  const check = (FIELD_CHECKS as Record<string, (v: unknown) => boolean>)[key];
  for (const v of [
    'alice',
    '2026-01-05T09:00:00.000Z',
    '1767603600000000000',
    7,
    0.5,
    ['stop'],
    [0.5, -1, 2],
    'abcdef0123456789',
    [{ role: 'user', parts: [{ type: 'text', content: `prompt ${String(rng.int(100))}` }] }],
  ]) {
    if (check?.(v) === true) return v;
  }
  return 'alice';
}

function messagesValue(rng: Rng): unknown {
  const part = (): unknown =>
    rng.pick<unknown>([
      { type: 'text', content: 'hello' },
      { content: 'no type', extra: 1 },
      { type: 'tool_call_response', content: { ok: true } },
      { type: 'text', content: null },
      { type: 't'.repeat(65), content: 'x' },
      { type: 7 },
      'a string part',
      JSON.parse('{"__proto__": {"x": 1}, "content": "p"}') as unknown,
    ]);
  const message = (): unknown =>
    rng.pick<unknown>([
      { role: 'user', parts: [part(), part()] },
      { parts: [part()], role: 'system', note: 'kept' },
      { role: 'assistant', content: 'content form' },
      { message: { role: 'user', content: 'OpenInference form' } },
      { role: 'user', parts: [part()], message: { role: 'system', parts: [part()] } },
      { role: 'user', parts: 'not an array' },
      { role: 5, parts: [] },
      { role: 'r'.repeat(65), parts: [] },
      null,
    ]);
  return rng.pick<unknown>([
    [message()],
    [message(), message(), message()],
    [],
    'a plain string prompt',
    '[{"role":"user","content":"embedded json"}]',
    { role: 'user' },
  ]);
}

const CANONICAL = Object.keys(canonicalRecordSchema.shape);

function otherValue(rng: Rng, key: string): unknown {
  if (key === 'timeUnixNano' || key === 'observedTimeUnixNano')
    return rng.pick<unknown>(['1767603600000000000', null, 'zz', 12]);
  if (key === '@timestamp') return rng.pick<unknown>(['2026-01-05T09:00:00.000Z', null, 5]);
  if (key === 'gen_ai') return rng.pick<unknown>([{ usage: { input_tokens: 3 } }, 'flat', [1]]);
  if (key === 'llm.invocation_parameters') return '{"max_tokens": 2, "logit_bias": {"1": 5}}';
  if (key === 'openinference.span.kind') return 'LLM';
  return rng.pick<unknown>(['v', 1, null, ['a'], { nested: 'obj' }]);
}

function randomRecord(rng: Rng): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  const keys = [...CANONICAL];
  // a few shuffled canonical keys, most records valid
  const n = 1 + rng.int(rng.chance(0.2) ? keys.length : 8);
  for (let i = 0; i < n; i++) {
    const key = rng.pick(keys);
    rec[key] = fieldValue(rng, key);
  }
  if (rng.chance(0.4)) {
    const k = rng.pick(NON_CANONICAL_KEYS);
    rec[k] = otherValue(rng, k);
  }
  if (rng.chance(0.03))
    return JSON.parse(`{"__proto__": {"user.id": "x"}, "timestamp": "t"}`) as Record<string, unknown>;
  return rec;
}

/** Flat record, OTel log record (map or OTLP list attributes, resource), or nested. */
function randomShape(rng: Rng): unknown {
  const rec = randomRecord(rng);
  const roll = rng.next();
  if (roll < 0.55) return rec;
  if (roll < 0.8) {
    const top: Record<string, unknown> = { severityText: 'INFO', body: 'x', attributes: rec };
    if (rng.chance(0.5)) top.timeUnixNano = otherValue(rng, 'timeUnixNano');
    if (rng.chance(0.2)) top['user.id'] = 'top-level-user';
    if (rng.chance(0.1)) top.resource = { attributes: { 'atlasguard.tenant.id': 'acme' } };
    if (rng.chance(0.05))
      top.attributes = rng.pick<unknown>([null, 'str', [{ key: 'user.id', value: { stringValue: 'l' } }]]);
    return top;
  }
  if (roll < 0.9) return { gen_ai: { usage: { input_tokens: 3 } }, ...rec };
  return rng.pick<unknown>([null, 'string', 42, [rec], rec]);
}

function outcome(
  f: () => CanonicalResult,
): { ok: true; json: string; value: CanonicalResult } | { ok: false; error: string } {
  try {
    const value = f();
    return { ok: true, json: JSON.stringify(value), value };
  } catch (error) {
    return { ok: false, error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

describe('fast canonical path', () => {
  it('has a check for exactly the schema fields', () => {
    expect(Object.keys(FIELD_CHECKS).sort()).toEqual([...CANONICAL].sort());
  });

  it('agrees with the general zod mapping on accept/reject, error message and output (10,000 seeded cases)', () => {
    const rng = new Rng(7);
    let fast = 0;
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const raw = randomShape(rng);
      // both paths get their own copy: neither may depend on the other having run
      const text = JSON.stringify(raw);
      const a = outcome(() => toCanonical(JSON.parse(text) as unknown));
      const b = outcome(() => toCanonicalGeneral(JSON.parse(text) as unknown));
      if (a.ok !== b.ok) throw new Error(`accept/reject differ on ${text}: ${JSON.stringify([a, b])}`);
      if (a.ok && b.ok) {
        if (a.json !== b.json) throw new Error(`outputs differ on ${text}:\n${a.json}\n${b.json}`);
        expect(a.value).toStrictEqual(b.value);
        accepted++;
      } else if (!a.ok && !b.ok) {
        expect(a.error).toBe(b.error);
        rejected++;
      }
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        if (fastCanonical(parsed as Record<string, unknown>, ALIAS_KEYS) !== undefined) fast++;
      }
    }
    // the fuzz reaches all three outcomes in quantity
    expect(fast).toBeGreaterThan(2_500);
    expect(accepted - fast).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(1_500);
  });

  it('takes the fast path for the simulator-shaped flat and OTel records, and copies arrays as zod does', () => {
    const features = [1, 2, 3];
    const flat = {
      timestamp: '2026-01-05T08:00:00.074Z',
      'user.id': 'u',
      'atlasguard.input.features': features,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.input.messages': [{ parts: [{ content: 'hi', type: 'text' }], role: 'user' }],
    };
    const r = fastCanonical(flat, ALIAS_KEYS);
    expect(r).toBeDefined();
    expect(r?.['atlasguard.input.features']).not.toBe(features);
    expect(JSON.stringify(r)).toBe(JSON.stringify(canonicalRecordSchema.parse(flat)));
    const otel = { timeUnixNano: '1767603600000000000', body: 'b', attributes: { 'user.id': 'u' } };
    expect(fastCanonical(otel, ALIAS_KEYS)).toEqual({
      time_unix_nano: '1767603600000000000',
      'user.id': 'u',
    });
  });
});
