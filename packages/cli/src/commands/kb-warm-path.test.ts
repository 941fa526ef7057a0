import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../../test/shared-paths.js';

// A warm `kb info` must not load the YAML parser or zod (see docs/benchmarks/kb.md): they cost more than
// the rest of its work. This runs the CLI from source in a fresh Node process, twice (the first run fills the
// parsed-catalog cache), and records every module the second run resolves.

const dir = mkdtempSync(join(tmpdir(), 'ag-warm-'));
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.AG_TRACE) appendFileSync(process.env.AG_TRACE, result.url + '\\n');
  return result;
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);
const program = `const { run } = await import('@atlasguard/cli');
process.exitCode = await run(['node', 'atlasguard', 'kb', 'info']);`;

function kbInfo(trace: string): number | null {
  const env: NodeJS.ProcessEnv = { ...process.env, ATLASGUARD_CACHE_DIR: join(dir, 'cache') };
  env.AG_TRACE = trace;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(register).href,
      '--conditions=@atlasguard/source',
      '--input-type=module',
      '-e',
      program,
    ],
    { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`kb info failed: ${result.stderr}`);
  return result.status;
}

describe('warm kb info', () => {
  it('loads neither the YAML parser nor zod (a cold run does)', () => {
    const modules = (trace: string): string[] =>
      readFileSync(trace, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
    const heavy = (urls: string[]): string[] =>
      urls.filter((url) => /\/node_modules\/(yaml|zod)\//.test(url));
    const cold = join(dir, 'cold.txt');
    const warm = join(dir, 'warm.txt');
    expect(kbInfo(cold)).toBe(0);
    expect(heavy(modules(cold)).length).toBeGreaterThan(0);
    expect(kbInfo(warm)).toBe(0);
    expect(modules(warm).some((url) => url.includes('/packages/cli/src/commands/kb-info.ts'))).toBe(true);
    expect(heavy(modules(warm))).toEqual([]);
    expect(modules(warm).some((url) => url.includes('parse-atlas-yaml'))).toBe(false);
  });
});
