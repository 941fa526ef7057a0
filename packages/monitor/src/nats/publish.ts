import { createReadStream } from 'node:fs';
import { connect, StorageType, type JetStreamManager } from 'nats';
import { AtlasGuardError } from '@atlasguard/core';
import { toEvent } from '../event/mapping.js';
import { LineSplitter } from '../input/line-splitter.js';
import { eventSubject, partitionOf } from './partition.js';

export interface PublishOptions {
  url: string;
  file: string;
  stream: string;
  subjectPrefix: string;
  partitions: number;
  maxLineLength?: number;
}

/** Creates the events stream if needed (subjects `<prefix>.events.>`). */
export async function ensureEventStream(
  jsm: JetStreamManager,
  stream: string,
  prefix: string,
): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.events.>`], storage: StorageType.File });
  }
}

/** Reads a JSONL file and publishes each event line to its principal's partition subject. */
export async function publishFile(o: PublishOptions): Promise<{ published: number; malformed: number }> {
  const nc = await connect({ servers: o.url, timeout: 5000 }).catch((error: unknown) => {
    throw new AtlasGuardError(`cannot connect to NATS at ${o.url}: ${(error as Error).message}`, {
      hint: 'start nats-server -js or check --nats',
    });
  });
  let published = 0;
  let malformed = 0;
  try {
    const jsm = await nc.jetstreamManager();
    await ensureEventStream(jsm, o.stream, o.subjectPrefix);
    const js = nc.jetstream();
    const pending: Promise<unknown>[] = [];
    const lines: string[] = [];
    const splitter = new LineSplitter(
      o.maxLineLength ?? 1024 * 1024,
      (text) => {
        if (text.trim() !== '') lines.push(text);
      },
      () => {
        malformed++;
      },
    );
    const flush = async (): Promise<void> => {
      for (const text of lines.splice(0)) {
        let partition: number;
        try {
          const e = toEvent(JSON.parse(text) as unknown, 0);
          partition = partitionOf(e.tenant, e.principal, o.partitions);
        } catch {
          malformed++;
          continue;
        }
        pending.push(js.publish(eventSubject(o.subjectPrefix, partition), new TextEncoder().encode(text)));
        published++;
        if (pending.length >= 256) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending.splice(0));
    };
    for await (const chunk of createReadStream(o.file, { highWaterMark: 256 * 1024 })) {
      splitter.push(chunk as Buffer);
      await flush();
    }
    splitter.end();
    await flush();
  } finally {
    await nc.drain();
  }
  return { published, malformed };
}
