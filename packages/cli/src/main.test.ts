import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.js';

describe('atlasguard', () => {
  it('prints help with exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: atlasguard');
  });

  it('treats an unknown command as a usage error (exit 4)', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/unknown command|too many arguments/);
  });
});
