#!/usr/bin/env node
// Benchmark of the knowledge base's start-up: `atlasguard kb info` as a whole process, warm (parsed catalog
// cached) and cold (YAML parsed), against the floor of starting Node itself; plus the in-process cold parse.
// Cases run interleaved, round after round, so that drift in machine load hits them alike; read ratios
// rather than absolute times. Needs the build (`npm run build`). Usage:
//   node bench/kb/run.mjs [--rounds N] [--atlas PATH]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const rounds = Number(option('--rounds', '15'));
const atlas = resolve(option('--atlas', resolve(root, '..', 'shared', 'atlas', 'ATLAS-5.6.0.yaml')));
const bin = join(root, 'packages', 'cli', 'bin', 'atlasguard.js');
for (const needed of [join(root, 'packages', 'cli', 'dist', 'main.js'), atlas]) {
  if (!existsSync(needed)) {
    console.error(`missing ${needed}: run \`npm run build\` and check --atlas`);
    process.exit(2);
  }
}

const cache = mkdtempSync(join(tmpdir(), 'atlasguard-bench-'));
const env = {
  ...process.env,
  ATLAS_DATA: atlas,
  ATLASGUARD_CACHE_DIR: cache,
  ATLASGUARD_OFFLINE: '1',
  NO_COLOR: '1',
};
const clearCache = () => rmSync(join(cache, 'catalogs'), { recursive: true, force: true });

function time(argv, before) {
  before?.();
  const start = performance.now();
  const result = spawnSync(process.execPath, argv, { env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const cases = [
  { name: "node -e '' (floor: Node start-up)", argv: ['-e', ''] },
  { name: 'atlasguard --version (CLI start-up)', argv: [bin, '--version'] },
  { name: 'atlasguard kb info, warm', argv: [bin, 'kb', 'info'] },
  { name: 'atlasguard kb info --json, warm', argv: [bin, 'kb', 'info', '--json'] },
  { name: 'atlasguard kb show AML.T0051, warm', argv: [bin, 'kb', 'show', 'AML.T0051'] },
  { name: 'atlasguard kb search poisoning, warm', argv: [bin, 'kb', 'search', 'poisoning'] },
  { name: 'atlasguard kb info, cold (parse + cache write)', argv: [bin, 'kb', 'info'], before: clearCache },
];

time([bin, 'kb', 'info']); // prime the parsed-catalog cache
const samples = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const c of cases) {
    samples.get(c.name).push(time(c.argv, c.before));
    // The cold case empties the cache: prime it again for the warm ones.
    if (c.before) time([bin, 'kb', 'info']);
  }
}

// In-process: parsing the YAML into a catalog (the cold work) vs reading the cached JSON (the warm work).
const core = await import(pathToFileURL(join(root, 'packages', 'core', 'dist', 'index.js')).href);
const io = await import(pathToFileURL(join(root, 'packages', 'io', 'dist', 'index.js')).href);
const text = readFileSync(atlas, 'utf8');
const digest = io.sha256Hex(readFileSync(atlas));
const parseMs = [];
const cacheMs = [];
for (let round = 0; round < rounds; round++) {
  let start = performance.now();
  core.parseAtlasYaml(text, atlas);
  parseMs.push(performance.now() - start);
  start = performance.now();
  const data = await io.readCachedCatalog(cache, digest);
  new core.Catalog(data);
  cacheMs.push(performance.now() - start);
}
rmSync(cache, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs) => Math.min(...xs);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const floor = median(samples.get(cases[0].name));
const warm = median(samples.get(cases[2].name));

console.log(
  `ATLAS ${JSON.parse(JSON.stringify(core.parseAtlasYaml(text).version))} (${(text.length / 1024).toFixed(0)} KiB), ${rounds} rounds`,
);
console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('');
console.log('| case | median | min | median / floor | median / warm kb info |');
console.log('|---|---:|---:|---:|---:|');
for (const c of cases) {
  const xs = samples.get(c.name);
  console.log(
    `| ${c.name} | ${fmt(median(xs))} | ${fmt(min(xs))} | ${(median(xs) / floor).toFixed(2)}× | ${(median(xs) / warm).toFixed(2)}× |`,
  );
}
console.log('');
console.log('| in-process work | median | min |');
console.log('|---|---:|---:|');
console.log(`| parse ATLAS.yaml into a catalog (cold) | ${fmt(median(parseMs))} | ${fmt(min(parseMs))} |`);
console.log(`| read the cached catalog JSON (warm) | ${fmt(median(cacheMs))} | ${fmt(min(cacheMs))} |`);
console.log('');
console.log(
  `warm kb info costs ${fmt(warm - floor)} over bare Node start-up; the cold parse alone costs ${(median(parseMs) / median(cacheMs)).toFixed(0)}× the cached read.`,
);
