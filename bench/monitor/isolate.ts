/**
 * Where the detectors' time goes (not the benchmark: see run.ts). Builds N events of a JSONL file in memory
 * first (`toEvent`), then times the detectors on them alone, and interleaved per event with (a) a
 * `JSON.parse` of the event's line and (b) a read of every character of the line that allocates nothing,
 * each minus the time of that work on its own. CPU time, nanoseconds per event.
 *
 *   node --import tsx --conditions=@atlasguard/source bench/monitor/isolate.ts N DETECTORS FILE
 *   (DETECTORS: comma-separated ids, '' for the metadata set; FILE: e.g. events-metadata.jsonl kept by
 *   `run.ts --keep DIR`)
 */
import { readFileSync } from 'node:fs';
import {
  buildDetectors,
  defaultConfig,
  METADATA_DETECTORS,
  toEvent,
  type DetectorContext,
  type InferenceEvent,
} from '@atlasguard/monitor';

const n = Number(process.argv[2] ?? 300000);
const only = process.argv[3];
const file = process.argv[4];
if (file === undefined) {
  console.error('usage: isolate.ts N DETECTORS FILE (see the header of this script)');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8')
  .split('\n', n)
  .filter((l) => l !== '');
const config = defaultConfig();
const ids = only !== undefined && only !== '' ? only.split(',') : [...METADATA_DETECTORS];
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// the engine interns the principal key once per event: so do the prepared events
const keys = new Map<string, string>();
const events: InferenceEvent[] = lines.map((l, i) => {
  const e = toEvent(JSON.parse(l) as unknown, i + 1);
  const key = `${e.tenant}\u0000${e.principal}`;
  e.key = keys.get(key) ?? key;
  keys.set(e.key, e.key);
  return e;
});
const ctx: DetectorContext = {
  emit: () => undefined,
  signals: { markSuspicious: () => undefined, suspicion: () => undefined },
};

/** Every character of the line, read and mixed, nothing allocated. */
function readLine(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h & 1;
}
const parseLine = (text: string): number => Object.keys(JSON.parse(text) as object).length;

/** ns per event of `work` alone, of the detectors alone, and of both interleaved. */
function time(work: (text: string) => number): { work: number; detectors: number; both: number } {
  const perEvent = (seconds: number): number => (seconds / events.length) * 1e9;
  let sink = 0;
  let t = cpu();
  for (const line of lines) sink += work(line);
  const alone = perEvent(cpu() - t);
  let detectors = buildDetectors(config, undefined, ids);
  t = cpu();
  for (const e of events) for (const d of detectors) d.observe(e, ctx);
  const detectorsAlone = perEvent(cpu() - t);
  detectors = buildDetectors(config, undefined, ids);
  t = cpu();
  for (let i = 0; i < events.length; i++) {
    sink += work(lines[i] ?? '');
    for (const d of detectors) d.observe(events[i] as InferenceEvent, ctx);
  }
  const both = perEvent(cpu() - t);
  if (sink < 0) console.log(sink);
  return { work: alone, detectors: detectorsAlone, both };
}

// warm-up: compiled code is not what is measured
for (const d of buildDetectors(config, undefined, ids))
  for (const e of events.slice(0, 30_000)) d.observe(e, ctx);
time(parseLine);
time(readLine);
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  const p = time(parseLine);
  const r = time(readLine);
  console.log(
    `detectors ${ids.join(',')}: alone ${p.detectors.toFixed(0)} ns/event; interleaved with JSON.parse of the line ${(p.both - p.work).toFixed(0)} (parse alone ${p.work.toFixed(0)}); interleaved with a non-allocating read of the line ${(r.both - r.work).toFixed(0)} (read alone ${r.work.toFixed(0)})`,
  );
}
