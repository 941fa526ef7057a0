import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { scanDeps, type ScanDepsOptions } from '../scan-deps.js';
import { FIXTURES, OSV_FIXTURES, casePath } from '../test-support/paths.js';
import { targetEnvironment } from './target-env.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ag-scan-deps-target-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function options(extra: Partial<ScanDepsOptions>): ScanDepsOptions {
  return {
    lockfile: casePath('markers', 'requirements.txt'),
    osvPath: OSV_FIXTURES,
    cacheDir,
    maxAgeMs: 1e15,
    now: new Date('2030-01-01T00:00:00Z'),
    failOn: 'medium',
    display: (p) => relative(FIXTURES, p),
    ...extra,
  };
}

describe('target environment for markers', () => {
  it('maps flags to marker variables, CPython by default once a Python version is given', () => {
    expect(targetEnvironment({})).toBeUndefined();
    expect(targetEnvironment({ python: '3.11', platform: 'windows' })).toEqual({
      values: {
        python_version: '3.11',
        sys_platform: 'win32',
        platform_system: 'Windows',
        os_name: 'nt',
        implementation_name: 'cpython',
        platform_python_implementation: 'CPython',
      },
      extras: [],
    });
    expect(targetEnvironment({ python: '3.12.1' })?.values).toMatchObject({
      python_version: '3.12',
      python_full_version: '3.12.1',
      implementation_version: '3.12.1',
    });
    for (const bad of [
      { python: '3' },
      { python: 'latest' },
      { platform: 'solaris' },
      { implementation: 'jython' },
      { machine: 'x 86' },
    ])
      expect(() => targetEnvironment(bad), JSON.stringify(bad)).toThrow(AtlasGuardError);
  });

  it('without a target every requirement counts (markers not evaluated)', async () => {
    const notes: string[] = [];
    const r = await scanDeps(options({ notes: (m) => notes.push(m) }));
    expect(r.input.packages).toBe(7);
    expect(r.excluded).toBeUndefined();
    expect(r.vulnerabilities.present.map((v) => v.package)).toContain('transformers');
  });

  it('linux / CPython 3.11: Windows-only and old-Python requirements are not installed; unknown markers kept with a note', async () => {
    const notes: string[] = [];
    const r = await scanDeps(
      options({ target: { python: '3.11', platform: 'linux' }, notes: (m) => notes.push(m) }),
    );
    expect(r.excluded?.map((e) => e.name).sort()).toEqual(['pywin32', 'sentencepiece', 'tomli']);
    expect(r.excluded?.find((e) => e.name === 'pywin32')).toMatchObject({
      markers: 'sys_platform == "win32"',
      file: 'cases/markers/requirements.txt',
      line: 3,
    });
    // platform_machine is not set by the target: jax is kept and named in a note.
    expect(r.undecidedMarkers).toEqual([
      expect.objectContaining({ name: 'jax', reason: 'the target does not set platform_machine' }),
    ]);
    expect(notes.join('\n')).toMatch(/1 requirement\(s\) kept .* jax at cases\/markers\/requirements.txt:7/);
    expect(r.input.packages).toBe(4);
    expect(r.vulnerabilities.present.map((v) => v.package)).toContain('transformers');
    expect(r.target?.environment).toMatchObject({ python_version: '3.11', sys_platform: 'linux' });
    expect(r.target?.extras).toEqual([]);
  });

  it('windows: the Linux/macOS-only transformers requirement and its advisory drop out; extras switch requirements on', async () => {
    const r = await scanDeps(
      options({ target: { python: '3.10', platform: 'windows', machine: 'AMD64', extras: ['tokenizers'] } }),
    );
    expect(r.excluded?.map((e) => e.name).sort()).toEqual(['jax', 'transformers', 'uvloop']);
    expect(r.undecidedMarkers).toEqual([]);
    expect(r.vulnerabilities.present.map((v) => v.package)).not.toContain('transformers');
    expect(r.findings.some((f) => f.message.includes('transformers'))).toBe(false);
  });
});
