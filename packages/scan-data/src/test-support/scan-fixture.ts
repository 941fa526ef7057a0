import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@atlasguard/core';
import { afterAll, beforeAll } from 'vitest';
import { scanData, type ScanOptions } from '../scan/scan-data.js';

// The fixture the scan-data test files share: a temp directory for the suite, files written into it,
// and `scanData` with a fixed clock, tool and --fail-on medium.

export const now = (): Date => new Date('2026-01-01T00:00:00Z');
export const tool = { name: 'atlasguard', version: 'test' };

export interface ScanFixture {
  /** The suite's temp directory (set in beforeAll, removed in afterAll). */
  readonly dir: string;
  /** Writes `content` to `name` in the temp directory and returns its path. */
  file: (name: string, content: string) => string;
  /** Scans `batch` against `baseline` with these roles (fail-on medium, fixed clock). */
  scan: (
    batch: string,
    baseline: string,
    roles: ScanOptions['roles'],
    extra?: Partial<ScanOptions>,
  ) => ReturnType<typeof scanData>;
}

/** Registers the suite's temp directory (named with `prefix`) and returns the helpers that use it. */
export function scanFixture(prefix: string): ScanFixture {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    scan: (batch, baseline, roles, extra = {}) =>
      scanData({ batchPath: batch, baselinePath: baseline, roles, failOn: 'medium', tool, now, ...extra }),
  };
}

/** The rows (`location.row`) of the findings of one rule. */
export function rowsOf(findings: readonly Finding[], ruleId: string): Set<number> {
  const out = new Set<number>();
  for (const f of findings) if (f.ruleId === ruleId && f.location?.row !== undefined) out.add(f.location.row);
  return out;
}
