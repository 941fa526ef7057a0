/**
 * Server benchmark (issue 8): API latency under load from a second process on loopback — 50 concurrent
 * clients against a portfolio of 200 systems, on SQLite and on PostgreSQL, p50/p95/p99, compared with the
 * floor of a bare Hono handler returning a constant (in the same run). Bounded: every client sends a fixed
 * number of requests.
 *
 *   npx tsx --conditions=@atlasguard/source bench/server/run.ts [--clients 50] [--requests 40] [--systems 200]
 *     [--models-every 5] [--atlas-data PATH] [--pg postgres://postgres@127.0.0.1:5432/test] [--no-pg]
 *     [--out bench/out/server.json]
 *
 * Every `--models-every`-th system gets the card-fraud example model and one answered question, so the server
 * assesses it twice (trigger model, then answer): the portfolio and matrix scenarios read real runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { spawnServer, type ChildServer } from '../../packages/server/src/test-support/spawn-server.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    requests: { type: 'string', default: '40' },
    systems: { type: 'string', default: '200' },
    'models-every': { type: 'string', default: '5' },
    'atlas-data': {
      type: 'string',
      default: resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/atlas/ATLAS-5.6.0.yaml'),
    },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'no-pg': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const REQUESTS = Number(values.requests);
const SYSTEMS = Number(values.systems);
const MODELS_EVERY = Math.max(1, Number(values['models-every']));
const PASSWORD = 'benchmark password 123';

interface Stats {
  name: string;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rps: number;
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** CLIENTS concurrent loops, REQUESTS each; `make(i)` builds request i. Latency in ms. */
async function load(
  name: string,
  make: (client: number, i: number) => [string, RequestInit],
): Promise<Stats> {
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < REQUESTS; i++) {
        const [url, init] = make(client, i);
        const t0 = performance.now();
        const res = await fetch(url, init);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status >= 400) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    name,
    requests: times.length,
    errors,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    max: times[times.length - 1] ?? NaN,
    rps: times.length / elapsed,
  };
}

async function spawnFloor(): Promise<{ url: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./floor-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@atlasguard/source', '--import', 'tsx', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((res, rej) => {
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      err += c;
      const m = /listening on (\S+)/.exec(err);
      if (m?.[1] !== undefined) res(m[1]);
    });
    child.once('exit', () => {
      rej(new Error(`floor server exited: ${err}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => {
          res();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function seed(url: string): Promise<{ cookie: string; systemIds: string[]; assessed: string[] }> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.org', password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${String(login.status)}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const headers = { cookie, 'content-type': 'application/json' };
  const systemIds: string[] = [];
  const assessed: string[] = [];
  const model = readFileSync(
    resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/card-fraud-scoring/atlasguard.yaml'),
    'utf8',
  );
  for (let i = 0; i < SYSTEMS; i++) {
    const res = await fetch(`${url}/api/systems`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        slug: `system-${String(i).padStart(3, '0')}`,
        name: `System ${String(i)}`,
        owner: `team-${String(i % 7)}`,
      }),
    });
    const id = ((await res.json()) as { id: string }).id;
    systemIds.push(id);
    for (let r = 0; r < 3; r++) {
      await fetch(`${url}/api/systems/${id}/risks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: `risk ${String(r)}`,
          level: ['critical', 'high', 'medium'][r],
          techniqueId: 'AML.T0051',
        }),
      });
    }
    if (i % MODELS_EVERY === 0) {
      const up = await fetch(`${url}/api/systems/${id}/models`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ yaml: model }),
      });
      const { run } = (await up.json()) as { run: { id: string } | null };
      if (run === null) throw new Error('the server did not assess (no ATLAS data? pass --atlas-data)');
      await fetch(`${url}/api/systems/${id}/answers/Q-AML.M0014-1`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ answer: i % 2 === 0 ? 'yes' : 'partial' }),
      });
      assessed.push(id);
    }
  }
  return { cookie, systemIds, assessed };
}

