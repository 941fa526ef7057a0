import { LIMITS } from '../manifest/limits.js';
import { normalizePypiName, PYPI_NAME } from '../manifest/names.js';
import { isRecord, optString, parseJsonText, type SourceText } from '../manifest/source-text.js';
import type { IndexConfig, Manifest, PackageSource, ResolvedPackage } from '../manifest/types.js';
import { normalizeHash } from './artifacts.js';

/**
 * Pipfile.lock: `_meta.sources` are the indexes (the first is the default); `default` and `develop` map
 * names to `{version: "==X", hashes, index}` or VCS/file entries. The lock has no graph, so packages
 * listed in a sibling Pipfile are direct when the caller passes them, else all are treated as direct.
 */
export function parsePipfileLock(source: SourceText, declared: ReadonlySet<string> | undefined): Manifest {
  const doc = parseJsonText(source);
  if (!isRecord(doc) || !isRecord(doc._meta)) throw source.error('not a Pipfile.lock: no "_meta" object', 1);
  const indexes: IndexConfig[] = [];
  const sourceUrls = new Map<string, string>();
  const sources = Array.isArray(doc._meta.sources) ? doc._meta.sources : [];
  sources.forEach((s, i) => {
    if (!isRecord(s)) return;
    const name = optString(s.name);
    const url = optString(s.url);
    if (url === undefined) return;
    if (name !== undefined) sourceUrls.set(name, url);
    const line = source.lineOf(`"${url}"`);
    indexes.push({
      url,
      ...(name !== undefined ? { name } : {}),
      role: i === 0 ? 'primary' : 'extra',
      file: source.path,
      ...(line !== undefined ? { line } : {}),
    });
  });
  const defaultIndex = sources.length > 0 && isRecord(sources[0]) ? optString(sources[0].name) : undefined;
  const packages: ResolvedPackage[] = [];
  for (const section of ['default', 'develop'] as const) {
    const table = doc[section];
    if (table === undefined) continue;
    if (!isRecord(table)) throw source.error(`"${section}" is not an object`, source.lineOf(`"${section}"`));
    const sectionAt = source.text.indexOf(`"${section}"`);
    for (const [rawName, entry] of Object.entries(table)) {
      const line = source.lineOf(`"${rawName}"`, Math.max(0, sectionAt));
      if (!PYPI_NAME.test(rawName)) throw source.error(`bad package name "${rawName}"`, line);
      if (!isRecord(entry)) throw source.error(`entry for ${rawName} is not an object`, line);
      if (packages.length >= LIMITS.maxPackages) throw source.error('too many packages', line);
      const versionText = optString(entry.version);
      const exact = versionText !== undefined ? /^===?(.+)$/.exec(versionText.trim())?.[1] : undefined;
      const hashes = (Array.isArray(entry.hashes) ? entry.hashes : [])
        .filter((h): h is string => typeof h === 'string')
        .map(normalizeHash);
      const index = optString(entry.index);
      const git = optString(entry.git);
      const file = optString(entry.file) ?? optString(entry.path);
      let pkgSource: PackageSource;
      if (git !== undefined) {
        const ref = optString(entry.ref);
        pkgSource = { kind: 'vcs', url: git, ...(ref !== undefined ? { ref } : {}) };
      } else if (file !== undefined)
        pkgSource = /^[a-z]+:\/\//i.test(file) ? { kind: 'url', url: file } : { kind: 'path', url: file };
      else {
        const url = index !== undefined ? sourceUrls.get(index) : undefined;
        pkgSource = {
          kind: 'registry',
          ...(url !== undefined ? { url } : {}),
          ...(index !== undefined && index !== defaultIndex ? { alternate: true } : {}),
        };
      }
      const name = normalizePypiName(rawName);
      const markers = optString(entry.markers);
      packages.push({
        ecosystem: 'PyPI',
        name,
        displayName: rawName,
        ...(exact !== undefined
          ? { version: exact }
          : versionText !== undefined && versionText !== '*'
            ? { specifier: versionText }
            : {}),
        direct: declared === undefined || declared.size === 0 ? true : declared.has(name),
        ...(section === 'develop' ? { dev: true } : {}),
        source: pkgSource,
        artifacts: hashes.length > 0 ? [{ hashes }] : [],
        ...(markers !== undefined ? { markers } : {}),
        file: source.path,
        ...(line !== undefined ? { line } : {}),
      });
    }
  }
  return {
    path: source.path,
    format: 'pipfile-lock',
    packages,
    indexes,
    notCovered: [],
    files: [source.path],
  };
}
