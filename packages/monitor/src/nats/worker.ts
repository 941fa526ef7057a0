import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  headers,
  nanos,
  StorageType,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import { AtlasGuardError } from '@atlasguard/core';
import type { Alert } from '../alert.js';
import type { MonitorConfig } from '../config.js';
import { Monitor } from '../engine.js';
import type { CompiledRule } from '../rules/compile.js';
import { buildDetectors } from '../run-monitor.js';
import { ensureEventStream } from './publish.js';
import { alertSubject, eventSubject } from './partition.js';

export interface NatsWorkerOptions {
  url: string;
  stream: string;
  subjectPrefix: string;
  partitions: number;
  owned: readonly number[];
  config: MonitorConfig;
  rules?: readonly CompiledRule[];
  checkpointEvery?: number;
  /** also checkpoint at least this often while busy (ms) */
  checkpointMs?: number;
  batch?: number;
  idleExitMs?: number;
  signal?: AbortSignal;
  /** test hook: stop abruptly (no checkpoint, no ack) after this many events — what a killed process does */
  crashAfterEvents?: number;
  onAlert?: (alert: Alert) => void;
}

export interface NatsWorkerResult {
  events: number;
  alerts: number;
  restoredFrom: Record<number, number>;
  crashed: boolean;
  /** consumers re-created because delivered messages were lost on the client (see the fetch loop) */
  consumerResets: number;
}

interface Checkpoint {
  seq: number;
  state: unknown;
}

export const alertsStreamName = (stream: string): string => `${stream}_ALERTS`;
export const stateBucketName = (stream: string): string => `${stream}_STATE`;
const consumerName = (stream: string, p: number): string => `${stream}_p${String(p)}`;

/** Stable id of an alert: replays after a restart publish the same id, and JetStream drops the duplicate. */
export function alertId(a: Alert): string {
  return createHash('sha256')
    .update(
      JSON.stringify([a.detector, a.ruleId, a.tenant ?? '', a.principal, a.window.end, a.atlas.techniques]),
    )
    .digest('hex')
    .slice(0, 32);
}

async function connectOrFail(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, timeout: 5000, maxReconnectAttempts: 10 });
  } catch (error) {
    throw new AtlasGuardError(`cannot connect to NATS at ${url}: ${(error as Error).message}`, {
      hint: 'start nats-server -js or check --nats',
    });
  }
}

/**
 * A JetStream worker: one durable pull consumer and one Monitor per owned partition. Events are processed
 * in stream order; every `checkpointEvery` events the partition's detector state and stream sequence go to
 * the KV bucket, and only then are the events acknowledged. A restarted worker restores the checkpoint and
 * re-reads from the next sequence, so nothing between the last checkpoint and a crash is lost; alerts it
 * re-raises carry the same message id and are dropped by the alert stream's duplicate window.
 */
