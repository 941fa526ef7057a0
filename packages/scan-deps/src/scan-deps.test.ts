import { mkdtemp, rm, utimes, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { RULES, TORCHTRITON_CASE_STUDY } from './checks/rules.js';
import { scanDeps, type ScanDepsOptions, type ScanDepsResult } from './scan-deps.js';
import { FIXTURES, OSV_FIXTURES, casePath, pairPath } from './test-support/paths.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ag-scan-deps-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const DAY = 86_400_000;
function options(lockfile: string, extra: Partial<ScanDepsOptions> = {}): ScanDepsOptions {
  return {
    lockfile,
    osvPath: OSV_FIXTURES,
    cacheDir,
    maxAgeMs: 100_000 * DAY,
    now: new Date('2030-01-01T00:00:00Z'),
    failOn: 'medium',
    display: (p) => relative(FIXTURES, p),
    ...extra,
  };
}

const names = (list: Array<{ name: string }>): string[] => list.map((c) => c.name).sort();
const ids = (r: ScanDepsResult, key: 'introduced' | 'fixed' | 'present'): string[] =>
  r.vulnerabilities[key].map((v) => `${v.id}@${v.package}`).sort();

const PYTHON_PAIRS: Array<[string, string]> = [
  ['requirements', 'requirements.txt'],
  ['poetry', 'poetry.lock'],
  ['uv', 'uv.lock'],
  ['pdm', 'pdm.lock'],
  ['pipfile', 'Pipfile.lock'],
  ['conda', 'environment.yml'],
  ['pyproject', 'pyproject.toml'],
  ['cyclonedx', 'bom.cdx.json'],
];

describe('scan deps NEW --previous OLD: every input format', () => {
  for (const [dir, file] of PYTHON_PAIRS) {
    it(`${dir}: lists exactly the changed packages and the vulnerabilities introduced and fixed`, async () => {
      const r = await scanDeps(options(pairPath(dir, 'new', file), { previous: pairPath(dir, 'old', file) }));
      expect(r.mode).toBe('diff');
      const d = r.diff!;
      expect(names(d.added)).toEqual(['mlflow']);
      expect(names(d.removed)).toEqual(['requests']);
      expect(d.upgraded).toEqual([
        expect.objectContaining({ name: 'torch', from: '2.5.1', to: '2.6.0', direct: true }),
      ]);
      expect(d.downgraded).toEqual([
        expect.objectContaining({ name: 'transformers', from: '4.36.0', to: '4.35.2' }),
      ]);
      expect(d.changed).toEqual([]);
      expect(d.hashChanged).toEqual([]);
      expect(d.sourceChanged).toEqual([]);
      expect(ids(r, 'introduced')).toEqual(['GHSA-hxxf-235m-72v3@transformers', 'PYSEC-2024-212@mlflow']);
      // The torch GHSA and its PYSEC alias are one vulnerability, fixed by the upgrade.
      expect(ids(r, 'fixed')).toEqual(['GHSA-53q9-r3pm-6pq6@torch']);
      expect(r.vulnerabilities.fixed[0]?.ids).toEqual(['GHSA-53q9-r3pm-6pq6', 'PYSEC-2025-41']);
      expect(ids(r, 'present')).toEqual([]);
      const vuln = r.findings.find(
        (f) => f.ruleId === 'deps/known-vulnerability' && f.message.startsWith('transformers'),
      );
      expect(vuln).toMatchObject({
        severity: 'high',
        remediation: 'Upgrade transformers to 4.36.0 or later.',
      });
      expect(vuln?.location?.line).toBeGreaterThan(0);
      expect(r.summary.verdict).toBe('findings');
    });
  }

  it('npm package-lock.json: nested versions, transitive vulnerabilities, SemVer ordering', async () => {
    const r = await scanDeps(
      options(pairPath('npm', 'new', 'package-lock.json'), {
        previous: pairPath('npm', 'old', 'package-lock.json'),
      }),
    );
    const d = r.diff!;
    expect(d.added.map((c) => `${c.name}@${c.to ?? ''}`).sort()).toEqual([
      'lodash@4.17.20',
      'lodash@4.17.21',
    ]);
    expect(names(d.removed)).toEqual(['left-pad']);
    expect(d.upgraded.map((c) => `${c.name} ${c.from ?? ''}->${c.to ?? ''}`).sort()).toEqual([
      'axios 1.5.1->1.6.0',
      'openai 4.0.0->4.20.0',
    ]);
    expect(ids(r, 'introduced')).toEqual(['GHSA-35jh-r3h4-6jhm@lodash']);
    expect(r.vulnerabilities.introduced[0]).toMatchObject({
      version: '4.17.20',
      direct: false,
      fixedIn: ['4.17.21'],
    });
    expect(ids(r, 'fixed')).toEqual(['GHSA-wf5p-g6vw-rhxx@axios']);
  });

  it('conda-only packages are reported as not covered', async () => {
    const r = await scanDeps(options(pairPath('conda', 'new', 'environment.yml')));
    expect(r.notCovered).toEqual(['python', 'conda-forge::cudatoolkit', 'pip']);
    expect(r.findings.find((f) => f.ruleId === 'deps/not-covered')).toMatchObject({ severity: 'info' });
  });
});

describe('scan deps: supply-chain attacks', () => {
  it('torchtriton set-up: extra index + a vendor-index name that exists publicly + the MAL record', async () => {
    const r = await scanDeps(options(casePath('torchtriton', 'requirements.txt')));
    const rules = r.findings.map((f) => `${f.severity} ${f.ruleId}`);
    expect(rules).toContain('critical deps/malicious-package');
    expect(rules).toContain('critical deps/dependency-confusion');
    expect(rules).toContain('high deps/extra-index-url');
    const confusion = r.findings.find((f) => f.ruleId === 'deps/dependency-confusion');
    expect(confusion?.message).toContain('torchtriton');
    expect(confusion?.message).toContain(TORCHTRITON_CASE_STUDY);
    expect(confusion?.location).toEqual({ path: 'cases/torchtriton/requirements.txt', line: 4 });
    expect(r.findings.find((f) => f.ruleId === 'deps/extra-index-url')?.location?.line).toBe(2);
    // torch and numpy resolve from both indexes too, but they are not vendor-only names: no confusion finding.
    expect(r.findings.filter((f) => f.ruleId === 'deps/dependency-confusion')).toHaveLength(1);
  });

  it('lock with a private index serving a publicly known name', async () => {
    const r = await scanDeps(options(casePath('confusion-uv', 'uv.lock')));
    const confusion = r.findings.filter((f) => f.ruleId === 'deps/dependency-confusion');
    expect(confusion.map((f) => f.message)).toEqual([
      expect.stringContaining('requests==2.32.3 resolves from https://private.example/simple'),
    ]);
    // The private-only name is not known publicly: no finding for it.
    expect(
      r.findings.some(
        (f) => f.message.includes('acme-internal-utils') && f.ruleId === 'deps/dependency-confusion',
      ),
    ).toBe(false);
    expect(r.findings.find((f) => f.ruleId === 'deps/sdist-only')?.message).toContain('requests');
  });

  it('one-letter typosquat of a popular ML package is flagged; companions are not', async () => {
    const r = await scanDeps(
      options(casePath('typosquat', 'new', 'requirements.txt'), {
        previous: casePath('typosquat', 'old', 'requirements.txt'),
      }),
    );
    expect(names(r.diff!.added)).toEqual(['tensorflow-gpu', 'torchaudio', 'torchvision', 'transfomers']);
    const squats = r.findings.filter((f) => f.ruleId === 'deps/typosquat');
    expect(squats.map((f) => f.message)).toEqual([
      'transfomers looks like transformers (edit-distance, distance 1)',
    ]);
    expect(squats[0]?.severity).toBe('high');
    const mal = r.findings.find((f) => f.ruleId === 'deps/malicious-package');
    expect(mal).toMatchObject({ severity: 'critical' });
    expect(mal?.message).toContain('MAL-2025-1001');
    expect(r.findings[0]?.severity).toBe('critical');
  });

  it('the same version with a different hash is critical', async () => {
    const r = await scanDeps(
      options(casePath('hash-change', 'new', 'requirements.txt'), {
        previous: casePath('hash-change', 'old', 'requirements.txt'),
      }),
    );
    expect(r.diff!.hashChanged).toEqual([{ name: 'numpy', version: '1.26.4', files: ['*'] }]);
    const f = r.findings.find((x) => x.ruleId === 'deps/artifact-hash-changed');
    expect(f).toMatchObject({
      severity: 'critical',
      location: { path: 'cases/hash-change/new/requirements.txt', line: 1 },
    });
    expect(r.diff!.upgraded).toEqual([]);
    // requests was added without a hash while the others have one.
    expect(r.findings.find((x) => x.ruleId === 'deps/unhashed')?.message).toContain('requests==2.32.3');
    expect(
      r.findings.some((x) => x.ruleId === 'deps/artifact-hash-changed' && x.message.includes('torch')),
    ).toBe(false);
  });

  it('pinning problems: ranges, moving VCS refs, unhashed URLs; commit pins and paths are fine', async () => {
    const r = await scanDeps(options(casePath('pinning', 'requirements.txt')));
    const by = (rule: string) => r.findings.filter((f) => f.ruleId === rule).map((f) => f.message);
    expect(by('deps/unpinned')).toEqual([expect.stringContaining('torch >=2.0 is not pinned')]);
    expect(by('deps/mutable-vcs-ref')).toEqual([expect.stringContaining('"main"')]);
    expect(by('deps/unverified-url')).toEqual([expect.stringContaining('fancy_pkg-1.0.tar.gz')]);
    expect(r.unmatched).toEqual(['torch']);
  });

  it('a changed default index is a source change; `-e .` is the project, not a dependency', async () => {
    const r = await scanDeps(
      options(casePath('index-change', 'new', 'requirements.txt'), {
        previous: casePath('index-change', 'old', 'requirements.txt'),
      }),
    );
    expect(r.input.packages).toBe(1);
    const f = r.findings.filter((x) => x.ruleId === 'deps/source-changed');
    expect(f.map((x) => x.message)).toEqual([
      'primary index is now https://other-mirror.example/simple (was https://mirror.example/simple)',
    ]);
    expect(f[0]?.location).toEqual({ path: 'cases/index-change/new/requirements.txt', line: 1 });
  });

  it('withdrawn advisories are ignored; packages without advisories are clean', async () => {
    const r = await scanDeps(options(casePath('hash-change', 'old', 'requirements.txt')));
    expect(r.vulnerabilities.present).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.summary.verdict).toBe('clean');
  });
});

