import { LIMITS } from '../manifest/limits.js';
import { normalizePypiName, PYPI_NAME } from '../manifest/names.js';
import { isRecord, optString, type SourceText } from '../manifest/source-text.js';
import type { Artifact, Manifest, PackageSource, ResolvedPackage } from '../manifest/types.js';
import { fileOfUrl, isSdistOnly, normalizeHash } from './artifacts.js';
import { markDirect } from './direct.js';
import { arrayAt, parseLockTomlText, tableAt } from './toml-text.js';

/** Declared direct dependency names (normalised) from a sibling pyproject.toml, when the caller found one. */
export type DeclaredNames = ReadonlySet<string> | undefined;

interface LockEntry {
  table: Record<string, unknown>;
  name: string;
  rawName: string;
  version: string;
  line: number | undefined;
}

function lockEntries(
  source: SourceText,
  what: string,
): { doc: Record<string, unknown>; entries: LockEntry[] } {
  const { doc, headerLines: lines } = parseLockTomlText(source, 'package');
  const list = arrayAt(doc, 'package');
  if (list === undefined)
    throw source.error(`not a ${what}: no [[package]] tables`, 1, `is this really a ${what}?`);
  if (list.length > LIMITS.maxPackages)
    throw source.error(`more than ${String(LIMITS.maxPackages)} packages`, 1);
  const entries = list.map((table, i) => {
    const line = lines[i];
    if (!isRecord(table)) throw source.error('[[package]] is not a table', line);
    const rawName = optString(table.name);
    if (rawName === undefined || !PYPI_NAME.test(rawName))
      throw source.error('[[package]] without a valid name', line);
    const version = optString(table.version);
    // uv.lock allows dynamic versions for the project itself (editable/virtual); everything else needs one.
    if (version === undefined && !isLocalSource(table.source)) {
      throw source.error(`package ${rawName} has no version`, line);
    }
    return { table, name: normalizePypiName(rawName), rawName, version: version ?? '', line };
  });
  return { doc, entries };
}

function isLocalSource(value: unknown): boolean {
  return (
    isRecord(value) &&
    (value.editable !== undefined ||
      value.virtual !== undefined ||
      value.directory !== undefined ||
      value.path !== undefined)
  );
}

function fileArtifacts(list: unknown[] | undefined): Artifact[] {
  const out: Artifact[] = [];
  for (const f of list ?? []) {
    if (!isRecord(f)) continue;
    const hash = optString(f.hash);
    const file =
      optString(f.file) ?? (optString(f.url) !== undefined ? fileOfUrl(optString(f.url) ?? '') : undefined);
    out.push({
      ...(file !== undefined ? { file } : {}),
      hashes: hash !== undefined ? [normalizeHash(hash)] : [],
    });
  }
  return out;
}

function depNames(list: unknown): string[] {
  if (Array.isArray(list)) {
    return list
      .map((d) =>
        isRecord(d) ? optString(d.name) : typeof d === 'string' ? /^[A-Za-z0-9._-]+/.exec(d)?.[0] : undefined,
      )
      .filter((n): n is string => n !== undefined)
      .map(normalizePypiName);
  }
  if (isRecord(list)) return Object.keys(list).map(normalizePypiName);
  return [];
}

function pkg(
  entry: LockEntry,
  file: string,
  source: PackageSource,
  artifacts: Artifact[],
  dev: boolean,
): ResolvedPackage {
  const sdistOnly = isSdistOnly(artifacts);
  // poetry.lock (`markers`) and pdm.lock (`marker`) record when a locked package is installed at all.
  const markers = optString(entry.table.markers) ?? optString(entry.table.marker);
  return {
    ecosystem: 'PyPI',
    name: entry.name,
    displayName: entry.rawName,
    ...(entry.version !== '' ? { version: entry.version } : {}),
    direct: false,
    ...(dev ? { dev } : {}),
    source,
    artifacts,
    ...(sdistOnly !== undefined ? { sdistOnly } : {}),
    ...(markers !== undefined ? { markers } : {}),
    file,
    ...(entry.line !== undefined ? { line: entry.line } : {}),
  };
}

/** poetry.lock (lock-version 1.x and 2.x: files inline or under `[metadata.files]`). */
export function parsePoetryLock(source: SourceText, declared: DeclaredNames): Manifest {
  const { doc, entries } = lockEntries(source, 'poetry.lock');
  const legacyFiles = tableAt(doc, 'metadata', 'files') ?? {};
  const edges = new Map<string, string[]>();
  const packages = entries.map((e) => {
    const src = tableAt(e.table, 'source');
    let pkgSource: PackageSource = { kind: 'registry' };
    if (src !== undefined) {
      const type = optString(src.type);
      const url = optString(src.url);
      const ref = optString(src.resolved_reference) ?? optString(src.reference);
      if (type === 'git')
        pkgSource = {
          kind: 'vcs',
          ...(url !== undefined ? { url } : {}),
          ...(ref !== undefined ? { ref } : {}),
        };
      else if (type === 'url') pkgSource = { kind: 'url', ...(url !== undefined ? { url } : {}) };
      else if (type === 'directory' || type === 'file')
        pkgSource = { kind: 'path', ...(url !== undefined ? { url } : {}) };
      // Poetry omits [package.source] for the default index, so any named source is an alternate index.
      else pkgSource = { kind: 'registry', ...(url !== undefined ? { url } : {}), alternate: true };
    }
    const files =
      arrayAt(e.table, 'files') ??
      (Array.isArray(legacyFiles[e.rawName]) ? (legacyFiles[e.rawName] as unknown[]) : undefined);
    edges.set(e.name, depNames(e.table.dependencies));
    const category = optString(e.table.category);
    return pkg(e, source.path, pkgSource, fileArtifacts(files), category === 'dev');
  });
  markDirect(packages, edges, declared);
  return {
    path: source.path,
    format: 'poetry-lock',
    packages,
    indexes: [],
    notCovered: [],
    files: [source.path],
  };
}

