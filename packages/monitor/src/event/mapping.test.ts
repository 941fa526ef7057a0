import { describe, expect, it } from 'vitest';
import { Rng } from '../stats/rng.js';
import { MappingError, toEvent } from './mapping.js';

const ts = '2026-01-05T09:00:00.000Z';

describe('mapping layer', () => {
  it('reads the flat DESIGN.md format with structured messages', () => {
    const e = toEvent(
      {
        timestamp: ts,
        'user.id': 'alice',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.response.finish_reasons': 'stop',
        'gen_ai.input.messages': [
          { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
          { role: 'user', parts: [{ type: 'text', content: 'hello' }] },
          { role: 'tool', parts: [{ type: 'text', content: 'tool says' }] },
        ],
        'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'hi' }] }],
      },
      7,
    );
    expect(e).toMatchObject({
      principal: 'alice',
      tenant: 'default',
      line: 7,
      inputText: 'hello',
      toolText: 'tool says',
      systemText: 'be brief',
      outputText: 'hi',
    });
    expect(e.time).toBe(Date.parse(ts));
    expect(e.record['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('flattens nested objects into dotted names', () => {
    const e = toEvent(
      {
        timestamp: ts,
        user: { id: 'bob' },
        gen_ai: { usage: { input_tokens: 5, output_tokens: 9 }, request: { model: 'm' } },
      },
      1,
    );
    expect(e.principal).toBe('bob');
    expect(e.record['gen_ai.usage.output_tokens']).toBe(9);
    expect(e.record['gen_ai.request.model']).toBe('m');
  });

  it('reads OpenTelemetry log records: attributes map, OTLP key/value lists, resource attributes, timeUnixNano', () => {
    const e = toEvent(
      {
        timeUnixNano: '1767603600000000000',
        body: 'gen_ai.client.inference.operation.details',
        attributes: [
          { key: 'user.id', value: { stringValue: 'carol' } },
          { key: 'gen_ai.usage.input_tokens', value: { intValue: '42' } },
          {
            key: 'gen_ai.response.finish_reasons',
            value: { arrayValue: { values: [{ stringValue: 'length' }] } },
          },
        ],
        resource: { attributes: [{ key: 'atlasguard.tenant.id', value: { stringValue: 'acme' } }] },
      },
      1,
    );
    expect(e).toMatchObject({ principal: 'carol', tenant: 'acme', time: 1767603600000 });
    expect(e.record['gen_ai.usage.input_tokens']).toBe(42);
    expect(e.record['gen_ai.response.finish_reasons']).toEqual(['length']);
    const m = toEvent({ time_unix_nano: 1767603600000000000, attributes: { 'user.id': 'dan' } }, 1);
    expect(m.principal).toBe('dan');
  });

  it('maps deprecated GenAI names; canonical names win', () => {
    const e = toEvent(
      {
        timestamp: ts,
        'enduser.id': 'erin',
        'gen_ai.usage.prompt_tokens': 3,
        'gen_ai.usage.completion_tokens': 4,
        'gen_ai.prompt': 'old style prompt',
        'gen_ai.completion': 'old answer',
      },
      1,
    );
    expect(e).toMatchObject({ principal: 'erin', inputText: 'old style prompt', outputText: 'old answer' });
    expect(e.record['gen_ai.usage.input_tokens']).toBe(3);
    expect(e.record['gen_ai.usage.output_tokens']).toBe(4);
    const both = toEvent(
      { timestamp: ts, 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.prompt_tokens': 99 },
      1,
    );
    expect(both.record['gen_ai.usage.input_tokens']).toBe(10);
  });

  it('maps OpenInference names, flattened message lists and invocation parameters', () => {
    const e = toEvent(
      {
        timestamp: ts,
        'session.id': 's1',
        'user.id': 'fay',
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-x',
        'llm.token_count.prompt': 11,
        'llm.token_count.completion': 22,
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'sys',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'question',
        'output.value': 'answer',
        'llm.invocation_parameters':
          '{"max_tokens": 1, "temperature": 0, "top_logprobs": 20, "logit_bias": {"1": 5, "2": -100}}',
      },
      1,
    );
    expect(e).toMatchObject({ inputText: 'question', systemText: 'sys', outputText: 'answer' });
    expect(e.record).toMatchObject({
      'gen_ai.conversation.id': 's1',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-x',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 22,
      'gen_ai.request.max_tokens': 1,
      'gen_ai.request.temperature': 0,
      'atlasguard.request.top_logprobs': 20,
      'atlasguard.request.logit_bias_count': 2,
    });
    const nested = toEvent(
      {
        timestamp: ts,
        llm: { input_messages: [{ message: { role: 'user', content: 'nested q' } }] },
        'tool.name': 'search',
        'tool.parameters': { q: 1 },
      },
      1,
    );
    expect(nested.inputText).toBe('nested q');
    expect(nested.record['gen_ai.tool.name']).toBe('search');
    expect(nested.record['gen_ai.tool.call.arguments']).toBe('{"q":1}');
  });

  it('uses client.address when there is no user id, and accepts events without content', () => {
    const e = toEvent({ timestamp: ts, 'client.address': '10.0.0.1', 'gen_ai.usage.input_tokens': 1 }, 1);
    expect(e.principal).toBe('10.0.0.1');
    expect(e.inputText).toBeUndefined();
  });

  it('rejects non-events with a reason', () => {
    expect(() => toEvent([1, 2], 1)).toThrow(MappingError);
    expect(() => toEvent({ 'user.id': 'x' }, 1)).toThrow(/timestamp/);
    expect(() => toEvent({ timestamp: ts, 'gen_ai.usage.input_tokens': 'many' }, 1)).toThrow(
      /gen_ai.usage.input_tokens/,
    );
    expect(() => toEvent({ timestamp: ts, 'gen_ai.request.max_tokens': -1 }, 1)).toThrow(MappingError);
  });

  it('bounds key counts and depth', () => {
    const wide: Record<string, number> = { timestamp: 0 };
    for (let i = 0; i < 3000; i++) wide[`k${String(i)}`] = i;
    expect(() => toEvent(wide, 1)).toThrow(/keys/);
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(() => toEvent({ timestamp: ts, deep }, 1)).not.toThrow();
  });

  it('fuzz: random and mutated records either map or fail with MappingError, never anything else', () => {
    const rng = new Rng(99);
    const seeds = [
      {
        timestamp: ts,
        'user.id': 'u',
        'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
      },
      { timeUnixNano: '1767603600000000000', attributes: [{ key: 'user.id', value: { stringValue: 'v' } }] },
      {
        timestamp: ts,
        'llm.invocation_parameters': '{"max_tokens":1}',
        'llm.input_messages.0.message.content': 'x',
      },
    ];
    const values: unknown[] = [
      null,
      true,
      -1,
      1e308,
      'x',
      '',
      [],
      {},
      [{}],
      { stringValue: 3 },
      '{"a":',
      'NaN',
      '12',
      [1, 'a'],
    ];
    for (let i = 0; i < 3000; i++) {
      const base = JSON.parse(JSON.stringify(rng.pick(seeds))) as Record<string, unknown>;
      const keys = [
        ...Object.keys(base),
        'gen_ai.usage.input_tokens',
        'attributes',
        'gen_ai.output.messages',
        'user.id',
        'gen_ai.response.finish_reasons',
        'atlasguard.input.features',
      ];
      for (let k = 0; k < 1 + rng.int(3); k++) base[rng.pick(keys)] = rng.pick(values);
      const input: unknown = rng.chance(0.05) ? rng.pick(values) : base;
      try {
        const e = toEvent(input, i);
        expect(typeof e.principal).toBe('string');
        expect(Number.isFinite(e.time)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(MappingError);
      }
    }
  });
});
