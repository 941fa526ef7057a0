import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { parseCondaEnv } from '../parsers/conda-env.js';
import { parseCycloneDx } from '../parsers/cyclonedx.js';
import { parsePackageLock } from '../parsers/package-lock.js';
import { parsePipfileLock } from '../parsers/pipfile-lock.js';
import { parsePyproject } from '../parsers/pyproject.js';
import { parsePdmLock, parsePoetryLock, parseUvLock } from '../parsers/python-locks.js';
import { parsePipConf } from '../parsers/pip-conf.js';
import { parseRequirements } from '../parsers/requirements.js';
import { parseTomlText, tableAt } from '../parsers/toml-text.js';
import { normalizePypiName } from './names.js';
import { readSource } from './read-source.js';
import type { SourceText } from './source-text.js';
import type { InputFormat, Manifest } from './types.js';

export const INPUT_FORMATS: readonly InputFormat[] = [
  'requirements',
  'pyproject',
  'poetry-lock',
  'uv-lock',
  'pdm-lock',
  'pipfile-lock',
  'conda-env',
  'package-lock',
  'cyclonedx',
];

/** The input format from the file name, then from the content for generic names. */
export function detectFormat(source: SourceText): InputFormat | undefined {
  const name = basename(source.path).toLowerCase();
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (name === 'uv.lock') return 'uv-lock';
  if (name === 'pdm.lock') return 'pdm-lock';
  if (name === 'pipfile.lock') return 'pipfile-lock';
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') return 'package-lock';
  if (/\.(cdx|bom)\.json$/.test(name) || name === 'bom.json' || name === 'sbom.json') return 'cyclonedx';
  if (/\.(txt|in)$/.test(name) || name.startsWith('requirements')) return 'requirements';
  if (/\.ya?ml$/.test(name) && /^\s*dependencies\s*:/m.test(source.text)) return 'conda-env';
  if (name.endsWith('.json')) {
    const head = source.text.slice(0, 4096);
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(head)) return 'cyclonedx';
    if (/"lockfileVersion"\s*:/.test(head)) return 'package-lock';
    if (/"_meta"\s*:/.test(head)) return 'pipfile-lock';
  }
  if (name.endsWith('.lock') || name.endsWith('.toml')) {
    if (/^\s*\[\[package\]\]/m.test(source.text)) {
      if (/^\s*revision\s*=|^\s*source\s*=\s*\{/m.test(source.text)) return 'uv-lock';
      if (/^\s*\[metadata\][\s\S]*lock_version|^\s*lock_version/m.test(source.text)) return 'pdm-lock';
      return 'poetry-lock';
    }
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Names declared by a sibling pyproject.toml (to tell direct from transitive in locks without a graph root). */
async function declaredBySibling(lockPath: string): Promise<Set<string> | undefined> {
  const pyproject = join(dirname(lockPath), 'pyproject.toml');
  if (!(await exists(pyproject))) return undefined;
  try {
    const manifest = parsePyproject(await readSource(pyproject));
    return new Set(manifest.packages.map((p) => p.name));
  } catch {
    // A broken sibling only costs the direct/transitive split; the lockfile itself is still read.
    return undefined;
  }
}

async function declaredByPipfile(lockPath: string): Promise<Set<string> | undefined> {
  const pipfile = join(dirname(lockPath), 'Pipfile');
  if (!(await exists(pipfile))) return undefined;
  try {
    const doc = parseTomlText(await readSource(pipfile));
    const names = [
      ...Object.keys(tableAt(doc, 'packages') ?? {}),
      ...Object.keys(tableAt(doc, 'dev-packages') ?? {}),
    ];
    return new Set(names.map(normalizePypiName));
  } catch {
    return undefined;
  }
}

/**
 * A pip configuration checked in beside a requirements file (`pip.conf`, `pip.ini`) adds its index settings:
 * an `extra-index-url` there merges indexes just like the flag in the file.
 */
async function withPipConf(manifest: Manifest): Promise<Manifest> {
  for (const name of ['pip.conf', 'pip.ini']) {
    const path = join(dirname(manifest.path), name);
    if (!(await exists(path))) continue;
    const indexes = parsePipConf(await readSource(path));
    return { ...manifest, indexes: [...manifest.indexes, ...indexes], files: [...manifest.files, path] };
  }
  return manifest;
}

/** Reads and parses one input (offline), by detected or given format. */
export async function loadManifest(path: string, format?: InputFormat): Promise<Manifest> {
  const source = await readSource(path);
  const chosen = format ?? detectFormat(source);
  switch (chosen) {
    case 'requirements':
      return withPipConf(await parseRequirements(source, (p) => readSource(p)));
    case 'pyproject':
      return parsePyproject(source);
    case 'poetry-lock':
      return parsePoetryLock(source, await declaredBySibling(path));
    case 'uv-lock':
      return parseUvLock(source, await declaredBySibling(path));
    case 'pdm-lock':
      return parsePdmLock(source, await declaredBySibling(path));
    case 'pipfile-lock':
      return parsePipfileLock(source, await declaredByPipfile(path));
    case 'conda-env':
      return parseCondaEnv(source, (p) => readSource(p));
    case 'package-lock':
      return parsePackageLock(source);
    case 'cyclonedx':
      return parseCycloneDx(source);
    case undefined:
      throw new AtlasGuardError(`cannot tell what kind of dependency file ${basename(path)} is`, {
        exitCode: ExitCode.Error,
        position: { file: path, line: 1 },
        hint: `supported: requirements*.txt, pyproject.toml, poetry.lock, uv.lock, pdm.lock, Pipfile.lock, environment.yml, package-lock.json, CycloneDX JSON (or pass --input-format)`,
      });
  }
}
