import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/run-cli.js';
import { sarifSchemaPath } from '../../../../test/shared-paths.js';
import { scanPaths } from '../scan/scan-paths.js';
import { safetensors } from '../test-support/format-builders.js';
import { callP4 } from '../test-support/pickle-builder.js';
import { makeZip, utf8 } from '../test-support/zip-builder.js';
import { buildReport } from './build-report.js';
import { renderCycloneDx } from './cyclonedx-report.js';
import { renderSarif } from './sarif-report.js';
import { renderText } from './text-report.js';

const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, '__golden__');
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-scan-model-'));
  mkdirSync(join(dir, 'models'));
  writeFileSync(
    join(dir, 'models', 'model.pt'),
    makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system', 'echo pwned') }]),
  );
  writeFileSync(
    join(dir, 'models', 'weights.safetensors'),
    safetensors({ w: { dtype: 'F32', shape: [2], offsets: [0, 8] } }, 8),
  );
  writeFileSync(
    join(dir, 'models', 'archive.7z'),
    Uint8Array.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]),
  );
  writeFileSync(
    join(dir, 'clean.safetensors'),
    safetensors({ w: { dtype: 'U8', shape: [4], offsets: [0, 4] } }, 4),
  );
  writeFileSync(join(dir, 'README.md'), utf8('# model\n'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function golden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

async function fixtureReport(): Promise<ReturnType<typeof buildReport>> {
  const result = await scanPaths({ paths: ['models'], cwd: dir });
  return buildReport(result.files, {
    version: '0.1.0',
    atlasVersion: '5.6.0',
    profiles: ['builtins', 'torch', 'numpy'],
  });
}

describe('scan model output formats', () => {
  it('text (golden)', async () => {
    golden('report.txt', renderText(await fixtureReport()));
  });

  it('json (golden) with the DESIGN.md shape', async () => {
    const report = await fixtureReport();
    const json = `${JSON.stringify(report, null, 2)}\n`;
    golden('report.json', json);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['tool', 'atlasVersion', 'files', 'summary']));
    expect(report.files.map((f) => [f.path, f.verdict])).toEqual([
      ['models/archive.7z', 'inconclusive'],
      ['models/model.pt', 'malicious'],
      ['models/weights.safetensors', 'clean'],
    ]);
  });

  it('SARIF 2.1.0 (golden) validates against the OASIS schema', async () => {
    const sarif = renderSarif(await fixtureReport());
    golden('report.sarif.json', `${JSON.stringify(sarif, null, 2)}\n`);
    const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
  });

  it('CycloneDX 1.6 (golden) validates against the schema bundled with @cyclonedx/cyclonedx-library', async () => {
    const bom = renderCycloneDx(await fixtureReport(), new Date('2026-01-01T00:00:00Z'));
    golden('report.cdx.json', `${JSON.stringify(bom, null, 2)}\n`);
    const require = createRequire(import.meta.url);
    const lib = dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json'));
    const load = (name: string, id: string): Record<string, unknown> => {
      const s = JSON.parse(readFileSync(join(lib, 'res', 'schema', name), 'utf8')) as Record<string, unknown>;
      s.$id = id;
      delete s.$schema;
      return s;
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(load('spdx.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json'));
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
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

describe('atlasguard scan model (CLI)', () => {
  it('exit 1 on findings at or above --fail-on, text on stdout', async () => {
    const r = await runCli(['scan', 'model', 'models/model.pt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("os.system('echo pwned')");
    expect(r.stdout).toContain('models/model.pt!archive/data.pkl@0xe');
  });

  it('exit 0 on clean files; a directory is walked whatever the extensions', async () => {
    const r = await runCli(['scan', 'model', 'clean.safetensors', 'README.md', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { files: Array<{ verdict: string }>; summary: { files: number } };
    expect(json.summary.files).toBe(2);
    expect(json.files.every((f) => f.verdict === 'clean')).toBe(true);
  });

  it('exit 2 when a file is inconclusive and nothing reaches --fail-on', async () => {
    const r = await runCli(['scan', 'model', 'models/archive.7z'], { cwd: dir });
    expect(r.code).toBe(2);
  });

  it('--fail-on none still fails closed on inconclusive files; --fail-on critical passes medium', async () => {
    expect((await runCli(['scan', 'model', 'models', '--fail-on', 'none'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['scan', 'model', 'models/model.pt', '--fail-on', 'none'], { cwd: dir })).code).toBe(
      0,
    );
  });

  it('exit 3 when there is nothing to scan', async () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = await runCli(['scan', 'model', 'empty'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing to scan');
  });

  it('exit 4 on usage errors', async () => {
    expect((await runCli(['scan', 'model', 'models', '--format', 'xml'], { cwd: dir })).code).toBe(4);
    expect((await runCli(['scan', 'model', 'models', '--profile', 'nope'], { cwd: dir })).code).toBe(4);
  });

  it('exit 2 with a message and hint for a missing path', async () => {
    const r = await runCli(['scan', 'model', 'missing.pt'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read missing\.pt[\s\S]*hint:/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('--out writes atomically; sarif and cyclonedx formats', async () => {
    const r = await runCli(['scan', 'model', 'models', '--format', 'sarif', '--out', 'out/report.sarif'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(join(dir, 'out', 'report.sarif'), 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');
    const cdx = await runCli(['scan', 'model', 'clean.safetensors', '--format', 'cyclonedx'], { cwd: dir });
    expect(cdx.code).toBe(0);
    expect((JSON.parse(cdx.stdout) as { specVersion: string }).specVersion).toBe('1.6');
  });

  it('a user allow-list entry scoped to the file sha256 makes an unlisted global clean', async () => {
    const bytes = callP4('mypkg.models', 'Net');
    writeFileSync(join(dir, 'custom.pkl'), bytes);
    const before = await runCli(['scan', 'model', 'custom.pkl', '--format', 'json'], { cwd: dir });
    expect(before.code).toBe(1);
    const sha = (JSON.parse(before.stdout) as { files: Array<{ sha256: string }> }).files[0]?.sha256 ?? '';
    writeFileSync(
      join(dir, 'allow.json'),
      JSON.stringify({
        version: 1,
        entries: [{ global: 'mypkg.models.Net', sha256: [sha], reason: 'our own model class' }],
      }),
    );
    const after = await runCli(['scan', 'model', 'custom.pkl', '--allow-list', 'allow.json'], { cwd: dir });
    expect(after.code).toBe(0);
    writeFileSync(join(dir, 'other.pkl'), callP4('mypkg.models', 'Net', 'different bytes'));
    expect(
      (await runCli(['scan', 'model', 'other.pkl', '--allow-list', 'allow.json'], { cwd: dir })).code,
    ).toBe(1);
    writeFileSync(join(dir, 'bad-allow.json'), '{"version": 1, "entries": [{"global": "x"}]}');
    const bad = await runCli(['scan', 'model', 'custom.pkl', '--allow-list', 'bad-allow.json'], { cwd: dir });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('bad-allow.json');
  });
});
