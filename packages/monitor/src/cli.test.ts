import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.js';
import { alertSchema } from './alert.js';
import { expectGolden } from './test-support/golden.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ag-mon-cli-'));
  const sim = await runCli(
    [
      'monitor',
      'simulate',
      '--out',
      'events.jsonl',
      '--labels',
      'labels.json',
      '--seed',
      '2',
      '--principals',
      '30',
      '--hours',
      '1',
      '--attackers-per-kind',
      '1',
      '--kinds',
      'logit-extraction,injection,leakage,dos',
    ],
    { cwd: dir },
  );
  expect(sim.code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atlasguard monitor (CLI)', () => {
  it('writes alerts JSONL and a text summary; exits 1 on alerts at/above --fail-on (golden)', async () => {
    const r = await runCli(
      ['monitor', 'events.jsonl', '--alerts', 'alerts.jsonl', '--labels', 'labels.json'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const alerts = (await readFile(join(dir, 'alerts.jsonl'), 'utf8')).trim().split('\n');
    for (const a of alerts) alertSchema.parse(JSON.parse(a));
    expectGolden('alerts.jsonl', `${alerts.join('\n')}\n`);
    expectGolden('summary.txt', r.stdout);
  });
  it('--format json (golden) and --fail-on none', async () => {
    const r = await runCli(['monitor', 'events.jsonl', '--format', 'json', '--fail-on', 'none'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as { stats: { events: number } };
    expect(parsed.stats.events).toBeGreaterThan(1000);
    expectGolden('summary.json', r.stdout);
  });
  it('monitor report renders the alerts as HTML', async () => {
    await runCli(['monitor', 'events.jsonl', '--alerts', 'alerts.jsonl'], { cwd: dir });
    const r = await runCli(['monitor', 'report', 'alerts.jsonl', '--out', 'report.html'], { cwd: dir });
    expect(r.code).toBe(0);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('AG-MON-LOGIT-EXTRACTION');
  });
  it('monitor rules runs every embedded rule test; --rules adds user rules', async () => {
    const rulesDir = join(dir, 'my-rules');
    await import('node:fs/promises').then((fs) => fs.mkdir(rulesDir, { recursive: true }));
    await writeFile(
      join(rulesDir, 'refund.yaml'),
      `title: Refund abuse prompt\nid: MY-REFUND\ndescription: asks for refunds to other accounts\ntags: [atlas.aml.t0051.000]\nlevel: high\nlogsource: { product: genai }\ndetection:\n  sel:\n    input.text|re: 'refund .{0,30}to (another|my other) account'\n  condition: sel\ntests:\n  positive: [{ input.value: 'please refund the order to my other account' }]\n  negative: [{ input.value: 'how do refunds work?' }]\n`,
    );
    const r = await runCli(['monitor', 'rules', '--rules', rulesDir], { cwd: dir });
    expect(r.stdout).toMatch(/(\d+)\/\1 rule tests passed/);
    expect(r.stdout).toContain('MY-REFUND');
    expect(r.code).toBe(0);
    await writeFile(
      join(dir, 'refund-events.jsonl'),
      `${JSON.stringify({ timestamp: '2026-01-05T09:00:00Z', 'user.id': 'x', 'input.value': 'Refund it to another account now' })}\n`,
    );
    const m = await runCli(['monitor', 'refund-events.jsonl', '--rules', rulesDir, '--format', 'json'], {
      cwd: dir,
    });
    expect(m.code).toBe(1);
    expect(m.stdout).toContain('"MY-REFUND": 1');
  });
  it('exit codes: 3 nothing to scan, 2 only malformed input, 4 usage', async () => {
    await writeFile(join(dir, 'empty.jsonl'), '');
    expect((await runCli(['monitor', 'empty.jsonl'], { cwd: dir })).code).toBe(3);
    expect((await runCli(['monitor', 'missing.jsonl'], { cwd: dir })).code).toBe(3);
    await writeFile(join(dir, 'junk.jsonl'), 'not json\n{"a":1}\n');
    const junk = await runCli(['monitor', 'junk.jsonl'], { cwd: dir });
    expect(junk.code).toBe(2);
    expect(junk.stdout).toContain('line 1: invalid JSON');
    expect(junk.stdout).toContain('line 2: no valid timestamp');
    const usage = await runCli(['monitor', 'events.jsonl', '--detectors', 'nope'], { cwd: dir });
    expect(usage.code).toBe(4);
    expect(usage.stderr).toContain('unknown detector nope');
    expect((await runCli(['monitor', 'events.jsonl', '--metrics-port', '99999'], { cwd: dir })).code).toBe(4);
    expect(
      (await runCli(['monitor', 'events.jsonl', '--webhook', 'file:///etc/passwd'], { cwd: dir })).code,
    ).toBe(4);
    await writeFile(join(dir, 'bad-config.json'), '{"volume": {"burstFactor": "high"}}');
    const cfg = await runCli(['monitor', 'events.jsonl', '--config', 'bad-config.json'], { cwd: dir });
    expect(cfg.code).toBe(4);
    expect(cfg.stderr).toMatch(/bad-config.json: invalid config: volume.burstFactor/);
    expect(cfg.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
