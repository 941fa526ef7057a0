// Benchmark of `atlasguard scan data` against plain parsing of the same file (the floor), as whole processes.
// Usage: node bench/scan-data/run.mjs [DIR] [SCALE]   (build first: npx tsc -b tsconfig.build.json)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dir = process.argv[2] ?? '/tmp/ag-bench-scan-data';
const scale = process.argv[3] ?? '1';
const cli = join(root, 'packages', 'cli', 'bin', 'atlasguard.js');
if (!existsSync(join(dir, 'text-batch.jsonl')))
  execFileSync(process.execPath, [join(here, 'generate.mjs'), dir, scale], { stdio: 'inherit' });

/**
 * Runs a command under GNU time; returns wall seconds, CPU seconds (user + system) and peak RSS in MiB.
 * On a shared, loaded machine the CPU seconds are the steadier number: wall time includes waiting for a core.
 */
function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [sec, kb, user, sys] = last.split(' ').map(Number);
  return {
    code: r.status,
    seconds: sec,
    cpuSeconds: Math.round(((user ?? 0) + (sys ?? 0)) * 100) / 100,
    rssMiB: Math.round((kb ?? 0) / 1024),
    stderr: r.stderr,
  };
}

const env = { ...process.env };
const cases = [
  {
    name: 'tabular',
    base: 'tab-base.csv',
    batch: 'tab-batch.csv',
    roles: ['--id-field', 'id', '--label-field', 'label'],
  },
  {
    name: 'text',
    base: 'text-base.jsonl',
    batch: 'text-batch.jsonl',
    roles: ['--id-field', 'id', '--label-field', 'label', '--text-field', 'text'],
  },
];
const results = [];
for (const c of cases) {
  const batch = join(dir, c.batch);
  const profilePath = join(dir, `${c.name}-profile.json`);
  const profile = measure([
    cli,
    'data',
    'profile',
    join(dir, c.base),
    ...c.roles,
    '--out',
    profilePath,
    '-q',
  ]);
  const floor = measure([join(here, 'floor.mjs'), batch]);
  const scan = measure([
    cli,
    '-q',
    'scan',
    'data',
    batch,
    '--baseline',
    profilePath,
    ...c.roles,
    '--format',
    'json',
    '--out',
    join(dir, `${c.name}-report.json`),
  ]);
  const report = JSON.parse(readFileSync(join(dir, `${c.name}-report.json`), 'utf8'));
  results.push({
    case: c.name,
    batchRows: report.batch.rows,
    batchMiB: Math.round(statSync(batch).size / 1048576),
    profileSeconds: profile.seconds,
    profileCpuSeconds: profile.cpuSeconds,
    profileMiB: Math.round((statSync(profilePath).size / 1048576) * 10) / 10,
    floorSeconds: floor.seconds,
    floorCpuSeconds: floor.cpuSeconds,
    floorRssMiB: floor.rssMiB,
    scanSeconds: scan.seconds,
    scanCpuSeconds: scan.cpuSeconds,
    scanRssMiB: scan.rssMiB,
    scanExit: scan.code,
    verdict: report.verdict,
    timeRatio: Math.round((scan.seconds / floor.seconds) * 10) / 10,
    cpuRatio: Math.round((scan.cpuSeconds / floor.cpuSeconds) * 10) / 10,
    rssRatio: Math.round((scan.rssMiB / floor.rssMiB) * 10) / 10,
  });
  if (scan.code !== 0 && scan.code !== 1) console.error(scan.stderr);
}
console.log(
  JSON.stringify({ node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, results }, null, 2),
);
void env;