describe('scan deps: data age', () => {
  it('data older than --max-age makes the run inconclusive, never clean', async () => {
    const osv = join(cacheDir, 'old-osv');
    await cp(OSV_FIXTURES, osv, { recursive: true });
    const old = new Date('2024-01-01T00:00:00Z');
    for (const name of ['MAL-2022-7426.json', 'GHSA-53q9-r3pm-6pq6.json'])
      await utimes(join(osv, name), old, old);
    const r = await scanDeps(
      options(casePath('hash-change', 'old', 'requirements.txt'), {
        osvPath: osv,
        maxAgeMs: 7 * DAY,
        now: new Date('2024-03-01T00:00:00Z'),
      }),
    );
    expect(r.findings).toEqual([]);
    expect(r.osv).toMatchObject({ stale: true, dbTime: '2024-01-01T00:00:00.000Z', ageHours: 1440 });
    expect(r.summary.verdict).toBe('inconclusive');
    expect(r.summary.reason).toMatch(/over the 168 h limit/);
  });
});

describe('ATLAS IDs named by scan-deps exist in ATLAS 5.6.0', () => {
  it('rules and the case study', () => {
    const catalog = testCatalog();
    for (const rule of Object.values(RULES)) {
      for (const id of [...rule.techniques, ...rule.mitigations])
        expect(catalog.has(id), `${rule.id}: ${id}`).toBe(true);
    }
    expect(catalog.caseStudy(TORCHTRITON_CASE_STUDY)?.name).toMatch(/PyTorch/);
    expect(catalog.technique('AML.T0010.001')?.name).toBe('AI Software');
    expect(catalog.technique('AML.T0011.001')?.name).toBe('Malicious Package');
    expect(catalog.mitigation('AML.M0016')?.name).toBe('Vulnerability Scanning');
    expect(catalog.mitigation('AML.M0023')?.name).toBe('AI Bill of Materials');
    expect(catalog.mitigation('AML.M0014')?.name).toBe('Verify AI Artifacts');
  });
});
