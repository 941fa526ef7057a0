import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorConfigSchema } from '../config.js';
import { runMonitor } from '../run-monitor.js';
import { simulate } from '../sim/simulate.js';
import { publishFile } from './publish.js';
import { deleteNatsResources, readAlerts, runNatsWorker } from './worker.js';

const URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port: 4222 });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      resolve(false);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

const up = await reachable();
const key = (a: { ruleId: string; principal: string }): string => `${a.ruleId} ${a.principal}`;

describe.skipIf(!up)('JetStream scale-out mode (real NATS server on 127.0.0.1:4222)', () => {
  const run = randomBytes(4).toString('hex');
  const streams = [`AGT_${run}_A`, `AGT_${run}_B`];
  const prefixes = [`agt${run}a`, `agt${run}b`];
  let dir: string;
  let file: string;
  const config = monitorConfigSchema.parse({});

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ag-nats-'));
    file = join(dir, 'events.jsonl');
    const sim = simulate({
      seed: 21,
      principals: 25,
      hours: 0.75,
      attackersPerKind: 1,
      kinds: ['logit-extraction', 'dos', 'probing', 'injection', 'extraction-prada'],
    });
    await writeFile(file, `${[...sim.lines].join('\n')}\n`);
    for (let i = 0; i < 2; i++) {
      const r = await publishFile({
        url: URL,
        file,
        stream: streams[i] ?? '',
        subjectPrefix: prefixes[i] ?? '',
        partitions: 4,
      });
      expect(r.published).toBeGreaterThan(1000);
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) await deleteNatsResources(URL, s);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('a worker killed mid-stream and restarted from its checkpoint loses no alert and publishes no duplicate', async () => {
    const [sa = '', sb = ''] = streams;
    const [pa = '', pb = ''] = prefixes;
    // reference: one uninterrupted worker
    const ref = await runNatsWorker({
      url: URL,
      stream: sa,
      subjectPrefix: pa,
      partitions: 4,
      owned: [0, 1, 2, 3],
      config,
      checkpointEvery: 300,
      idleExitMs: 1500,
    });
    expect(ref.crashed).toBe(false);
    const refAlerts = await readAlerts(URL, sa);
    expect(refAlerts.length).toBeGreaterThanOrEqual(5);

    // crash after ~half the events (no final checkpoint, no ack), then restart
    const first = await runNatsWorker({
      url: URL,
      stream: sb,
      subjectPrefix: pb,
      partitions: 4,
      owned: [0, 1, 2, 3],
      config,
      checkpointEvery: 300,
      crashAfterEvents: Math.floor(ref.events / 2),
    });
    expect(first.crashed).toBe(true);
    const second = await runNatsWorker({
      url: URL,
      stream: sb,
      subjectPrefix: pb,
      partitions: 4,
      owned: [0, 1, 2, 3],
      config,
      checkpointEvery: 300,
      idleExitMs: 1500,
    });
    expect(Object.keys(second.restoredFrom).length).toBeGreaterThan(0);
    const got = await readAlerts(URL, sb);
    expect(new Set(got.map(key))).toEqual(new Set(refAlerts.map(key)));
    expect(got.length).toBe(new Set(got.map((a) => `${key(a)} ${a.window.end}`)).size);

    // the same alerts as the single-process file mode (principal-level detectors)
    const file1 = await runMonitor({ input: file, config });
    const principalAlerts = (xs: { ruleId: string; principal: string }[]): Set<string> =>
      new Set(xs.filter((a) => !a.principal.startsWith('tenant:')).map(key));
    expect(principalAlerts(refAlerts)).toEqual(principalAlerts(file1.alerts));
  }, 180_000);
});