/** uv.lock: the project's own entry (editable/virtual source) says which packages are direct. */
export function parseUvLock(source: SourceText, declared: DeclaredNames): Manifest {
  const { entries } = lockEntries(source, 'uv.lock');
  const edges = new Map<string, string[]>();
  const projectDeps = new Set<string>();
  const packages: ResolvedPackage[] = [];
  const registries = new Map<string, number>();
  for (const e of entries) {
    const src = e.table.source;
    if (isRecord(src)) {
      const registry = optString(src.registry);
      if (registry !== undefined) registries.set(registry, (registries.get(registry) ?? 0) + 1);
    }
  }
  // The registry most packages come from is the default index; any other registry is an alternate one.
  const defaultRegistry = [...registries.entries()].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  )[0]?.[0];
  for (const e of entries) {
    const src = e.table.source;
    const deps = depNames(e.table.dependencies);
    if (isLocalSource(src) && isRecord(src) && (src.editable === '.' || src.virtual === '.')) {
      for (const d of deps) projectDeps.add(d);
      for (const group of Object.values(tableAt(e.table, 'dev-dependencies') ?? {}))
        for (const d of depNames(group)) projectDeps.add(d);
      for (const group of Object.values(tableAt(e.table, 'optional-dependencies') ?? {}))
        for (const d of depNames(group)) projectDeps.add(d);
      continue;
    }
    edges.set(e.name, deps);
    let pkgSource: PackageSource = { kind: 'registry' };
    if (isRecord(src)) {
      const registry = optString(src.registry);
      const git = optString(src.git);
      const url = optString(src.url);
      const path =
        optString(src.path) ?? optString(src.editable) ?? optString(src.directory) ?? optString(src.virtual);
      if (registry !== undefined)
        pkgSource = {
          kind: 'registry',
          url: registry,
          ...(registry !== defaultRegistry ? { alternate: true } : {}),
        };
      else if (git !== undefined) {
        const commit = /#([0-9a-f]{40})$/i.exec(git)?.[1];
        pkgSource = {
          kind: 'vcs',
          url: git.replace(/[?#].*$/, ''),
          ...(commit !== undefined ? { ref: commit } : {}),
        };
      } else if (url !== undefined) pkgSource = { kind: 'url', url };
      else if (path !== undefined) pkgSource = { kind: 'path', url: path };
    }
    const artifacts = fileArtifacts(arrayAt(e.table, 'wheels'));
    const sdist = tableAt(e.table, 'sdist');
    if (sdist !== undefined) artifacts.push(...fileArtifacts([sdist]));
    packages.push(pkg(e, source.path, pkgSource, artifacts, false));
  }
  markDirect(packages, edges, projectDeps.size > 0 ? projectDeps : declared);
  return {
    path: source.path,
    format: 'uv-lock',
    packages,
    indexes: [],
    notCovered: [],
    files: [source.path],
  };
}

/** pdm.lock (lock format 4.x): files with hashes; groups tell dev packages apart. */
export function parsePdmLock(source: SourceText, declared: DeclaredNames): Manifest {
  const { entries } = lockEntries(source, 'pdm.lock');
  const edges = new Map<string, string[]>();
  const packages = entries.map((e) => {
    edges.set(e.name, depNames(e.table.dependencies));
    const groups = arrayAt(e.table, 'groups') ?? [];
    const dev = groups.length > 0 && !groups.includes('default');
    const git = optString(e.table.git);
    const url = optString(e.table.url);
    const path = optString(e.table.path);
    const ref = optString(e.table.revision) ?? optString(e.table.ref);
    const pkgSource: PackageSource =
      git !== undefined
        ? { kind: 'vcs', url: git, ...(ref !== undefined ? { ref } : {}) }
        : url !== undefined
          ? { kind: 'url', url }
          : path !== undefined
            ? { kind: 'path', url: path }
            : { kind: 'registry' };
    return pkg(e, source.path, pkgSource, fileArtifacts(arrayAt(e.table, 'files')), dev);
  });
  markDirect(packages, edges, declared);
  return {
    path: source.path,
    format: 'pdm-lock',
    packages,
    indexes: [],
    notCovered: [],
    files: [source.path],
  };
}
