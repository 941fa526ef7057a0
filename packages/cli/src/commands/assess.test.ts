import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assessmentSchema } from '@atlasguard/core';
import { runCli } from '../../../../test/run-cli.js';
import { repoRoot } from '../../../../test/shared-paths.js';

const EXAMPLES = [
  'card-fraud-scoring',
  'hospital-imaging-classifier',
  'citizen-llm-assistant',
  'internal-coding-agent',
];
const DATE = ['--date', '2026-11-25'];
const tmp = mkdtempSync(join(tmpdir(), 'ag-assess-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
const golden = (name: string): string => resolve(import.meta.dirname, '__golden__', name);
function matchGolden(name: string, text: string): void {
  const path = golden(name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}
const run = (args: string[]) => runCli(args, { cwd: repoRoot });

describe('atlasguard assess', () => {
  it.each(EXAMPLES)(
    'assess examples/%s --format json decides all 170 techniques with a reason each',
    async (name) => {
      const result = await run(['assess', `examples/${name}`, '--format', 'json', ...DATE]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const assessment = assessmentSchema.parse(JSON.parse(result.stdout));
      expect(assessment.ledger).toHaveLength(170);
      expect(assessment.ledger.every((e) => e.reason.length > 0)).toBe(true);
      expect(assessment.source).toBe(`examples/${name}/atlasguard.yaml`);
    },
  );

  it('prints the terminal summary (golden)', async () => {
    const result = await run(['assess', 'examples/card-fraud-scoring/atlasguard.yaml', ...DATE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Decision coverage');
    expect(result.stdout).toContain('Top 10 risks');
    matchGolden('assess-card-fraud-scoring.txt', result.stdout);
  });

  it('every format of the writer registry produces output', async () => {
    for (const format of ['md', 'html', 'navigator', 'csv', 'sarif']) {
      const result = await run(['assess', 'examples/citizen-llm-assistant', '--format', format, ...DATE]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(0);
      expect(result.stdout.length, format).toBeGreaterThan(500);
    }
  });

  it('--out writes atomically; --json is --format json', async () => {
    const out = join(tmp, 'reports', 'a.json');
    const result = await run(['assess', 'examples/internal-coding-agent', '--json', '--out', out, ...DATE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(assessmentSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).system.id).toBe('coding-agent');
  });

  it('--fail-on exits 1 when open residual risks reach the level, 0 otherwise', async () => {
    const fail = await run([
      'assess',
      'examples/citizen-llm-assistant',
      '--fail-on',
      'critical',
      '--format',
      'json',
      ...DATE,
    ]);
    expect(fail.code).toBe(1);
    const gate = assessmentSchema.parse(JSON.parse(fail.stdout)).gate;
    expect(gate?.failed).toBe(true);
    expect(gate?.blocking).toContain('AML.T0051');
    expect(fail.stderr).toMatch(/gate: \d+ residual risk/);
    const none = await run(['assess', 'examples/citizen-llm-assistant', '--fail-on', 'none', ...DATE]);
    expect(none.code).toBe(0);
  });

  it('--fail-on honours unexpired risk decisions', async () => {
    const result = await run([
      'assess',
      'examples/card-fraud-scoring',
      '--fail-on',
      'low',
      '--format',
      'json',
      ...DATE,
    ]);
    expect(result.code).toBe(1);
    const gate = assessmentSchema.parse(JSON.parse(result.stdout)).gate;
    expect(gate?.excused).toEqual(['AML.T0029']);
    expect(gate?.blocking).not.toContain('AML.T0029');
  });

  it('--baseline reports new, resolved and changed risks', async () => {
    const prev = join(tmp, 'prev.json');
    await run(['assess', 'examples/citizen-llm-assistant', '--format', 'json', '--out', prev, ...DATE]);
    const modelText = readFileSync(
      resolve(repoRoot, 'examples/citizen-llm-assistant/atlasguard.yaml'),
      'utf8',
    )
      .replace('    outputRendering: markdown', '    outputRendering: plain-text')
      .replace('      - id: AML.M0004', '      - id: AML.M0004')
      .replace(/mitigations:\n {2}- id: AML\.M0004[\s\S]*?\n\nanswers/, 'mitigations: []\n\nanswers');
    const changedModel = join(tmp, 'changed.yaml');
    writeFileSync(changedModel, modelText);
    const result = await run(['assess', changedModel, '--baseline', prev, '--format', 'json', ...DATE]);
    expect(result.code, result.stderr).toBe(0);
    const diff = assessmentSchema.parse(JSON.parse(result.stdout)).baseline;
    expect(diff?.resolved.map((r) => r.id)).toContain('AML.T0077');
    expect(diff?.changed.length).toBeGreaterThan(0);
    const text = await run(['assess', changedModel, '--baseline', prev, ...DATE]);
    expect(text.stdout).toMatch(/Since .*prev\.json/);
    expect(text.stdout).toMatch(/- AML\.T0077/);
  });

  it('--baseline rejects a file that is not an assessment', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const result = await run(['assess', 'examples/card-fraud-scoring', '--baseline', bad, ...DATE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an AtlasGuard assessment/);
  });

  it('--explain ID prints the factor breakdown', async () => {
    const result = await run(['assess', 'examples/card-fraud-scoring', '--explain', 'AML.T0024', ...DATE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('AML.T0024 Exfiltration via AI Inference API');
    expect(result.stdout).toMatch(/inherent: \w+ — likelihood \d × impact \d = \d+/);
    expect(result.stdout).toContain('context:model.not-rate-limited');
    matchGolden('assess-explain-AML.T0024.txt', result.stdout);
    const unknown = await run(['assess', 'examples/card-fraud-scoring', '--explain', 'AML.T9999', ...DATE]);
    expect(unknown.code).toBe(4);
  });

  it('--policy tunes the weights; a bad policy is a positioned error', async () => {
    const policy = join(tmp, 'policy.yaml');
    writeFileSync(policy, 'name: strict\nthresholds: { critical: 12, high: 8, medium: 4 }\n');
    const result = await run([
      'assess',
      'examples/hospital-imaging-classifier',
      '--policy',
      policy,
      '--format',
      'json',
      ...DATE,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(assessmentSchema.parse(JSON.parse(result.stdout)).policy.name).toBe('strict');
    writeFileSync(policy, 'likelihood:\n  maturity: lots\n');
    const bad = await run(['assess', 'examples/hospital-imaging-classifier', '--policy', policy, ...DATE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy\.yaml:2:13: /);
  });

  it('a broken model fails with file:line:col and exit 2, never a stack trace', async () => {
    const broken = join(tmp, 'broken.yaml');
    writeFileSync(
      broken,
      'atlasguard: 1\nsystem:\n  id: x\n  name: X\n  sector: banking\n  criticality: high\n',
    );
    const result = await run(['assess', broken, ...DATE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml:5:11: invalid value "banking" at system\.sector/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a directory without atlasguard.yaml and a non-UTF-8 file are positioned errors (exit 2)', async () => {
    const empty = join(tmp, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const dir = await run(['assess', empty]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/no atlasguard\.yaml or atlasguard\.yml in/);
    const binary = join(tmp, 'binary.yaml');
    writeFileSync(binary, Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    const bin = await run(['validate', binary]);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toMatch(/binary\.yaml:1:1: model file is not valid UTF-8/);
  });

  it('a missing model is an error with a hint (exit 2); bad flags are usage errors (exit 4)', async () => {
    const missing = await run(['assess', 'examples/does-not-exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/hint:/);
    expect((await run(['assess', 'examples/card-fraud-scoring', '--format', 'pdf'])).code).toBe(4);
    expect((await run(['assess', 'examples/card-fraud-scoring', '--date', 'yesterday'])).code).toBe(4);
  });
});

describe('atlasguard validate', () => {
  it.each(EXAMPLES)('examples/%s is valid', async (name) => {
    const result = await run(['validate', `examples/${name}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/valid \(ATLAS 5\.6\.0/);
  });

  it('prints every problem at file:line:col and exits 2', async () => {
    const broken = join(tmp, 'many.yaml');
    const text = readFileSync(resolve(repoRoot, 'examples/card-fraud-scoring/atlasguard.yaml'), 'utf8')
      .replace('    access: partner-api', '    access: partner-apii')
      .replace('    rateLimited: false', '    rateLimitted: false');
    writeFileSync(broken, text);
    const result = await run(['validate', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/many\.yaml:\d+:13: error: invalid value "partner-apii"/);
    expect(result.stderr).toMatch(/hint: did you mean "partner-api"/);
    expect(result.stderr).toMatch(/many\.yaml:\d+:5: error: unknown key "rateLimitted"/);
    expect(result.stderr).toMatch(/2 error\(s\)/);
  });

  it('an unknown ATLAS ID is an error with a "did you mean"', async () => {
    const broken = join(tmp, 'unknown-id.yaml');
    const text = readFileSync(
      resolve(repoRoot, 'examples/citizen-llm-assistant/atlasguard.yaml'),
      'utf8',
    ).replace('  - id: AML.M0020', '  - id: AML.M0200');
    writeFileSync(broken, text);
    const result = await run(['validate', broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /unknown-id\.yaml:\d+:9: error: unknown ATLAS mitigation "AML.M0200" in ATLAS 5\.6\.0/,
    );
    expect(result.stderr).toMatch(/hint: did you mean .*AML\.M0020 \(Generative AI Guardrails\)/);
    const json = await run(['validate', broken, '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as {
      valid: boolean;
      errors: Array<{ line: number; hint: string }>;
    };
    expect(parsed.valid).toBe(false);
    expect(parsed.errors[0]?.hint).toMatch(/AML\.M0020/);
  });
});

describe('atlasguard init', () => {
  it('writes a commented starter model from flags that validates and assesses', async () => {
    const file = join(tmp, 'init', 'atlasguard.yaml');
    mkdirSync(dirname(file), { recursive: true });
    const result = await run([
      'init',
      file,
      '--name',
      'Claims triage',
      '--id',
      'claims-triage',
      '--sector',
      'finance',
      '--task',
      'llm',
      '--data-classes',
      'pii,pci',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# AtlasGuard system model');
    expect(text).toContain('sector: finance');
    expect((await run(['validate', file])).code).toBe(0);
    const assessed = await run(['assess', dirname(file), '--format', 'json', ...DATE]);
    expect(assessed.code).toBe(0);
    expect(assessmentSchema.parse(JSON.parse(assessed.stdout)).ledger).toHaveLength(170);
  });

  it('refuses to overwrite without --force, and rejects bad flag values', async () => {
    const file = join(tmp, 'exists.yaml');
    writeFileSync(file, 'keep me');
    const again = await run(['init', file]);
    expect(again.code).toBe(4);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect((await run(['init', file, '--force'])).code).toBe(0);
    const bad = await run(['init', '-', '--sector', 'banking']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/--sector/);
    const stdout = await run(['init', '-']);
    expect(stdout.stdout).toContain('atlasguard: 1');
  });
});
