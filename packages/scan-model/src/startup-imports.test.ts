import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `atlasguard scan model` on one small file is mostly start-up: every module loaded counts. The package's
// static import graph (what loads before a scan begins) must not pull in zod or the YAML parser, which it
// only needs on demand (the allow-list schema is imported when a list is given).
const packages = resolve(import.meta.dirname, '..', '..');
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm;

function resolveSpecifier(from: string, spec: string): string | undefined {
  if (spec.startsWith('.')) return resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
  const core = /^@atlasguard\/(core|io)(?:\/(.+))?$/.exec(spec);
  if (core === null) return undefined;
  const manifest = JSON.parse(readFileSync(join(packages, core[1] ?? '', 'package.json'), 'utf8')) as {
    exports: Record<string, Record<string, string>>;
  };
  const entry = manifest.exports[core[2] === undefined ? '.' : `./${core[2]}`]?.['@atlasguard/source'];
  return entry === undefined ? undefined : join(packages, core[1] ?? '', entry);
}

/** Files reached through static imports from `entry`, and each bare (package) specifier with its importer. */
function staticGraph(entry: string): { files: Set<string>; external: Map<string, string> } {
  const seen = new Set<string>();
  const external = new Map<string, string>();
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('node:')) continue;
      const target = resolveSpecifier(file, spec);
      if (target !== undefined && existsSync(target)) queue.push(target);
      else if (!spec.startsWith('.')) external.set(spec, file);
      else throw new Error(`${file}: cannot resolve ${spec}`);
    }
  }
  return { files: seen, external };
}

describe('scan-model start-up imports', () => {
  it('loads neither zod nor yaml before a scan starts', () => {
    const { files, external } = staticGraph(join(packages, 'scan-model', 'src', 'index.ts'));
    const heavy = [...external].filter(([spec]) => /^(zod|yaml)(\/|$)/.test(spec));
    expect(heavy).toEqual([]);
    // The walk follows the package into core (it would pass vacuously otherwise) ...
    expect(files).toContain(join(packages, 'scan-model', 'src', 'pickle', 'vm.ts'));
    expect(files).toContain(join(packages, 'core', 'src', 'findings', 'severity-rank.ts'));
    // ... and sees zod where it is loaded: the allow-list schema, imported on demand only.
    const schema = staticGraph(join(packages, 'scan-model', 'src', 'policy', 'user-allow-list-schema.ts'));
    expect([...schema.external.keys()]).toContain('zod');
  });
});
