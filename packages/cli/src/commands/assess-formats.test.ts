import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAVIGATOR_LAYER_KINDS, navigatorLayerFileSchema, navigatorLayerSchema } from '@atlasguard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/run-cli.js';
import { repoRoot } from '../../../../test/shared-paths.js';
import { ASSESS_LAYERS } from './assess.js';

// `assess --format md|html|navigator|csv|sarif` end to end through the CLI (the writers themselves are
// tested in packages/core/src/report/<format>).

const example = 'examples/citizen-llm-assistant';
const assess = (...args: string[]) =>
  runCli(['assess', example, '--date', '2026-11-25', ...args], { cwd: repoRoot });

describe('assess report formats', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atlasguard-assess-formats-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('md: a Markdown report with the register and the ledger', async () => {
    const r = await assess('--format', 'md');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Threat model: /);
    expect(r.stdout).toContain('## Risk register');
    expect(r.stdout).toContain('## Applicability ledger');
    expect(r.stdout).toContain('| `AML.T0051` |');
  });

  it('html: a self-contained report with the matrix heat map', async () => {
    const r = await assess('--format', 'html');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('<section id="matrix">');
    expect(r.stdout).not.toMatch(/<(script|link|img)\b/i);
  });

  it('navigator: a multi-layer ATLAS Navigator file', async () => {
    const r = await assess('--format', 'navigator');
    expect(r.code, r.stderr).toBe(0);
    const layers = navigatorLayerFileSchema.parse(JSON.parse(r.stdout));
    expect(Array.isArray(layers) ? layers.map((l) => l.domain) : []).toEqual(Array(5).fill('atlas-atlas'));
    // the hosted ATLAS Navigator opens a multi-layer file as an empty layer without an error: the CLI says so
    expect(r.stderr).toMatch(
      /for the hosted ATLAS Navigator write one per file with --layer applicability\|/,
    );
  });

  it('navigator --layer: one layer as a single object (for the hosted ATLAS Navigator)', async () => {
    expect([...ASSESS_LAYERS]).toEqual([...NAVIGATOR_LAYER_KINDS]);
    const r = await assess('--format', 'navigator', '--layer', 'residual');
    expect(r.code, r.stderr).toBe(0);
    const layer = navigatorLayerSchema.parse(JSON.parse(r.stdout));
    expect(r.stderr).not.toMatch(/hosted ATLAS Navigator/);
    expect(layer.metadata).toContainEqual({ name: 'layer', value: 'residual' });
    const wrong = await assess('--format', 'csv', '--layer', 'residual');
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/--layer goes with --format navigator/);
    expect((await assess('--format', 'navigator', '--layer', 'everything')).code).toBe(4);
  });

  it('csv: the risk register with CRLF records', async () => {
    const r = await assess('--format', 'csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('Rank,Risk ID,Technique,')).toBe(true);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
  });

  it('sarif: SARIF 2.1.0, and --fail-on high still writes it before exiting 1', async () => {
    const r = await assess('--format', 'sarif', '--fail-on', 'high');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.results.length).toBeGreaterThan(0);
  });

  it('--out writes the report to a file and nothing to stdout', async () => {
    const out = join(dir, 'report.html');
    const r = await assess('--format', 'html', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>/);
  });
});
