import { cp, mkdtemp, readFile, readdir, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.js';
import { sarifSchemaPath } from '../../../test/shared-paths.js';
import { FIXTURES } from './test-support/paths.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), '__golden__');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  // A private copy with fixed times, so that reports (paths, data age, digests) are byte-stable.
  dir = await mkdtemp(join(tmpdir(), 'ag-cli-deps-'));
  await cp(join(FIXTURES, 'pairs'), join(dir, 'pairs'), { recursive: true });
  await cp(join(FIXTURES, 'cases'), join(dir, 'cases'), { recursive: true });
  await cp(join(FIXTURES, 'osv'), join(dir, 'osv'), { recursive: true });
  const t = new Date('2025-05-01T00:00:00Z');
  for (const name of await readdir(join(dir, 'osv'))) await utimes(join(dir, 'osv', name), t, t);
  env = {
    ...process.env,
    ATLASGUARD_NOW: '2025-05-02T00:00:00Z',
    ATLASGUARD_CACHE_DIR: join(dir, 'cache'),
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function golden(name: string, actual: string): Promise<void> {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    await mkdir(goldenDir, { recursive: true });
    await writeFile(path, actual);
  }
  expect(actual).toBe(await readFile(path, 'utf8'));
}

const diffArgs = [
  'scan',
  'deps',
  'pairs/requirements/new/requirements.txt',
  '--previous',
  'pairs/requirements/old/requirements.txt',
  '--osv',
  'osv',
];
const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  runCli(args, { cwd: dir, env: { ...env, ...extraEnv } });

describe('atlasguard scan deps (CLI)', () => {
  it('text report, exit 1 on findings at or above the default --fail-on medium', async () => {
    const r = await run(diffArgs);
    expect(r.code).toBe(1);
    await golden('requirements-diff.txt', r.stdout);
  });

  it('json report', async () => {
    const r = await run([...diffArgs, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { atlasVersion: string; mode: string; summary: { verdict: string } };
    expect(doc).toMatchObject({ atlasVersion: '5.6.0', mode: 'diff', summary: { verdict: 'findings' } });
    await golden('requirements-diff.json', r.stdout);
  });

  it('SARIF 2.1.0 validates against the OASIS schema', async () => {
    const r = await run([...diffArgs, '--format', 'sarif']);
    await golden('requirements-diff.sarif', r.stdout);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // The OASIS schema is draft-04 with an `id`; Ajv 8 reads it as a plain schema under its `$id`.
    const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('CycloneDX 1.6 SBOM validates against the schema bundled with @cyclonedx/cyclonedx-library', async () => {
    for (const [name, args] of [
      ['requirements-diff.cdx.json', diffArgs],
      ['npm.cdx.json', ['scan', 'deps', 'pairs/npm/new/package-lock.json', '--osv', 'osv']],
    ] as const) {
      const r = await run([...args, '--format', 'cyclonedx']);
      await golden(name, r.stdout);
      const require = createRequire(import.meta.url);
      const lib = dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json'));
      const load = (file: string, id: string): Record<string, unknown> => {
        const s = JSON.parse(readFileSync(join(lib, 'res', 'schema', file), 'utf8')) as Record<
          string,
          unknown
        >;
        s.$id = id;
        delete s.$schema;
        return s;
      };
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(
        load('spdx.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json'),
      );
      ajv.addSchema(
        load('jsf-0.82.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json'),
      );
      ajv.addSchema(
        load(
          'cryptography-defs.SNAPSHOT.schema.json',
          'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json',
        ),
      );
      const validate = ajv.compile(
        load('bom-1.6.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/bom-1.6.schema.json'),
      );
      const bom = JSON.parse(r.stdout) as { components: Array<{ purl: string; hashes?: unknown[] }> };
      expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(bom.components.length).toBeGreaterThan(3);
    }
  });

  it('Markdown summary for a pull-request comment', async () => {
    const r = await run([...diffArgs, '--format', 'md']);
    await golden('requirements-diff.md', r.stdout);
    const t = await run([
      'scan',
      'deps',
      'cases/typosquat/new/requirements.txt',
      '--previous',
      'cases/typosquat/old/requirements.txt',
      '--osv',
      'osv',
      '--format',
      'md',
    ]);
    await golden('typosquat-diff.md', t.stdout);
    expect(t.stdout).toContain('### AtlasGuard dependency check: FAIL');
  });

  it('torchtriton audit (text)', async () => {
    const r = await run(['scan', 'deps', 'cases/torchtriton/requirements.txt', '--osv', 'osv']);
    expect(r.code).toBe(1);
    await golden('torchtriton.txt', r.stdout);
  });

  it('--python/--platform evaluate markers: excluded requirements are listed, not checked (text golden)', async () => {
    const args = ['scan', 'deps', 'cases/markers/requirements.txt', '--osv', 'osv'];
    // Without a target the Linux/macOS-only transformers pin and its advisory count (exit 1); on Windows it
    // is not installed, and nothing at or above medium remains (exit 0).
    expect((await run(args)).code).toBe(1);
    const r = await run([...args, '--python', '3.11', '--platform', 'windows', '--machine', 'AMD64']);
    expect(r.code).toBe(0);
    await golden('markers-windows.txt', r.stdout);
    expect(r.stdout).toMatch(
      /Not installed on the target \(markers false\): uvloop, tomli, transformers, jax, sentencepiece/,
    );
    const json = JSON.parse(
      (
        await run([
          ...args,
          '--python',
          '3.11',
          '--platform',
          'linux',
          '--extra',
          'tokenizers',
          '--format',
          'json',
        ])
      ).stdout,
    ) as { excluded: Array<{ name: string }>; undecidedMarkers: Array<{ name: string }> };
    expect(json.excluded.map((e) => e.name).sort()).toEqual(['pywin32', 'tomli']);
    expect(json.undecidedMarkers.map((e) => e.name)).toEqual(['jax']);
    const bad = await run([...args, '--platform', 'solaris']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/--platform "solaris" is not known/);
  });

  it('--fail-on decides exit 1 vs 0; a clean set exits 0', async () => {
    expect((await run([...diffArgs, '--fail-on', 'critical'])).code).toBe(0);
    expect((await run([...diffArgs, '--fail-on', 'high'])).code).toBe(1);
    expect((await run([...diffArgs, '--fail-on', 'none'])).code).toBe(0);
    expect((await run(['scan', 'deps', 'cases/hash-change/old/requirements.txt', '--osv', 'osv'])).code).toBe(
      0,
    );
  });

  it('--out writes the report atomically', async () => {
    const r = await run([...diffArgs, '--format', 'json', '--out', 'out/report.json']);
    expect(r.stdout).toBe('');
    expect(JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'))).toMatchObject({
      mode: 'diff',
    });
  });

  it('stale OSV data: exit 2, inconclusive, never clean', async () => {
    const r = await run([
      'scan',
      'deps',
      'cases/hash-change/old/requirements.txt',
      '--osv',
      'osv',
      '--max-age',
      '12h',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('verdict: inconclusive');
    expect(r.stderr).toContain('atlasguard osv sync');
    const sarif = await run([...diffArgs, '--max-age', '12h', '--format', 'sarif']);
    expect(sarif.code).toBe(2);
    const log = JSON.parse(sarif.stdout) as {
      runs: Array<{ invocations: Array<{ executionSuccessful: boolean }> }>;
    };
    expect(log.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
    const json = await run([...diffArgs, '--max-age', '12h', '--format', 'json', '--fail-on', 'none']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      summary: { verdict: 'inconclusive' },
      osv: { stale: true },
    });
  });

  it('no OSV data at all: exit 2 and says how to get it', async () => {
    const r = await run(['scan', 'deps', 'cases/hash-change/old/requirements.txt'], {
      ATLASGUARD_CACHE_DIR: join(dir, 'empty-cache'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no OSV data/);
    expect(r.stderr).toMatch(/hint: run `atlasguard osv sync`/);
  });

  it('bad input: one message with file:line and a hint, exit 2, no stack trace', async () => {
    const r = await run(['scan', 'deps', 'cases/errors/bad-requirement.txt', '--osv', 'osv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^atlasguard: cases\/errors\/bad-requirement\.txt:2: /m);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('usage errors exit 4; a missing lockfile is nothing to scan (3)', async () => {
    expect((await run([...diffArgs, '--format', 'xml'])).code).toBe(4);
    expect((await run([...diffArgs, '--max-age', 'soon'])).code).toBe(4);
    expect((await run(['scan', 'deps', 'nope/requirements.txt', '--osv', 'osv'])).code).toBe(3);
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '# nothing pinned yet\n');
    expect((await run(['scan', 'deps', 'empty.txt', '--osv', 'osv'])).code).toBe(3);
  });
});
