import { normalizePypiName, PYPI_NAME } from '../manifest/names.js';
import { isRecord, optString, type SourceText } from '../manifest/source-text.js';
import type { IndexConfig, Manifest, PackageSource, ResolvedPackage } from '../manifest/types.js';
import { directSource, parsePep508 } from './pep508.js';
import { arrayAt, parseTomlText, tableAt } from './toml-text.js';

/**
 * Reads the declared dependencies of a pyproject.toml: PEP 621 `[project]` (and optional dependencies,
 * `[dependency-groups]`), Poetry `[tool.poetry]` (groups and sources) and uv (`[tool.uv.sources]`,
 * `[[tool.uv.index]]`, legacy index URLs). Versions here are ranges unless written as exact pins.
 */
export function parsePyproject(source: SourceText): Manifest {
  const doc = parseTomlText(source);
  const packages: ResolvedPackage[] = [];
  const indexes: IndexConfig[] = [];
  const uvSources = tableAt(doc, 'tool', 'uv', 'sources') ?? {};
  const uvIndexes = arrayAt(doc, 'tool', 'uv', 'index') ?? [];
  const unsafeStrategy = /unsafe/.test(optString(tableAt(doc, 'tool', 'uv')?.['index-strategy']) ?? '');
  const uvIndexByName = new Map<string, string>();

  for (const entry of uvIndexes) {
    if (!isRecord(entry)) continue;
    const url = optString(entry.url);
    const name = optString(entry.name);
    if (url === undefined)
      throw source.error('[[tool.uv.index]] entry without url', source.lineOf('[[tool.uv.index]]'));
    if (name !== undefined) uvIndexByName.set(name, url);
    const role: IndexConfig['role'] =
      entry.explicit === true
        ? 'explicit'
        : entry.default === true
          ? 'primary'
          : unsafeStrategy
            ? 'extra'
            : 'primary';
    indexes.push({
      url,
      ...(name !== undefined ? { name } : {}),
      role,
      file: source.path,
      ...lineOpt(source, url),
    });
  }
  const uv = tableAt(doc, 'tool', 'uv');
  const uvIndexUrl = optString(uv?.['index-url']);
  if (uvIndexUrl !== undefined)
    indexes.push({ url: uvIndexUrl, role: 'primary', file: source.path, ...lineOpt(source, uvIndexUrl) });
  for (const url of arrayAt(uv, 'extra-index-url') ?? []) {
    if (typeof url === 'string')
      indexes.push({ url, role: 'extra', file: source.path, ...lineOpt(source, url) });
  }

  const pep508 = (text: unknown, where: string, dev: boolean): void => {
    if (typeof text !== 'string')
      throw source.error(`${where}: expected a requirement string`, source.lineOf(where));
    const req = parsePep508(text);
    const line = source.lineOf(`"${text}"`) ?? source.lineOf(text);
    if ('error' in req) throw source.error(req.error, line);
    const uvSource = sourceFromUv(uvSources[req.rawName] ?? uvSources[req.name], uvIndexByName);
    packages.push({
      ecosystem: 'PyPI',
      name: req.name,
      displayName: req.rawName,
      ...(req.version !== undefined ? { version: req.version } : {}),
      ...(req.specifier !== undefined ? { specifier: req.specifier } : {}),
      direct: true,
      ...(dev ? { dev } : {}),
      source: uvSource ?? req.source,
      artifacts: [],
      ...(req.extras.length > 0 ? { extras: req.extras } : {}),
      ...(req.markers !== undefined ? { markers: req.markers } : {}),
      file: source.path,
      ...(line !== undefined ? { line } : {}),
    });
  };

  const project = tableAt(doc, 'project');
  for (const dep of arrayAt(project, 'dependencies') ?? []) pep508(dep, 'dependencies', false);
  for (const [, list] of Object.entries(tableAt(project, 'optional-dependencies') ?? {})) {
    if (Array.isArray(list)) for (const dep of list) pep508(dep, 'optional-dependencies', false);
  }
  for (const [, list] of Object.entries(tableAt(doc, 'dependency-groups') ?? {})) {
    if (!Array.isArray(list)) continue;
    // `{include-group = "x"}` entries reference other groups, which are read in their own right.
    for (const dep of list) if (typeof dep === 'string') pep508(dep, 'dependency-groups', true);
  }

  const poetry = tableAt(doc, 'tool', 'poetry');
  const poetrySources = arrayAt(poetry, 'source') ?? [];
  const poetrySourceUrl = new Map<string, string>();
  for (const entry of poetrySources) {
    if (!isRecord(entry)) continue;
    const name = optString(entry.name);
    const url = optString(entry.url);
    const priority =
      optString(entry.priority) ??
      (entry.default === true ? 'default' : entry.secondary === true ? 'secondary' : 'primary');
    if (name === undefined) continue;
    // A source with no URL is PyPI itself named explicitly.
    if (url === undefined) continue;
    poetrySourceUrl.set(name, url);
    const role: IndexConfig['role'] =
      priority === 'explicit'
        ? 'explicit'
        : priority === 'supplemental' || priority === 'secondary'
          ? 'extra'
          : 'primary';
    indexes.push({ url, name, role, file: source.path, ...lineOpt(source, url) });
  }
  const poetryTable = (table: Record<string, unknown> | undefined, dev: boolean): void => {
    for (const [rawName, spec] of Object.entries(table ?? {})) {
      if (rawName.toLowerCase() === 'python') continue;
      if (!PYPI_NAME.test(rawName))
        throw source.error(`bad package name "${rawName}"`, source.lineOf(rawName));
      const line = source.lineOf(`\n${rawName} `) ?? source.lineOf(`\n${rawName}=`);
      const pkg = poetryDependency(
        rawName,
        spec,
        poetrySourceUrl,
        source.path,
        line !== undefined ? line + 1 : undefined,
        dev,
      );
      if (typeof pkg === 'string') throw source.error(pkg, line !== undefined ? line + 1 : undefined);
      packages.push(pkg);
    }
  };
  poetryTable(tableAt(poetry, 'dependencies'), false);
  poetryTable(tableAt(poetry, 'dev-dependencies'), true);
  for (const [, group] of Object.entries(tableAt(poetry, 'group') ?? {}))
    poetryTable(tableAt(group, 'dependencies'), true);

  return { path: source.path, format: 'pyproject', packages, indexes, notCovered: [], files: [source.path] };
}

