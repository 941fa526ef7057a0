import { readFileSync } from 'node:fs';
import { buildDetectors, defaultConfig, METADATA_DETECTORS, Monitor } from '@atlasguard/monitor';
const n = Number(process.argv[2] ?? 300000);
const only = process.argv[3];
const text = readFileSync(process.argv[4] ?? '/tmp/agmon/data/events-metadata.jsonl', 'utf8');
const lines: string[] = [];
let start = 0;
while (lines.length < n) {
  const e = text.indexOf('\n', start);
  if (e < 0) break;
  lines.push(text.slice(start, e));
  start = e + 1;
}
const config = defaultConfig();
for (let round = 0; round < 2; round++) {
  let t0 = performance.now();
  let s = 0;
  for (const l of lines) s += Object.keys(JSON.parse(l) as object).length;
  const floor = lines.length / ((performance.now() - t0) / 1000);
  const m = new Monitor(
    config,
    buildDetectors(config, undefined, only ? only.split(',') : [...METADATA_DETECTORS]),
  );
  t0 = performance.now();
  for (let i = 0; i < lines.length; i++) m.processLine(lines[i]!, i + 1);
  const rate = lines.length / ((performance.now() - t0) / 1000);
  console.log(
    `floor ${Math.round(floor)} monitor ${Math.round(rate)} ratio ${(rate / floor).toFixed(3)} alerts ${m.stats().alerts} ${s > 0 ? '' : '-'}`,
  );
}
