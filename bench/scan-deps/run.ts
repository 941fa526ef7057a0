// scan-deps benchmark: `atlasguard scan deps NEW --previous OLD --osv all.zip` as a whole process, cold
// (index built from the zip) and warm (cached index), against floors measured in the same run.
// Run: npm run build, then `npx tsx bench/scan-deps/run.ts`.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generate, OUT } from './generate.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'atlasguard.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function time(args: string[], okCodes: number[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(r.status ?? -1))
    throw new Error(`exit ${String(r.status)}: ${r.stderr.slice(0, 500)}`);
  return ms;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const { oldLock, newLock, zip } = await generate();
const cache = join(OUT, 'cache');
rmSync(cache, { recursive: true, force: true });
const scan = [
  'scan',
  'deps',
  newLock,
  '--previous',
  oldLock,
  '--osv',
  zip,
  '--cache-dir',
  cache,
  '--max-age',
  '100000d',
  '--format',
  'json',
  '--fail-on',
  'none',
];

const nodeStartup = median(Array.from({ length: RUNS }, () => time(['-e', ''], [0])));
const cold = time([BIN, ...scan, '--no-index-cache'], [0]);
time([BIN, ...scan], [0]); // fills the index cache
const warm = median(Array.from({ length: RUNS }, () => time([BIN, ...scan], [0])));
const indexFile = join(cache, 'osv-index', readdirSync(join(cache, 'osv-index'))[0] ?? '');
const floorZip = median(
  Array.from({ length: RUNS }, () =>
    time([join(import.meta.dirname, 'floor.mjs'), oldLock, newLock, zip, 'zip'], [0]),
  ),
);
const floorWarm = median(
  Array.from({ length: RUNS }, () =>
    time([join(import.meta.dirname, 'floor.mjs'), oldLock, newLock, indexFile, 'index'], [0]),
  ),
);

const result = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  runs: RUNS,
  ms: { nodeStartup, cold, warm, floorZip, floorWarm },
  ratios: {
    coldVsZipFloor: cold / floorZip,
    warmVsWarmFloor: warm / floorWarm,
    warmVsZipFloor: warm / floorZip,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
