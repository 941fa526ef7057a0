// Same-run before/after of the scan-data library, called from source. Usage (from the repository root):
//   git archive <old-commit> packages/scan-data/src | tar -x -C /tmp/old && ln -s $PWD/node_modules /tmp/old/node_modules
//   node --conditions=@atlasguard/source --import tsx bench/scan-data/library-ab.mts DIR text|tabular SRC_INDEX_TS
// DIR holds the files of generate.mjs; the baseline is profiled with the current code, then the batch is
// scanned with the library at SRC_INDEX_TS. Run it under /usr/bin/time for CPU seconds and peak RSS.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [dir = '/tmp/ag-bench-scan-data', kind = 'text', src = 'packages/scan-data/src/index.ts'] =
  process.argv.slice(2);
type Lib = typeof import('../../packages/scan-data/src/index.js');
const current = (await import(resolve('packages/scan-data/src/index.ts'))) as Lib;
const lib = (await import(resolve(src))) as Lib;
const tool = { name: 'atlasguard-bench', version: '0' };
const now = (): Date => new Date('2026-01-01T00:00:00Z');
const roles =
  kind === 'text'
    ? { id: 'id', label: 'label', text: 'text', features: [] }
    : { id: 'id', label: 'label', features: [] };
const base = join(dir, kind === 'text' ? 'text-base.jsonl' : 'tab-base.csv');
const batch = join(dir, kind === 'text' ? 'text-batch.jsonl' : 'tab-batch.csv');
const profile = join(dir, `${kind}-ab-profile.json`);
if (!existsSync(profile)) {
  const p = await current.buildProfile(await current.openDataset(base), {
    roles,
    seed: 20_240_601,
    tool,
    now,
  });
  writeFileSync(profile, JSON.stringify(p));
}
const started = performance.now();
const { report } = await lib.scanData({
  batchPath: batch,
  baselinePath: profile,
  roles,
  failOn: 'medium',
  tool,
  now,
});
console.log(
  JSON.stringify({
    src,
    kind,
    rows: report.batch.rows,
    verdict: report.verdict,
    findings: report.findings.length,
    scanMs: Math.round(performance.now() - started),
  }),
);
