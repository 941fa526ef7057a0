import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.js';
import { runMonitor } from '../run-monitor.js';
import { ev } from '../test-support/events.js';
import { Rng } from '../stats/rng.js';
import { LineSplitter } from './line-splitter.js';

const line = (s: number, user = 'u', extra: Record<string, unknown> = {}): string =>
  `${JSON.stringify(ev(s, user, extra))}\n`;
/** 40 logit-bias probes: enough for one alert */
const probes = (from: number, user: string): string =>
  Array.from({ length: 40 }, (_, i) =>
    line(from + i, user, { 'gen_ai.request.max_tokens': 1, 'atlasguard.request.logit_bias_count': 150 }),
  ).join('');

describe('LineSplitter', () => {
  it('splits across chunk boundaries, strips CR, numbers lines, flushes a last line without newline', () => {
    const got: [string, number][] = [];
    const s = new LineSplitter(
      100,
      (t, n) => got.push([t, n]),
      () => undefined,
    );
    s.push('ab');
    s.push('c\r\nde');
    s.push('f\n\ng');
    s.end();
    expect(got).toEqual([
      ['abc', 1],
      ['def', 2],
      ['', 3],
      ['g', 4],
    ]);
  });
  it('skips over-long lines without buffering them and keeps counting', () => {
    const got: number[] = [];
    const over: number[] = [];
    const s = new LineSplitter(
      10,
      (_t, n) => got.push(n),
      (n) => over.push(n),
    );
    s.push('short\n');
    s.push('x'.repeat(50));
    s.push('x'.repeat(50));
    expect(s.pending).toBe(0);
    s.push('\nok\n');
    s.push('y'.repeat(20));
    s.end();
    expect(got).toEqual([1, 3]);
    expect(over).toEqual([2, 4]);
  });
  it('fuzz: random chunking gives the same lines', () => {
    const rng = new Rng(3);
    const text = Array.from({ length: 200 }, (_, i) => `line-${String(i)}-${'é'.repeat(rng.int(5))}`).join(
      '\n',
    );
    const bytes = Buffer.from(text);
    const got: string[] = [];
    const s = new LineSplitter(
      1000,
      (t) => got.push(t),
      () => undefined,
    );
    let at = 0;
    while (at < bytes.length) {
      const n = 1 + rng.int(17);
      s.push(bytes.subarray(at, at + n));
      at += n;
    }
    s.end();
    expect(got).toEqual(text.split('\n'));
  });
});

describe('runMonitor input', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ag-mon-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts malformed lines with line numbers, never stops, and parses a truncated last line', async () => {
    const file = join(dir, 'events.jsonl');
    const body = [
      line(0),
      '{not json\n',
      '[1,2]\n',
      line(1, 'u', { 'gen_ai.usage.input_tokens': 'lots' }),
      '\n',
      `{"a":"${'x'.repeat(3000)}"}\n`,
      probes(10, 'thief'),
    ].join('');
    await writeFile(file, `${body}${JSON.stringify(ev(99, 'last')).slice(0, -1)}`); // truncated last line
    const { stats, alerts } = await runMonitor({ input: file, config: defaultConfig(), maxLineLength: 2000 });
    expect(stats.events).toBe(41);
    expect(stats.malformed).toBe(5);
    expect(stats.oversizeLines).toBe(1);
    expect(stats.malformedSamples.map((m) => m.line)).toEqual([2, 3, 4, 6, 47]);
    expect(stats.malformedSamples[2]?.reason).toMatch(/gen_ai.usage.input_tokens/);
    expect(alerts.map((a) => a.ruleId)).toContain('AG-MON-LOGIT-EXTRACTION');
  });

  it('reads stdin', async () => {
    const stdin = Readable.from([probes(0, 'piped')]);
    const { stats, alerts } = await runMonitor({ input: '-', stdin, config: defaultConfig() });
    expect(stats.events).toBe(40);
    expect(alerts).toHaveLength(1);
  });

  it('--follow: tails appends, survives truncation and rotation, loses no alert', async () => {
    const file = join(dir, 'live.jsonl');
    await writeFile(file, probes(0, 'before'));
    const events: string[] = [];
    const run = runMonitor({
      input: file,
      follow: true,
      pollMs: 20,
      idleExitMs: 1500,
      config: defaultConfig(),
      onRotate: (kind) => events.push(kind),
    });
    const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    await wait(200);
    await appendFile(file, probes(100, 'appended').slice(0, 500)); // half a line at the end…
    await wait(150);
    await appendFile(file, probes(100, 'appended').slice(500)); // …completed later
    await wait(200);
    await truncate(file, 0); // copytruncate-style rotation
    await wait(200);
    await appendFile(file, probes(200, 'after-truncate'));
    await wait(200);
    await rename(file, join(dir, 'live.jsonl.1')); // rename-style rotation
    await writeFile(file, probes(300, 'after-rotate'));
    const { alerts, stats } = await run;
    expect(events).toEqual(['truncated', 'rotated']);
    expect(alerts.map((a) => a.principal).sort()).toEqual([
      'after-rotate',
      'after-truncate',
      'appended',
      'before',
    ]);
    expect(stats.malformed).toBe(0);
  });
});
