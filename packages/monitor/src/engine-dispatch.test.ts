import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config.js';
import { Monitor } from './engine.js';
import { canonicalRecordSchema, hasField, type EventField, type InferenceEvent } from './event/event.js';
import { fieldMask, MASK_FIELDS } from './event/field-mask.js';
import { toEvent } from './event/mapping.js';
import { Rng } from './stats/rng.js';
import type { Detector } from './detectors/detector.js';
import { NON_CANONICAL_KEYS, T0 } from './test-support/events.js';

const CANONICAL = Object.keys(canonicalRecordSchema.shape);

/** A detector that only records which events it saw. */
function recorder(
  id: string,
  requires: readonly EventField[],
  requiresAny?: readonly EventField[],
): Detector & {
  seen: number[];
} {
  const seen: number[] = [];
  return {
    id,
    description: 'test',
    techniques: [],
    requires,
    ...(requiresAny === undefined ? {} : { requiresAny }),
    seen,
    observe: (e: InferenceEvent) => {
      seen.push(e.line);
    },
    tracked: () => 0,
    stateBytes: () => 0,
    snapshot: () => null,
    restore: () => undefined,
  };
}

/** The decision as the engine made it before masks: field by field with `hasField`. */
function accepts(d: Detector, e: InferenceEvent): boolean {
  for (const f of d.requires) if (!hasField(e, f)) return false;
  return d.requiresAny === undefined || d.requiresAny.some((f) => hasField(e, f));
}

function randomValue(key: string, rng: Rng): unknown {
  if (key.includes('messages'))
    return [{ role: rng.pick(['user', 'tool', 'system']), parts: [{ type: 'text', content: 'hi' }] }];
  if (key === 'gen_ai.response.finish_reasons') return ['stop'];
  if (key.includes('features') || key.includes('scores')) return [1, 2, 3];
  if (key === 'atlasguard.input.simhash') return 'abcdef0123456789';
  if (key === 'time_unix_nano') return '1767603600000000000';
  if (/tokens|duration|logprobs|count|temperature/.test(key)) return rng.int(100);
  return rng.pick(['x', 'chat', '', 'y'.repeat(600)]);
}

describe('engine dispatch on field masks', () => {
  it('fieldMask has bit i exactly when hasField(MASK_FIELDS[i]), for canonical and content fields', () => {
    expect(MASK_FIELDS.length).toBeLessThanOrEqual(32);
    const rng = new Rng(5);
    for (let n = 0; n < 2_000; n++) {
      const record: Record<string, unknown> = {};
      for (const k of CANONICAL) if (rng.chance(0.3)) record[k] = randomValue(k, rng);
      const e: InferenceEvent = { time: 1, line: n, principal: 'p', tenant: 't', record };
      if (rng.chance(0.3)) e.inputText = 'in';
      if (rng.chance(0.3)) e.outputText = 'out';
      if (rng.chance(0.3)) e.toolText = 'tool';
      if (rng.chance(0.3)) e.systemText = 'sys';
      const m = fieldMask(e);
      MASK_FIELDS.forEach((f, i) => {
        expect([f, (m & (1 << i)) !== 0]).toEqual([f, hasField(e, f)]);
      });
    }
  });

  it('gives each detector exactly the events hasField admits, on the fast and the general path', () => {
    const detectors = [
      recorder('none', []),
      recorder('all2', ['gen_ai.usage.output_tokens', 'gen_ai.request.max_tokens']),
      recorder('any', [], ['error.type', 'gen_ai.client.operation.duration']),
      recorder('both', ['gen_ai.request.max_tokens'], ['atlasguard.request.top_logprobs', 'content.input']),
      recorder('emptyAny', [], []),
      recorder('content', ['content.output'], ['content.tool', 'content.system', 'atlasguard.input.simhash']),
      // a name outside the mask (a detector from elsewhere, cast): decided field by field as before
      recorder('foreign', ['constructor' as EventField]),
      recorder('foreignAny', [], ['toString' as EventField, 'user.id']),
      recorder('last', ['atlasguard.guardrail.action', 'time_unix_nano']),
    ];
    const monitor = new Monitor(defaultConfig(), detectors);
    const want = new Map<string, number[]>(detectors.map((d) => [d.id, []]));
    const rng = new Rng(6);
    let fastLike = 0;
    for (let line = 1; line <= 4_000; line++) {
      const rec: Record<string, unknown> = { timestamp: new Date(T0 + line * 1000).toISOString() };
      for (const k of CANONICAL) if (k !== 'timestamp' && rng.chance(0.25)) rec[k] = randomValue(k, rng);
      if (rng.chance(0.1)) rec[rng.pick(NON_CANONICAL_KEYS)] = 'v';
      if (!CANONICAL.some((k) => k.includes('messages') && k in rec)) fastLike++;
      if (rng.chance(0.2)) {
        // processEvent with a hand-built event (the mask is computed from the event)
        const e: InferenceEvent = { time: T0 + line, line, principal: 'p', tenant: 't', record: rec };
        if (rng.chance(0.5)) e.inputText = 'in';
        if (rng.chance(0.5)) e.outputText = 'out';
        for (const d of detectors) if (accepts(d, e)) want.get(d.id)?.push(line);
        monitor.processEvent(e);
        continue;
      }
      // the reference decision on the event the general mapping builds from the same line
      const text = JSON.stringify(rec);
      const before = monitor.counters.events;
      const seenBefore = detectors.map((d) => d.seen.length);
      monitor.processLine(text, line);
      if (monitor.counters.events === before) continue; // rejected line: no detector ran
      const e = toEvent(JSON.parse(text) as unknown, line);
      detectors.forEach((d, i) => {
        const got = d.seen.length > (seenBefore[i] ?? 0);
        expect([d.id, line, got]).toEqual([d.id, line, accepts(d, e)]);
        if (got) want.get(d.id)?.push(line);
      });
    }
    expect(fastLike).toBeGreaterThan(1_000);
    for (const d of detectors) {
      expect([d.id, d.seen]).toEqual([d.id, want.get(d.id)]);
      const stats = monitor.stats().detectors.find((s) => s.id === d.id);
      expect(stats?.evaluated).toBe(d.seen.length);
    }
    expect(detectors.find((d) => d.id === 'emptyAny')?.seen).toEqual([]);
  });
});
