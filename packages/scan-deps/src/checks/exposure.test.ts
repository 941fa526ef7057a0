import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDeps, type ScanDepsOptions } from '../scan-deps.js';
import { FIXTURES, OSV_FIXTURES, casePath } from '../test-support/paths.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ag-scan-deps-exposure-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function options(lockfile: string, extra: Partial<ScanDepsOptions> = {}): ScanDepsOptions {
  return {
    lockfile,
    osvPath: OSV_FIXTURES,
    cacheDir,
    maxAgeMs: 1e15,
    now: new Date('2030-01-01T00:00:00Z'),
    failOn: 'medium',
    display: (p) => relative(FIXTURES, p),
    ...extra,
  };
}

const exposure = async (file: string, extra: Partial<ScanDepsOptions> = {}) => {
  const r = await scanDeps(options(file, extra));
  return new Map(
    r.findings
      .filter((f) => f.ruleId === 'deps/confusion-exposure')
      .map((f) => [f.message.split('==')[0] ?? '', f] as const),
  );
};

describe('dependency-confusion exposure per package', () => {
  it('an extra index in the requirements file: internal-looking names high, unknown names low, public names never', async () => {
    const found = await exposure(casePath('confusion-exposure', 'requirements.txt'));
    expect([...found.keys()].sort()).toEqual([
      'acme-feature-store',
      'acmeclient',
      'mystery-niche-lib',
      'platform-internal-auth',
      'zz-models',
    ]);
    expect(found.get('acme-feature-store')).toMatchObject({
      severity: 'high',
      location: { path: 'cases/confusion-exposure/requirements.txt', line: 7 },
      atlas: { techniques: ['AML.T0010.001', 'AML.T0011.001'] },
    });
    expect(found.get('acme-feature-store')?.message).toMatch(/word from the private index URL/);
    expect(found.get('acmeclient')?.severity).toBe('high');
    expect(found.get('platform-internal-auth')?.severity).toBe('high');
    // Not internal-looking without the prefix: only "unknown on the public index".
    expect(found.get('zz-models')?.severity).toBe('low');
    expect(found.get('mystery-niche-lib')?.severity).toBe('low');
    // Hard negatives: well-known public packages, and a hash-pinned internal one.
    for (const name of ['torch', 'numpy', 'requests', 'transformers', 'acme-signed'])
      expect(found.has(name), name).toBe(false);
  });

  it('--internal-prefix makes a name internal', async () => {
    const found = await exposure(casePath('confusion-exposure', 'requirements.txt'), {
      internalPrefixes: ['zz'],
    });
    expect(found.get('zz-models')?.severity).toBe('high');
    expect(found.get('zz-models')?.message).toMatch(/--internal-prefix/);
  });

  it('a pip.conf beside the requirements file counts as configuration', async () => {
    const r = await scanDeps(options(casePath('confusion-pipconf', 'requirements.txt')));
    expect(r.input.files).toContain('cases/confusion-pipconf/pip.conf');
    const f = r.findings.filter((x) => x.ruleId === 'deps/confusion-exposure');
    expect(f.map((x) => [x.message.split('==')[0], x.severity])).toEqual([['contoso-ml-core', 'high']]);
    expect(r.findings.some((x) => x.ruleId === 'deps/extra-index-url')).toBe(true);
  });

  it('no extra index, or only the public one: no exposure findings', async () => {
    expect((await exposure(casePath('pinning', 'requirements.txt'))).size).toBe(0);
    expect((await exposure(casePath('typosquat', 'new', 'requirements.txt'))).size).toBe(0);
  });
});