async function scenarios(label: string, server: ChildServer): Promise<Stats[]> {
  const seeding = performance.now();
  const { cookie, systemIds, assessed } = await seed(server.url);
  console.error(
    `${label}: seeded ${String(systemIds.length)} systems (${String(assessed.length)} assessed twice) in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );
  const get = { headers: { cookie } };
  const post = { method: 'POST', headers: { cookie, 'content-type': 'application/json' } };
  const pick = (c: number, i: number): string => systemIds[(c * 7919 + i * 104_729) % systemIds.length] ?? '';
  const out: Stats[] = [];
  // warm-up (not measured)
  await load(`${label} warm-up`, (c, i) => [`${server.url}/api/systems/${pick(c, i)}`, get]);
  out.push(await load(`${label}: GET /healthz (DB ping, no auth)`, () => [`${server.url}/healthz`, {}]));
  out.push(
    await load(`${label}: GET /api/systems/{id}`, (c, i) => [`${server.url}/api/systems/${pick(c, i)}`, get]),
  );
  out.push(
    await load(`${label}: GET /api/systems?limit=50 (portfolio page)`, (c, i) => [
      `${server.url}/api/systems?limit=50&offset=${String(((c + i) % 4) * 50)}`,
      get,
    ]),
  );
  out.push(
    await load(`${label}: GET /api/risks?systemId= (register)`, (c, i) => [
      `${server.url}/api/risks?systemId=${pick(c, i)}`,
      get,
    ]),
  );
  out.push(
    await load(`${label}: GET /api/portfolio (${String(systemIds.length)} systems, trends, heat map)`, () => [
      `${server.url}/api/portfolio`,
      get,
    ]),
  );
  const pickAssessed = (c: number, i: number): string => assessed[(c * 31 + i) % assessed.length] ?? '';
  out.push(
    await load(`${label}: GET /api/systems/{id}/matrix (latest run)`, (c, i) => [
      `${server.url}/api/systems/${pickAssessed(c, i)}/matrix`,
      get,
    ]),
  );
  out.push(
    await load(`${label}: POST /api/systems/{id}/risks (write)`, (c, i) => [
      `${server.url}/api/systems/${pick(c, i)}/risks`,
      { ...post, body: JSON.stringify({ title: `load ${String(c)}-${String(i)}`, level: 'low' }) },
    ]),
  );
  return out;
}

const results: Stats[] = [];
const floor = await spawnFloor();
try {
  await load('floor warm-up', () => [`${floor.url}/floor`, {}]);
  results.push(await load('floor: bare Hono handler, constant JSON', () => [`${floor.url}/floor`, {}]));
} finally {
  await floor.stop();
}

const dir = mkdtempSync(join(tmpdir(), 'ag-bench-server-'));
const env = { ATLASGUARD_ADMIN_PASSWORD: PASSWORD };
try {
  const sqlite = await spawnServer(
    [
      '--atlas-data',
      values['atlas-data'],
      '--db',
      join(dir, 'bench.sqlite'),
      '--admin-email',
      'bench@example.org',
    ],
    env,
  );
  try {
    results.push(...(await scenarios('SQLite', sqlite)));
  } finally {
    await sqlite.kill('SIGTERM');
  }
  if (!values['no-pg']) {
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    const dbName = `ag_bench_${String(process.pid)}_${String(Date.now())}`;
    await admin.query(`create database ${dbName}`);
    try {
      const url = new URL(values.pg);
      url.pathname = `/${dbName}`;
      const server = await spawnServer(
        ['--atlas-data', values['atlas-data'], '--db', url.toString(), '--admin-email', 'bench@example.org'],
        env,
      );
      try {
        results.push(...(await scenarios('PostgreSQL', server)));
      } finally {
        await server.kill('SIGTERM');
      }
    } finally {
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const floorP50 = results[0]?.p50 ?? NaN;
const f = (n: number): string => n.toFixed(2);
const lines = [
  `machine: ${String(cpus().length)} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; ${String(CLIENTS)} clients × ${String(REQUESTS)} requests per scenario; ${String(SYSTEMS)} systems`,
  '',
  '| scenario | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | p50 / floor p50 |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${String(r.requests)} | ${String(r.errors)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${r.rps.toFixed(0)} | ${(r.p50 / floorP50).toFixed(1)}× |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.out !== undefined) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(
    values.out,
    `${JSON.stringify({ clients: CLIENTS, requests: REQUESTS, systems: SYSTEMS, results }, null, 2)}\n`,
  );
}
