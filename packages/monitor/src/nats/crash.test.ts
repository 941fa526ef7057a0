import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../alert.js';
import { simulate } from '../sim/simulate.js';
import { partitionOf } from './partition.js';
import { publishFile } from './publish.js';
import { alertId, deleteNatsResources, readAlerts, stateBucketName } from './worker.js';

const NATS = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const CHILD = fileURLToPath(new URL('../test-support/cli-child.ts', import.meta.url));
const PARTITIONS = 4;

async function reachable(): Promise<boolean> {
  const u = new URL(NATS.replace(/^nats:/, 'http:'));
  return new Promise((resolve) => {
    const s = netConnect({ host: u.hostname, port: Number(u.port || 4222) });
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

interface Worker {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  /** SIGSTOP / SIGCONT: freeze the worker while its progress is inspected */
  pause(): void;
  resume(): void;
  stderr(): string;
}

/** `atlasguard monitor --nats …` as a real child process. */
function spawnWorker(stream: string, prefix: string, extra: readonly string[] = []): Worker {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@atlasguard/source',
      '--import',
      'tsx',
      CHILD,
      'monitor',
      '--nats',
      NATS,
      '--nats-stream',
      stream,
      '--nats-subject',
      prefix,
      '--partitions',
      String(PARTITIONS),
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    exited,
    kill: () => child.kill('SIGKILL'),
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stderr: () => err,
  };
}

interface Progress {
  delivered: number;
  acked: number;
  checkpoints: number;
  /** per partition: the last stream sequence covered by a checkpoint in the KV bucket */
  covered: Map<number, number>;
}

/** Events delivered to and acknowledged by the stream's consumers so far, and the checkpoints written. */
async function progress(stream: string): Promise<Progress> {
  const nc = await connect({ servers: NATS, timeout: 5000 });
  try {
    const jsm = await nc.jetstreamManager();
    const out: Progress = { delivered: 0, acked: 0, checkpoints: 0, covered: new Map() };
    for (const c of await jsm.consumers.list(stream).next()) {
      out.delivered += c.delivered.consumer_seq;
      out.acked += c.ack_floor.consumer_seq;
    }
    try {
      const kv = await nc.jetstream().views.kv(stateBucketName(stream), { history: 1 });
      for (let p = 0; p < PARTITIONS; p++) {
        const entry = await kv.get(`p${String(p)}`);
        if (!entry || entry.value.length === 0) continue;
        const seq = (JSON.parse(new TextDecoder().decode(entry.value)) as { seq?: unknown }).seq;
        if (typeof seq === 'number') {
          out.covered.set(p, seq);
          out.checkpoints++;
        }
      }
    } catch {
      out.checkpoints = 0;
    }
    return out;
  } finally {
    await nc.close();
  }
}

/**
 * Alerts already published whose triggering event is not yet covered by a checkpoint: the restarted worker
 * re-reads that event and raises the alert again, which is what must not be counted twice.
 */
function unprotected(alerts: readonly Alert[], p: Progress): Alert[] {
  return alerts.filter((a) => {
    if (a.principal.startsWith('tenant:')) return false;
    const lines = Array.isArray(a.evidence.lines) ? (a.evidence.lines as unknown[]) : [];
    const seq = Math.max(...lines.map(Number));
    return seq > (p.covered.get(partitionOf(a.tenant ?? 'default', a.principal, PARTITIONS)) ?? 0);
  });
}

const up = await reachable();
const sorted = (alerts: readonly Alert[]): string[] => alerts.map((a) => JSON.stringify(a)).sort();

describe.skipIf(!up)(
  'JetStream worker killed with SIGKILL mid-stream (real NATS server, child processes)',
  () => {
    const run = randomBytes(4).toString('hex');
    const streams = [`AGK_${run}_REF`, `AGK_${run}_KILL`];
    const prefixes = [`agk${run}r`, `agk${run}k`];
    let dir: string;
    let published = 0;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ag-nats-kill-'));
      const file = join(dir, 'events.jsonl');
      const sim = simulate({
        seed: 33,
        principals: 100,
        hours: 1.5,
        attackersPerKind: 1,
        kinds: ['logit-extraction', 'dos', 'probing', 'extraction-prada', 'resource', 'injection'],
      });
      await writeFile(file, `${[...sim.lines].join('\n')}\n`);
      for (let i = 0; i < 2; i++) {
        const r = await publishFile({
          url: NATS,
          file,
          stream: streams[i] ?? '',
          subjectPrefix: prefixes[i] ?? '',
          partitions: PARTITIONS,
        });
        published = r.published;
      }
      expect(published).toBeGreaterThan(8000);
    }, 180_000);

    afterAll(async () => {
      for (const s of streams) await deleteNatsResources(NATS, s);
      await rm(dir, { recursive: true, force: true });
    }, 60_000);

    it('restarts from its checkpoints: every alert of an uninterrupted worker, none twice', async () => {
      const [refStream = '', killStream = ''] = streams;
      const [refPrefix = '', killPrefix = ''] = prefixes;

      // reference: one uninterrupted worker process
      const ref = spawnWorker(refStream, refPrefix, ['--idle-exit', '3', '--checkpoint-every', '500']);
      expect((await ref.exited).code, ref.stderr()).toBe(0);
      const refAlerts = await readAlerts(NATS, refStream);
      expect(refAlerts.length).toBeGreaterThanOrEqual(5);

      // the same stream, but the worker gets SIGKILL once it has written checkpoints and has published an
      // alert for an event that no checkpoint covers yet
      const victim = spawnWorker(killStream, killPrefix, ['--checkpoint-every', '1000']);
      const deadline = Date.now() + 150_000;
      for (;;) {
        const exitedEarly = await Promise.race([
          victim.exited.then(() => true),
          new Promise<boolean>((r) => {
            setTimeout(() => {
              r(false);
            }, 20);
          }),
        ]);
        expect(exitedEarly, `worker exited before it was killed:\n${victim.stderr()}`).toBe(false);
        // frozen while inspected (and a moment for messages in flight to land), so that no checkpoint can
        // slip in between seeing an unprotected alert and the kill
        victim.pause();
        await sleep(250);
        const p = await progress(killStream).catch(() => undefined);
        if (p !== undefined && p.checkpoints > 0) {
          const published = await readAlerts(NATS, killStream).catch(() => []);
          if (unprotected(published, p).length > 0) {
            victim.kill();
            break;
          }
        }
        victim.resume();
        expect(Date.now()).toBeLessThan(deadline);
      }
      expect((await victim.exited).signal).toBe('SIGKILL');
      const atKill = await progress(killStream);
      const beforeRestart = await readAlerts(NATS, killStream);
      // it really died mid-stream, with an alert out that its checkpoints do not cover: the restart replays it
      expect(atKill.acked).toBeLessThan(published);
      expect(unprotected(beforeRestart, atKill).length).toBeGreaterThan(0);

      const restarted = spawnWorker(killStream, killPrefix, [
        '--idle-exit',
        '3',
        '--checkpoint-every',
        '500',
      ]);
      expect((await restarted.exited).code, restarted.stderr()).toBe(0);
      const resumed = /nats worker stopped: (\d+) events/.exec(restarted.stderr());
      // it resumed from the checkpoints instead of re-reading the stream from the start
      expect(Number(resumed?.[1] ?? published)).toBeLessThan(published);

      const got = await readAlerts(NATS, killStream);
      // at-least-once without loss: exactly the reference alerts (same evidence, same windows)
      expect(sorted(got)).toEqual(sorted(refAlerts));
      // and no double counting: alerts re-raised after the restart carried the same id and were dropped
      expect(new Set(got.map(alertId)).size).toBe(got.length);
      expect(got.length).toBeGreaterThanOrEqual(beforeRestart.length);
    }, 300_000);
  },
);
