/**
 * Output check for performance work on the monitor (not a benchmark): runs the six metadata detectors over a
 * JSONL file and writes every alert (one JSON line each, in order) and the final checkpoint snapshot (JSON),
 * printing their SHA-256. Run it before and after a change on the same file and compare with `cmp`.
 *
 *   npx tsx --conditions=@atlasguard/source bench/monitor/verify.ts FILE OUTDIR
 *   (FILE: e.g. events-metadata.jsonl kept by `run.ts --keep DIR`; writes OUTDIR/alerts.jsonl and
 *   OUTDIR/snapshot.json)
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDetectors, defaultConfig, METADATA_DETECTORS, Monitor } from '@atlasguard/monitor';

const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) {
  console.error('usage: verify.ts FILE OUTDIR (see the header of this script)');
  process.exit(2);
}
const config = defaultConfig();
const alerts: string[] = [];
const monitor = new Monitor(config, buildDetectors(config, undefined, [...METADATA_DETECTORS]), (a) => {
  alerts.push(JSON.stringify(a));
});
const text = readFileSync(file, 'utf8');
let start = 0;
let line = 0;
while (start < text.length) {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  monitor.processLine(text.slice(start, end), ++line);
  start = end + 1;
}
mkdirSync(out, { recursive: true });
const alertText = alerts.map((a) => `${a}\n`).join('');
const snapshot = JSON.stringify(monitor.snapshot());
writeFileSync(join(out, 'alerts.jsonl'), alertText);
writeFileSync(join(out, 'snapshot.json'), snapshot);
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
console.log(
  JSON.stringify({
    lines: line,
    alerts: alerts.length,
    alertsSha256: sha(alertText),
    snapshotSha256: sha(snapshot),
    stats: monitor.stats().detectors.map((d) => `${d.id}:${String(d.evaluated)}/${String(d.alerts)}`),
  }),
);
