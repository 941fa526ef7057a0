import { LIMITS } from '../manifest/limits.js';
import { NPM_NAME } from '../manifest/names.js';
import { isRecord, optString, parseJsonText, type SourceText } from '../manifest/source-text.js';
import type { Manifest, PackageSource, ResolvedPackage } from '../manifest/types.js';

/** Lines of every `"node_modules/...": {` key, in one pass. */
function keyLines(source: SourceText): Map<string, number> {
  const lines = new Map<string, number>();
  const re = /^\s*"((?:[^"\\]|\\.)*node_modules\/(?:[^"\\]|\\.)*)"\s*:\s*\{/gm;
  let line = 1;
  let last = 0;
  const text = source.text;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    if (m[1] !== undefined) lines.set(m[1], line);
  }
  return lines;
}

/**
 * npm package-lock.json / npm-shrinkwrap.json, lockfileVersion 2 and 3 (the `packages` map). Nested
 * `node_modules` paths give several versions of one name; `link` entries (workspaces) are skipped.
 */
export function parsePackageLock(source: SourceText): Manifest {
  const doc = parseJsonText(source);
  if (!isRecord(doc)) throw source.error('not a package-lock.json: top level is not an object', 1);
  const version = doc.lockfileVersion;
  if (version === 1 || !isRecord(doc.packages)) {
    throw source.error(
      `package-lock.json lockfileVersion ${String(version)} is not supported`,
      source.lineOf('"lockfileVersion"'),
      'regenerate it with npm 7 or later (lockfileVersion 2 or 3)',
    );
  }
  const entries = Object.entries(doc.packages);
  if (entries.length > LIMITS.maxPackages) throw source.error('too many packages', 1);
  const root = isRecord(doc.packages['']) ? doc.packages[''] : {};
  const directNames = new Set<string>();
  const devDirect = new Set<string>();
  for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies']) {
    const table = root[key];
    if (isRecord(table))
      for (const n of Object.keys(table)) (key === 'devDependencies' ? devDirect : directNames).add(n);
  }
  const lines = keyLines(source);
  const packages: ResolvedPackage[] = [];
  const registries = new Map<string, number>();
  const hostOf = (resolved: string | undefined): string | undefined => {
    if (resolved === undefined || !/^https?:\/\//i.test(resolved)) return undefined;
    try {
      return new URL(resolved).origin;
    } catch {
      return undefined;
    }
  };
  for (const [, entry] of entries) {
    if (isRecord(entry)) {
      const host = hostOf(optString(entry.resolved));
      if (host !== undefined) registries.set(host, (registries.get(host) ?? 0) + 1);
    }
  }
  const defaultRegistry = [...registries.entries()].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  )[0]?.[0];
  for (const [path, entry] of entries) {
    if (path === '' || !path.includes('node_modules/')) continue;
    const line = lines.get(path);
    if (!isRecord(entry)) throw source.error(`entry "${path}" is not an object`, line);
    if (entry.link === true) continue;
    const name =
      optString(entry.name) ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!NPM_NAME.test(name)) throw source.error(`bad package name "${name}"`, line);
    const version = optString(entry.version);
    if (version === undefined) throw source.error(`package ${name} has no version`, line);
    const resolved = optString(entry.resolved);
    const integrity = optString(entry.integrity);
    let pkgSource: PackageSource = { kind: 'registry' };
    if (resolved !== undefined) {
      if (/^git(\+|:)/.test(resolved) || /^github:/.test(resolved)) {
        const ref = /#(.+)$/.exec(resolved)?.[1];
        pkgSource = { kind: 'vcs', url: resolved.replace(/#.*$/, ''), ...(ref !== undefined ? { ref } : {}) };
      } else if (resolved.startsWith('file:')) pkgSource = { kind: 'path', url: resolved };
      else {
        const host = hostOf(resolved);
        const isTarball = /\/-\/[^/]+\.tgz$/.test(resolved);
        pkgSource =
          isTarball || host === defaultRegistry
            ? {
                kind: 'registry',
                ...(host !== undefined ? { url: host } : {}),
                ...(host !== defaultRegistry ? { alternate: true } : {}),
              }
            : { kind: 'url', url: resolved };
      }
    }
    const isTop = path === `node_modules/${name}`;
    const dev = entry.dev === true || entry.devOptional === true;
    packages.push({
      ecosystem: 'npm',
      name: name.toLowerCase(),
      displayName: name,
      version,
      direct: isTop && (directNames.has(name) || devDirect.has(name)),
      ...(dev ? { dev } : {}),
      source: pkgSource,
      artifacts:
        integrity !== undefined
          ? [
              {
                ...(resolved !== undefined ? { file: resolved.split('/').pop() ?? resolved } : {}),
                hashes: integrity.split(/\s+/).filter((h) => h !== ''),
              },
            ]
          : [],
      file: source.path,
      ...(line !== undefined ? { line } : {}),
    });
  }
  return {
    path: source.path,
    format: 'package-lock',
    packages,
    indexes: [],
    notCovered: [],
    files: [source.path],
  };
}
