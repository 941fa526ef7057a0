/**
 * Inference-monitor benchmark (issue 7): events/s on one core with the detectors on simulated events,
 * against the floor of plain line-by-line JSON.parse of the same file in the same run.
 *
 *   npx tsx --conditions=@atlasguard/source bench/monitor/run.ts [--events 1000000] [--out bench/out/monitor.json]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BUILTIN_RULES_DIR,
  buildDetectors,
  defaultConfig,
  LineSplitter,
  loadRulesDir,
  METADATA_DETECTORS,
  Monitor,
  simulate,
  type Detector,
} from '@atlasguard/monitor';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    'content-events': { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'string' },
  },
});
const target = Number(values.events);
/** the all-detector run can be limited to the first N events of the content file (it is much slower) */
const contentTarget = values['content-events'] !== undefined ? Number(values['content-events']) : target;

async function generate(path: string, content: boolean): Promise<number> {
  // ~95 events per principal-hour (~380 per principal in 4 hours): size the population to reach the target
  const sim = simulate({
    seed: 42,
    principals: Math.max(100, Math.ceil(target / 360)),
    hours: 4,
    attackersPerKind: 5,
    content,
  });
  const out = createWriteStream(path);
  let n = 0;
  let buf: string[] = [];
  for (const line of sim.lines) {
    buf.push(line);
    if (++n >= target) break;
    if (buf.length >= 5000) {
      if (!out.write(`${buf.join('\n')}\n`))
        await new Promise<void>((r) =>
          out.once('drain', () => {
            r();
          }),
        );
      buf = [];
    }
  }
  out.write(`${buf.join('\n')}\n`);
  await new Promise<void>((r) =>
    out.end(() => {
      r();
    }),
  );
  return n;
}

async function readLines(
  path: string,
  onLine: (text: string, line: number) => void,
  limit = Infinity,
): Promise<number> {
  let n = 0;
  const splitter = new LineSplitter(
    1024 * 1024,
    (text, line) => {
      if (++n <= limit) onLine(text, line);
    },
    () => undefined,
  );
  const t0 = process.hrtime.bigint();
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    splitter.push(chunk as Buffer);
    if (n >= limit) break;
  }
  splitter.end();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function floor(path: string, limit = Infinity): Promise<{ seconds: number; events: number }> {
  let events = 0;
  let sink = 0;
  const seconds = await readLines(
    path,
    (text) => {
      const v = JSON.parse(text) as Record<string, unknown>;
      sink += Object.keys(v).length;
      events++;
    },
    limit,
  );
  if (sink < 0) console.log(sink);
  return { seconds, events };
}

async function monitored(
  path: string,
  detectors: Detector[],
  limit = Infinity,
): Promise<{
  seconds: number;
  events: number;
  alerts: number;
  stateBytes: number;
  principals: number;
  rssMiB: number;
}> {
  const monitor = new Monitor(defaultConfig(), detectors);
  const seconds = await readLines(path, (text, line) => monitor.processLine(text, line), limit);
  const stats = monitor.stats();
  const stateBytes = stats.detectors.reduce((a, d) => a + d.stateBytes, 0);
  return {
    seconds,
    events: stats.events,
    alerts: stats.alerts,
    stateBytes,
    principals: stats.principals,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

const dir = values.keep !== undefined ? resolve(values.keep) : await mkdtemp(join(tmpdir(), 'ag-bench-mon-'));
await mkdir(dir, { recursive: true });
const metaFile = join(dir, 'events-metadata.jsonl');
const fullFile = join(dir, 'events-content.jsonl');
const rate = (r: { events: number; seconds: number }): number => Math.round(r.events / r.seconds);
/** Alternates floor and monitor runs and keeps the best of each: the machine is shared, so noise only slows. */
async function compare(
  path: string,
  detectors: () => Detector[],
  rounds: number,
  limit = Infinity,
): Promise<{ floor: number; monitor: number; last: Awaited<ReturnType<typeof monitored>> }> {
  let bestFloor = 0;
  let bestMonitor = 0;
  let last: Awaited<ReturnType<typeof monitored>> | undefined;
  for (let i = 0; i < rounds; i++) {
    bestFloor = Math.max(bestFloor, rate(await floor(path, limit)));
    last = await monitored(path, detectors(), limit);
    bestMonitor = Math.max(bestMonitor, rate(last));
    console.error(
      `round ${String(i + 1)}: floor ${String(bestFloor)} ev/s, monitor ${String(rate(last))} ev/s (${String(last.events)} events)`,
    );
  }
  if (!last) throw new Error('no rounds');
  return { floor: bestFloor, monitor: bestMonitor, last };
}
try {
  console.error(
    `generating ${String(target)} simulated events twice (metadata + fingerprints; full content)…`,
  );
  const { existsSync } = await import('node:fs');
  const reuse = existsSync(metaFile) && existsSync(fullFile);
  const generated = reuse ? target : await generate(metaFile, false);
  if (!reuse) await generate(fullFile, true);
  const config = defaultConfig();
  const rules = await loadRulesDir(BUILTIN_RULES_DIR);
  const meta = await compare(metaFile, () => buildDetectors(config, undefined, [...METADATA_DETECTORS]), 2);
  const all = await compare(fullFile, () => buildDetectors(config, rules), 1, contentTarget);
  const result = {
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    events: meta.last.events,
    requested: generated,
    metadata: {
      input: 'metadata and SimHash fingerprints, no message content',
      detectors: METADATA_DETECTORS,
      floorEventsPerSecond: meta.floor,
      eventsPerSecond: meta.monitor,
      ratioToFloor: Number((meta.monitor / meta.floor).toFixed(3)),
      alerts: meta.last.alerts,
      principals: meta.last.principals,
      stateBytesPerPrincipal: Math.round(meta.last.stateBytes / Math.max(1, meta.last.principals)),
      rssMiB: meta.last.rssMiB,
    },
    all: {
      input: 'full message content (two thirds of tenants) plus metadata',
      events: all.last.events,
      detectors: 'all built-in detectors and YAML rules',
      floorEventsPerSecond: all.floor,
      eventsPerSecond: all.monitor,
      ratioToFloor: Number((all.monitor / all.floor).toFixed(3)),
      alerts: all.last.alerts,
      stateBytesPerPrincipal: Math.round(all.last.stateBytes / Math.max(1, all.last.principals)),
      rssMiB: all.last.rssMiB,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (values.out !== undefined) {
    await mkdir(dirname(resolve(values.out)), { recursive: true });
    await writeFile(resolve(values.out), `${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  if (values.keep === undefined) await rm(dir, { recursive: true, force: true });
}