function lineOpt(source: SourceText, needle: string): { line?: number } {
  const line = source.lineOf(needle);
  return line !== undefined ? { line } : {};
}

function sourceFromUv(value: unknown, indexes: Map<string, string>): PackageSource | undefined {
  const entry: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (!isRecord(entry)) return undefined;
  const index = optString(entry.index);
  if (index !== undefined) {
    const url = indexes.get(index);
    return { kind: 'registry', ...(url !== undefined ? { url } : {}), alternate: true };
  }
  const git = optString(entry.git);
  if (git !== undefined) {
    const ref = optString(entry.rev) ?? optString(entry.tag) ?? optString(entry.branch);
    return { kind: 'vcs', url: git, ...(ref !== undefined ? { ref } : {}) };
  }
  const url = optString(entry.url);
  if (url !== undefined) return { kind: 'url', url };
  const path = optString(entry.path);
  if (path !== undefined) return { kind: 'path', url: path };
  return undefined;
}

/** A Poetry dependency: `"^1.2"`, `"1.2.3"` (exact), or a table with version/git/url/path/source. */
function poetryDependency(
  rawName: string,
  spec: unknown,
  sources: Map<string, string>,
  file: string,
  line: number | undefined,
  dev: boolean,
): ResolvedPackage | string {
  const base = {
    ecosystem: 'PyPI' as const,
    name: normalizePypiName(rawName),
    displayName: rawName,
    direct: true,
    ...(dev ? { dev } : {}),
    artifacts: [],
    file,
    ...(line !== undefined ? { line } : {}),
  };
  const entry: unknown = Array.isArray(spec) ? (spec as unknown[])[0] : spec;
  const versionText =
    typeof entry === 'string' ? entry : isRecord(entry) ? optString(entry.version) : undefined;
  let source: PackageSource = { kind: 'registry' };
  if (isRecord(entry)) {
    const git = optString(entry.git);
    const url = optString(entry.url);
    const path = optString(entry.path);
    const named = optString(entry.source);
    if (git !== undefined) {
      const ref = optString(entry.rev) ?? optString(entry.tag) ?? optString(entry.branch);
      source = { kind: 'vcs', url: git, ...(ref !== undefined ? { ref } : {}) };
    } else if (url !== undefined) source = directSource(url);
    else if (path !== undefined) source = { kind: 'path', url: path };
    else if (named !== undefined) {
      const sourceUrl = sources.get(named);
      source = { kind: 'registry', ...(sourceUrl !== undefined ? { url: sourceUrl } : {}), alternate: true };
    }
  } else if (typeof entry !== 'string') {
    return `unsupported dependency value for ${rawName}`;
  }
  if (versionText === undefined || versionText === '*')
    return { ...base, source, ...(versionText ? { specifier: '*' } : {}) };
  const exact = /^\s*(?:==)?\s*(\d[A-Za-z0-9.+!-]*)\s*$/.exec(versionText);
  if (exact?.[1] !== undefined) return { ...base, version: exact[1], source };
  return { ...base, specifier: versionText.replace(/\s+/g, ''), source };
}
