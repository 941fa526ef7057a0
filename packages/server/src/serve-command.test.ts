import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.js';

describe('atlasguard serve (usage)', () => {
  it('lists its flags in --help', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--db', '--port', '--host', '--admin-email', '--admin-password-stdin', '--origin']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('refuses bad ports, origins and database URLs as usage errors (exit 4) without a stack trace', async () => {
    expect((await runCli(['serve', '--port', 'http'])).code).toBe(4);
    expect((await runCli(['serve', '--port', '70000'])).code).toBe(4);
    expect((await runCli(['serve', '--origin', 'not a url'])).code).toBe(4);
    const db = await runCli(['serve', '--db', 'mysql://u:hunter2@db/x', '--port', '0']);
    expect(db.code).toBe(4);
    expect(db.stderr).toContain('unsupported database URL');
    expect(db.stderr).not.toContain('hunter2');
    expect(db.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --admin-email without a long enough password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-serve-'));
    try {
      const r = await runCli(
        ['serve', '--db', join(dir, 'w.sqlite'), '--port', '0', '--admin-email', 'a@example.org'],
        {
          env: { ...process.env, ATLASGUARD_ADMIN_PASSWORD: 'short' },
        },
      );
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('ATLASGUARD_ADMIN_PASSWORD');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreachable PostgreSQL as an error (exit 2) with the password redacted', async () => {
    const r = await runCli(['serve', '--db', 'postgres://u:hunter2@127.0.0.1:1/x', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot connect to PostgreSQL');
    expect(r.stderr).not.toContain('hunter2');
  });
});