export async function runNatsWorker(o: NatsWorkerOptions): Promise<NatsWorkerResult> {
  const nc = await connectOrFail(o.url);
  const result: NatsWorkerResult = {
    events: 0,
    alerts: 0,
    restoredFrom: {},
    crashed: false,
    consumerResets: 0,
  };
  const every = o.checkpointEvery ?? 1000;
  const everyMs = o.checkpointMs ?? 5000;
  try {
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    await ensureEventStream(jsm, o.stream, o.subjectPrefix);
    const alertsStream = alertsStreamName(o.stream);
    try {
      await jsm.streams.info(alertsStream);
    } catch {
      await jsm.streams.add({
        name: alertsStream,
        subjects: [`${o.subjectPrefix}.alerts.>`],
        storage: StorageType.File,
        duplicate_window: nanos(3_600_000),
      });
    }
    const kv = await js.views.kv(stateBucketName(o.stream), { history: 1 });
    const codec = new TextEncoder();
    const decoder = new TextDecoder();
    interface Part {
      p: number;
      monitor: Monitor;
      lastSeq: number;
      unacked: JsMsg[];
      lastCheckpoint: number;
      pendingAlerts: Promise<unknown>[];
    }
    const parts: Part[] = [];
    /** (Re)creates partition p's durable consumer so that delivery resumes right after stream sequence `after`. */
    const startConsumer = async (p: number, after: number): Promise<void> => {
      const name = consumerName(o.stream, p);
      await jsm.consumers.delete(o.stream, name).catch(() => undefined);
      await jsm.consumers.add(o.stream, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        filter_subject: eventSubject(o.subjectPrefix, p),
        ack_wait: nanos(120_000),
        max_ack_pending: Math.max(every * 2, 1000),
        ...(after > 0
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }
          : { deliver_policy: DeliverPolicy.All }),
      });
    };
    for (const p of o.owned) {
      const entry = await kv.get(`p${String(p)}`);
      let checkpoint: Checkpoint | undefined;
      if (entry && entry.value.length > 0) {
        try {
          checkpoint = JSON.parse(decoder.decode(entry.value)) as Checkpoint;
        } catch {
          checkpoint = undefined;
        }
      }
      const part: Part = {
        p,
        monitor: undefined as unknown as Monitor,
        lastSeq: checkpoint?.seq ?? 0,
        unacked: [],
        lastCheckpoint: Date.now(),
        pendingAlerts: [],
      };
      part.monitor = new Monitor(o.config, buildDetectors(o.config, o.rules), (alert) => {
        result.alerts++;
        o.onAlert?.(alert);
        const h = headers();
        h.set('Nats-Msg-Id', alertId(alert));
        part.pendingAlerts.push(
          js.publish(alertSubject(o.subjectPrefix, alert.severity), codec.encode(JSON.stringify(alert)), {
            headers: h,
          }),
        );
      });
      if (checkpoint) {
        part.monitor.restore(checkpoint.state);
        result.restoredFrom[p] = checkpoint.seq;
      }
      // Re-create the durable consumer at the checkpoint: this worker owns the partition exclusively.
      await startConsumer(p, checkpoint?.seq ?? 0);
      parts.push(part);
    }
    const checkpoint = async (part: Part): Promise<void> => {
      await Promise.all(part.pendingAlerts.splice(0));
      const data: Checkpoint = { seq: part.lastSeq, state: part.monitor.snapshot() };
      await kv.put(`p${String(part.p)}`, codec.encode(JSON.stringify(data)));
      for (const m of part.unacked.splice(0)) m.ack();
      part.lastCheckpoint = Date.now();
    };
    let idleSince = Date.now();
    outer: while (o.signal?.aborted !== true) {
      let got = 0;
      for (const part of parts) {
        const consumer = await js.consumers.get(o.stream, consumerName(o.stream, part.p));
        const batch = await consumer.fetch({ max_messages: o.batch ?? 500, expires: 1000 });
        for await (const m of batch) {
          got++;
          if (m.seq <= part.lastSeq) {
            m.ack();
            continue;
          }
          part.monitor.processLine(decoder.decode(m.data), m.seq);
          part.lastSeq = m.seq;
          part.unacked.push(m);
          result.events++;
          if (o.crashAfterEvents !== undefined && result.events >= o.crashAfterEvents) {
            result.crashed = true;
            break outer;
          }
          if (part.unacked.length >= every || Date.now() - part.lastCheckpoint >= everyMs)
            await checkpoint(part);
        }
        // A message the server delivered after this fetch ended on the client (its expiry timer fired first,
        // e.g. after an event-loop stall) is dropped by the client and would only come back after ack_wait —
        // behind later events, where it would be skipped as already seen. If the server has delivered past
        // what was processed, re-read from the last processed sequence instead: nothing is lost.
        const info = await jsm.consumers.info(o.stream, consumerName(o.stream, part.p));
        if (info.delivered.stream_seq > part.lastSeq) {
          result.consumerResets++;
          await startConsumer(part.p, part.lastSeq);
        }
      }
      if (got > 0) {
        idleSince = Date.now();
        continue;
      }
      for (const part of parts) if (part.unacked.length > 0) await checkpoint(part);
      if (o.idleExitMs !== undefined && Date.now() - idleSince >= o.idleExitMs) break;
      await sleep(50);
    }
    if (!result.crashed) for (const part of parts) await checkpoint(part);
  } finally {
    if (result.crashed) await nc.close();
    else await nc.drain();
  }
  return result;
}

/** Reads every alert in the alerts stream (tests, tooling). */
export async function readAlerts(url: string, stream: string): Promise<Alert[]> {
  const nc = await connectOrFail(url);
  try {
    const jsm = await nc.jetstreamManager();
    const name = alertsStreamName(stream);
    const info = await jsm.streams.info(name);
    const alerts: Alert[] = [];
    const decoder = new TextDecoder();
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
      const m = await jsm.streams.getMessage(name, { seq }).catch(() => undefined);
      if (m) alerts.push(JSON.parse(decoder.decode(m.data)) as Alert);
    }
    return alerts;
  } finally {
    await nc.close();
  }
}

/** Deletes the streams and KV bucket of a run (tests clean up with this). */
export async function deleteNatsResources(url: string, stream: string): Promise<void> {
  const nc = await connectOrFail(url);
  try {
    const jsm = await nc.jetstreamManager();
    for (const name of [stream, alertsStreamName(stream), `KV_${stateBucketName(stream)}`])
      await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
