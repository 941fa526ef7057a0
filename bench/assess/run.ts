/**
 * Assessment benchmark (issue 3): a generated 1,000-asset system model through validate + assess + every
 * output format, against the floor of a plain YAML parse of the same file, in the same run.
 *
 *   npx tsx --conditions=@atlasguard/source bench/assess/run.ts [--assets 1000] [--runs 5] [--out bench/out/assess.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  assess,
  Catalog,
  checkSystemModel,
  parseAtlasYaml,
  parseSystemModelText,
  QUESTIONS,
  writeCsv,
  writeHtml,
  writeJson,
  writeMarkdown,
  writeNavigator,
  writeSarifAssessment,
  type AssessmentWriter,
} from '@atlasguard/core';
import { generateModel } from './generate.js';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
const assets = Number(values.assets);
const runs = Number(values.runs);
const atlasPath =
  process.env.ATLAS_DATA ??
  resolve(import.meta.dirname, '..', '..', '..', 'shared', 'atlas', 'ATLAS-5.6.0.yaml');
const catalog = new Catalog(parseAtlasYaml(readFileSync(atlasPath, 'utf8'), atlasPath));
const text = generateModel(assets);
const WRITERS: Record<string, AssessmentWriter> = {
  json: writeJson,
  md: writeMarkdown,
  html: writeHtml,
  navigator: writeNavigator,
  csv: writeCsv,
  sarif: writeSarifAssessment,
};
const questionIds = new Set(QUESTIONS.map((q) => q.id));

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Sample {
  /** CPU time (user + system) of the whole pipeline: robust to other processes on a shared machine. */
  cpu: number;
  floorCpu: number;
  floor: number;
  parse: number;
  check: number;
  assess: number;
  writers: Record<string, number>;
  total: number;
}

const cpuMs = (c: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

function once(): Sample {
  let t0 = process.hrtime.bigint();
  let c0 = process.cpuUsage();
  const plain = parseYaml(text) as unknown;
  const floor = ms(t0);
  const floorCpu = cpuMs(c0);
  if (plain === null) throw new Error('empty');

  const start = process.hrtime.bigint();
  c0 = process.cpuUsage();
  t0 = process.hrtime.bigint();
  const parsed = parseSystemModelText(text, 'bench.yaml');
  const parse = ms(t0);
  if (!parsed.ok) throw new Error(`generated model is invalid: ${parsed.issues[0]?.message ?? ''}`);
  t0 = process.hrtime.bigint();
  const check = checkSystemModel(parsed.value.model, parsed.value.positions, catalog, { questionIds });
  const checkMs = ms(t0);
  if (check.errors.length > 0)
    throw new Error(`generated model has errors: ${check.errors[0]?.message ?? ''}`);
  t0 = process.hrtime.bigint();
  const assessment = assess(parsed.value.model, catalog, {
    source: 'bench.yaml',
    assessedOn: '2026-11-25',
    toolVersion: 'bench',
  });
  const assessMs = ms(t0);
  const writers: Record<string, number> = {};
  for (const [name, writer] of Object.entries(WRITERS)) {
    t0 = process.hrtime.bigint();
    const out = writer(assessment, catalog);
    writers[name] = ms(t0);
    if (out.length === 0) throw new Error(`${name} wrote nothing`);
  }
  const total = ms(start);
  return { cpu: cpuMs(c0), floorCpu, floor, parse, check: checkMs, assess: assessMs, writers, total };
}

once(); // warm-up: JIT and lazy module state
const samples: Sample[] = [];
for (let i = 0; i < runs; i++) samples.push(once());
const result = {
  benchmark: 'assess',
  assets,
  modelBytes: Buffer.byteLength(text),
  runs,
  machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  medianMs: {
    floorYamlParse: median(samples.map((s) => s.floor)),
    parseAndValidate: median(samples.map((s) => s.parse)),
    checkReferences: median(samples.map((s) => s.check)),
    assess: median(samples.map((s) => s.assess)),
    ...Object.fromEntries(
      Object.keys(WRITERS).map((w) => [`write:${w}`, median(samples.map((s) => s.writers[w] ?? 0))]),
    ),
    total: median(samples.map((s) => s.total)),
  },
  medianCpuMs: {
    floorYamlParse: median(samples.map((s) => s.floorCpu)),
    total: median(samples.map((s) => s.cpu)),
  },
  loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
};
const ratio = result.medianCpuMs.total / result.medianCpuMs.floorYamlParse;
console.log(JSON.stringify({ ...result, cpuRatioToFloor: Math.round(ratio * 10) / 10 }, null, 2));
if (values.out !== undefined) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({ ...result, cpuRatioToFloor: ratio }, null, 2)}\n`);
}
