import { describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { casePath, pairPath } from '../test-support/paths.js';
import { loadManifest } from './load-manifest.js';
import type { Manifest } from './types.js';

const PAIRS: Array<[string, string, Manifest['format']]> = [
  ['requirements', 'requirements.txt', 'requirements'],
  ['poetry', 'poetry.lock', 'poetry-lock'],
  ['uv', 'uv.lock', 'uv-lock'],
  ['pdm', 'pdm.lock', 'pdm-lock'],
  ['pipfile', 'Pipfile.lock', 'pipfile-lock'],
  ['conda', 'environment.yml', 'conda-env'],
  ['pyproject', 'pyproject.toml', 'pyproject'],
  ['cyclonedx', 'bom.cdx.json', 'cyclonedx'],
];

function versions(m: Manifest): Record<string, string | undefined> {
  return Object.fromEntries(m.packages.map((p) => [p.name, p.version]));
}

async function rejection(path: string): Promise<AtlasGuardError> {
  try {
    await loadManifest(path);
  } catch (error) {
    if (error instanceof AtlasGuardError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('loadManifest: every Python input format reads the same resolved set', () => {
  for (const [dir, file, format] of PAIRS) {
    it(`${dir}: ${file}`, async () => {
      const m = await loadManifest(pairPath(dir, 'new', file));
      expect(m.format).toBe(format);
      const expected: Record<string, string> = { torch: '2.6.0', transformers: '4.35.2', mlflow: '2.9.1' };
      for (const [name, version] of Object.entries(expected)) expect(versions(m)[name]).toBe(version);
      if (format !== 'pyproject') expect(versions(m).numpy).toBe('1.26.4');
      for (const p of m.packages) {
        expect(p.ecosystem).toBe('PyPI');
        expect(p.line).toBeGreaterThan(0);
      }
    });
  }

  it('marks direct and transitive packages from the lock graph or the sibling manifest', async () => {
    for (const dir of ['poetry', 'uv', 'pdm', 'pipfile']) {
      const file =
        { poetry: 'poetry.lock', uv: 'uv.lock', pdm: 'pdm.lock', pipfile: 'Pipfile.lock' }[dir] ?? '';
      const m = await loadManifest(pairPath(dir, 'new', file));
      const filelock = m.packages.find((p) => p.name === 'filelock');
      const torch = m.packages.find((p) => p.name === 'torch');
      expect(torch?.direct, dir).toBe(true);
      expect(filelock?.direct, dir).toBe(false);
    }
  });

  it('keeps file names and hashes of locked artifacts', async () => {
    const m = await loadManifest(pairPath('uv', 'new', 'uv.lock'));
    const torch = m.packages.find((p) => p.name === 'torch');
    expect(torch?.artifacts.map((a) => a.file)).toEqual([
      'torch-2.6.0-py3-none-any.whl',
      'torch-2.6.0.tar.gz',
    ]);
    expect(torch?.artifacts[0]?.hashes[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(torch?.sdistOnly).toBe(false);
  });

  it('reads package-lock.json v3 with nested duplicates and scoped names', async () => {
    const m = await loadManifest(pairPath('npm', 'new', 'package-lock.json'));
    expect(m.format).toBe('package-lock');
    const lodash = m.packages.filter((p) => p.name === 'lodash').map((p) => p.version);
    expect(lodash.sort()).toEqual(['4.17.20', '4.17.21']);
    const core = m.packages.find((p) => p.name === '@langchain/core');
    expect(core).toMatchObject({ ecosystem: 'npm', version: '0.1.0', direct: true });
    expect(m.packages.find((p) => p.name === 'lodash' && p.version === '4.17.20')?.direct).toBe(false);
    expect(core?.artifacts[0]?.hashes[0]).toMatch(/^sha512-/);
  });

  it('lists conda packages as not covered and pip sub-dependencies as PyPI', async () => {
    const m = await loadManifest(pairPath('conda', 'new', 'environment.yml'));
    expect(m.notCovered.map((p) => p.displayName)).toEqual(['python', 'conda-forge::cudatoolkit', 'pip']);
    expect(m.notCovered[1]).toMatchObject({ ecosystem: 'conda', version: '11.8.0', line: 6 });
    expect(m.packages.find((p) => p.name === 'torch')).toMatchObject({ line: 9 });
  });

  it('requirements: includes, markers, extras, URL and VCS pins, index options', async () => {
    const m = await loadManifest(casePath('pinning', 'requirements.txt'));
    const byName = new Map(m.packages.map((p) => [p.name, p]));
    expect(byName.get('torch')).toMatchObject({
      specifier: '>=2.0',
      markers: 'python_version >= "3.10"',
      line: 2,
    });
    expect(byName.get('torch')?.version).toBeUndefined();
    expect(byName.get('transformers')).toMatchObject({
      version: '4.40.0',
      extras: ['torch', 'sentencepiece'],
    });
    expect(byName.get('lib')?.source).toMatchObject({ kind: 'vcs', ref: 'main' });
    expect(byName.get('tool')?.source).toMatchObject({
      kind: 'vcs',
      ref: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(byName.get('fancy-pkg')?.source).toMatchObject({ kind: 'url' });
    expect(byName.get('local-pkg')?.source.kind).toBe('path');
    expect(m.indexes).toEqual([
      expect.objectContaining({ url: 'https://mirror.example/simple', role: 'primary', line: 1 }),
    ]);
    const tt = await loadManifest(casePath('torchtriton', 'requirements.txt'));
    expect(tt.indexes[0]).toMatchObject({ role: 'extra', line: 2 });
    expect(tt.packages.find((p) => p.name === 'torchtriton')?.version).toBe('2.0.0+0d7e753227');
  });

  it('requirements: -r includes are followed relative to the including file', async () => {
    const m = await loadManifest(pairPath('requirements', 'new', 'requirements.txt'));
    expect(m.files.map((f) => f.split('/').pop())).toEqual(['requirements.txt', 'base.txt']);
    expect(m.packages.find((p) => p.name === 'numpy')?.file.endsWith('base.txt')).toBe(true);
  });

  it('uv.lock: a registry other than the default one is an alternate index', async () => {
    const m = await loadManifest(casePath('confusion-uv', 'uv.lock'));
    const requests = m.packages.find((p) => p.name === 'requests');
    expect(requests?.source).toMatchObject({
      kind: 'registry',
      url: 'https://private.example/simple',
      alternate: true,
    });
    expect(requests?.sdistOnly).toBe(true);
    expect(m.packages.find((p) => p.name === 'numpy')?.source.alternate).toBeUndefined();
    expect(m.packages.find((p) => p.name === 'scipy')?.direct).toBe(false);
  });
});

describe('loadManifest: bad input is a clear error with file:line (exit 2)', () => {
  it('bad requirement line', async () => {
    const e = await rejection(casePath('errors', 'bad-requirement.txt'));
    expect(e.exitCode).toBe(2);
    expect(e.position).toMatchObject({ line: 2 });
    expect(e.position?.file).toMatch(/bad-requirement\.txt$/);
  });
  it('include cycle', async () => {
    const e = await rejection(casePath('errors', 'cycle-a.txt'));
    expect(e.message).toMatch(/include cycle/);
    expect(e.position?.file).toMatch(/cycle-b\.txt$/);
    expect(e.position?.line).toBe(1);
  });
  it('TOML syntax error', async () => {
    const e = await rejection(casePath('errors', 'poetry.lock'));
    expect(e.message).toMatch(/invalid TOML/);
    expect(e.position?.line).toBe(7);
  });
  it('package-lock.json v1', async () => {
    const e = await rejection(casePath('errors', 'package-lock.json'));
    expect(e.message).toMatch(/lockfileVersion 1/);
    expect(e.position?.line).toBe(3);
    expect(e.hint).toMatch(/npm 7/);
  });
  it('package without a version', async () => {
    const e = await rejection(casePath('errors', 'missing-version', 'package-lock.json'));
    expect(e.message).toMatch(/b has no version/);
    expect(e.position?.line).toBe(7);
  });
  it('bad pip entry in a conda file', async () => {
    const e = await rejection(casePath('errors', 'environment.yml'));
    expect(e.position?.line).toBe(5);
  });
  it('unknown file kind', async () => {
    const e = await rejection(casePath('errors', 'notes.md'));
    expect(e.message).toMatch(/cannot tell what kind/);
    expect(e.position?.line).toBe(1);
  });
  it('missing file is "nothing to scan" (exit 3)', async () => {
    const e = await rejection(casePath('errors', 'does-not-exist.txt'));
    expect(e.exitCode).toBe(3);
  });
});
