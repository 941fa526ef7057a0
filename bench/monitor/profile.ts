/**
 * Quick profiling loop for the monitor (not the benchmark: see run.ts). Reads N lines of a JSONL file into
 * memory, then alternates plain JSON.parse over them with the monitor, printing rates (CPU time, so that a
 * loaded machine distorts less) and, with --expose-gc, the retained heap per principal.
 *
 *   node --expose-gc --import tsx --conditions=@atlasguard/source bench/monitor/profile.ts N DETECTORS FILE
 *   (DETECTORS: comma-separated ids, '' for the metadata set, 'none' for no detector — parse, mapping and
 *   engine only; FILE: e.g. events-metadata.jsonl kept by
 *   `run.ts --keep DIR`)
 *   (add --cpu-prof to see where the time goes)
 */
import { readFileSync } from 'node:fs';
import { buildDetectors, defaultConfig, METADATA_DETECTORS, Monitor } from '@atlasguard/monitor';

const n = Number(process.argv[2] ?? 300000);
const only = process.argv[3];
const file = process.argv[4];
if (file === undefined) {
  console.error('usage: profile.ts N DETECTORS FILE (see the header of this script)');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const lines: string[] = [];
let start = 0;
while (lines.length < n) {
  const e = text.indexOf('\n', start);
  if (e < 0) break;
  lines.push(text.slice(start, e));
  start = e + 1;
}
const gc = (globalThis as { gc?: () => void }).gc;
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const config = defaultConfig();
const detectors = (): ReturnType<typeof buildDetectors> =>
  buildDetectors(
    config,
    undefined,
    only === 'none' ? [] : only !== undefined && only !== '' ? only.split(',') : [...METADATA_DETECTORS],
  );

/** One monitor over `count` lines: CPU-time rate and retained bytes (heap + array buffers) per principal. */
function measure(count: number): {
  rate: number;
  alerts: number;
  principals: number;
  bytes: number;
  estimate: number;
} {
  gc?.();
  const mem0 = process.memoryUsage();
  const m = new Monitor(config, detectors());
  const t0 = cpu();
  for (let i = 0; i < count; i++) m.processLine(lines[i] ?? '', i + 1);
  const rate = count / (cpu() - t0);
  gc?.();
  const mem1 = process.memoryUsage();
  const stats = m.stats();
  const bytes = mem1.heapUsed + mem1.arrayBuffers - (mem0.heapUsed + mem0.arrayBuffers);
  return {
    rate,
    alerts: stats.alerts,
    principals: stats.principals,
    bytes: gc ? Math.round(bytes / stats.principals) : NaN,
    estimate: Math.round(stats.detectors.reduce((a, d) => a + d.stateBytes, 0) / stats.principals),
  };
}

function floorRate(): number {
  const t0 = cpu();
  let s = 0;
  for (const l of lines) s += Object.keys(JSON.parse(l) as object).length;
  if (s < 0) console.log(s);
  return lines.length / (cpu() - t0);
}

measure(Math.min(lines.length, 30_000)); // warm-up: compiled code is not state
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  const floor = floorRate();
  const r = measure(lines.length);
  console.log(
    `floor ${String(Math.round(floor))} monitor ${String(Math.round(r.rate))} ratio ${(r.rate / floor).toFixed(3)} alerts ${String(r.alerts)} principals ${String(r.principals)} retained/principal ${String(r.bytes)} B (detectors' estimate ${String(r.estimate)})`,
  );
}
