#!/usr/bin/env node
// Same-run A/B of two builds of @atlasguard/scan-deps on the benchmark inputs: alternating whole processes
// (warm index cache each), median and minimum per build, and whether their JSON reports are identical.
// Usage: node bench/scan-deps/compare.mjs BASE_DIST [NEW_DIST] [RUNS]
//   BASE_DIST: a dist directory built from an older commit, e.g.
//     git archive OLD packages/scan-deps tsconfig.base.json | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/
//     (cd /tmp/base/packages/scan-deps && npx tsc -p tsconfig.build.json --outDir /tmp/base/dist)
// Inputs come from `npx tsx bench/scan-deps/run.ts` (bench/out/scan-deps).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const out = join(root, 'bench', 'out', 'scan-deps');
const [baseDist, newDist = join(root, 'packages', 'scan-deps', 'dist'), runsText = '7'] =
  process.argv.slice(2);
if (baseDist === undefined) {
  process.stderr.write('usage: node bench/scan-deps/compare.mjs BASE_DIST [NEW_DIST] [RUNS]\n');
  process.exit(4);
}
const work = mkdtempSync(join(tmpdir(), 'ag-deps-compare-'));
const one = join(work, 'one.mjs');
writeFileSync(
  one,
  `const [dist, cache, out] = process.argv.slice(2);
const deps = await import(dist + '/index.js');
const now = new Date('2026-11-25T00:00:00Z');
const r = await deps.scanDeps({ lockfile: out + '/new/uv.lock', previous: out + '/old/uv.lock', osvPath: out + '/osv/PyPI/all.zip', cacheDir: cache, maxAgeMs: 1e15, now, failOn: 'none', display: (p) => p });
process.stdout.write(deps.writeJson(r, { tool: { name: 'bench', version: '0' }, now }));
`,
);
const builds = { base: resolve(baseDist), new: resolve(newDist) };
const run = (name) =>
  spawnSync(process.execPath, [one, builds[name], join(work, `cache-${name}`), out], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
const digests = {};
for (const name of Object.keys(builds)) {
  const r = run(name); // also fills that build's index cache
  if (r.status !== 0) throw new Error(`${name}: ${r.stderr.slice(0, 500)}`);
  digests[name] = createHash('sha256').update(r.stdout).digest('hex').slice(0, 16);
}
const times = { base: [], new: [] };
for (let i = 0; i < Number(runsText); i++)
  for (const name of Object.keys(builds)) {
    const start = performance.now();
    run(name);
    times[name].push(performance.now() - start);
  }
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
process.stdout.write(
  `${JSON.stringify(
    {
      sameReport: digests.base === digests.new,
      digests,
      medianMs: { base: median(times.base), new: median(times.new) },
      minMs: { base: Math.min(...times.base), new: Math.min(...times.new) },
      ratio: {
        median: median(times.new) / median(times.base),
        min: Math.min(...times.new) / Math.min(...times.base),
      },
    },
    null,
    2,
  )}\n`,
);
