import { LIMITS } from '../manifest/limits.js';
import { normalizeName } from '../manifest/names.js';
import { isRecord, optString, parseJsonText, type SourceText } from '../manifest/source-text.js';
import type { Ecosystem, Manifest, ResolvedPackage } from '../manifest/types.js';

/** Percent-decoding that keeps malformed escapes as written instead of throwing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Map<string, string>;
}

/** Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`). */
export function parsePurl(purl: string): Purl | undefined {
  const m = /^pkg:([A-Za-z.+-]+)\/([^?#]+?)(?:@([^?#]+))?(?:\?([^#]*))?(?:#.*)?$/.exec(purl);
  if (!m?.[1] || !m[2]) return undefined;
  const segments = m[2].split('/').map((s) => safeDecode(s));
  const name = segments.pop();
  if (name === undefined || name === '') return undefined;
  const qualifiers = new Map<string, string>();
  for (const pair of (m[4] ?? '').split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) qualifiers.set(pair.slice(0, eq).toLowerCase(), safeDecode(pair.slice(eq + 1)));
  }
  return {
    type: m[1].toLowerCase(),
    ...(segments.length > 0 ? { namespace: segments.join('/') } : {}),
    name,
    ...(m[3] !== undefined ? { version: safeDecode(m[3]) } : {}),
    qualifiers,
  };
}

const ALGOS: Record<string, string> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-1': 'sha1',
  MD5: 'md5',
};

/**
 * CycloneDX JSON SBOM (1.2–1.7): components with `pkg:pypi` / `pkg:npm` / `pkg:conda` purls (nested
 * components included). Direct dependencies come from the `dependencies` graph of the root component.
 */
export function parseCycloneDx(source: SourceText): Manifest {
  const doc = parseJsonText(source);
  if (!isRecord(doc) || doc.bomFormat !== 'CycloneDX') {
    throw source.error(
      'not a CycloneDX SBOM: "bomFormat" is not "CycloneDX"',
      source.lineOf('"bomFormat"') ?? 1,
    );
  }
  const rootRef =
    isRecord(doc.metadata) && isRecord(doc.metadata.component)
      ? optString(doc.metadata.component['bom-ref'])
      : undefined;
  const direct = new Set<string>();
  if (rootRef !== undefined && Array.isArray(doc.dependencies)) {
    for (const d of doc.dependencies) {
      if (isRecord(d) && d.ref === rootRef && Array.isArray(d.dependsOn))
        for (const r of d.dependsOn) if (typeof r === 'string') direct.add(r);
    }
  }
  const packages: ResolvedPackage[] = [];
  const notCovered: ResolvedPackage[] = [];
  let searchFrom = 0;
  const walk = (list: unknown, depth: number): void => {
    if (!Array.isArray(list)) return;
    if (depth > 32) throw source.error('components nested too deeply', undefined);
    for (const c of list) {
      if (!isRecord(c)) continue;
      if (packages.length + notCovered.length >= LIMITS.maxPackages)
        throw source.error('too many components', undefined);
      const purlText = optString(c.purl);
      const at =
        purlText !== undefined ? source.text.indexOf(JSON.stringify(purlText).slice(1, -1), searchFrom) : -1;
      if (at !== -1) searchFrom = at;
      const line = at !== -1 ? source.position(at).line : undefined;
      const purl = purlText !== undefined ? parsePurl(purlText) : undefined;
      if (purlText !== undefined && purl === undefined) throw source.error(`bad purl ${purlText}`, line);
      if (purl !== undefined) {
        const ecosystem: Ecosystem | undefined =
          purl.type === 'pypi'
            ? 'PyPI'
            : purl.type === 'npm'
              ? 'npm'
              : purl.type === 'conda'
                ? 'conda'
                : undefined;
        if (ecosystem !== undefined) {
          const display =
            ecosystem === 'npm' && purl.namespace !== undefined
              ? `${purl.namespace}/${purl.name}`
              : purl.name;
          const hashes = (Array.isArray(c.hashes) ? c.hashes : [])
            .filter(isRecord)
            .map((h) => {
              const alg = ALGOS[optString(h.alg) ?? ''];
              const content = optString(h.content);
              return alg !== undefined && content !== undefined
                ? `${alg}:${content.toLowerCase()}`
                : undefined;
            })
            .filter((h): h is string => h !== undefined);
          const ref = optString(c['bom-ref']);
          const repo = purl.qualifiers.get('repository_url');
          const p: ResolvedPackage = {
            ecosystem,
            name: normalizeName(ecosystem, display),
            displayName: display,
            ...(purl.version !== undefined ? { version: purl.version } : {}),
            direct: direct.size === 0 || (ref !== undefined && direct.has(ref)),
            source: { kind: 'registry', ...(repo !== undefined ? { url: repo, alternate: true } : {}) },
            artifacts: hashes.length > 0 ? [{ hashes }] : [],
            file: source.path,
            ...(line !== undefined ? { line } : {}),
          };
          (ecosystem === 'conda' ? notCovered : packages).push(p);
        }
      }
      walk(c.components, depth + 1);
    }
  };
  walk(doc.components, 0);
  return { path: source.path, format: 'cyclonedx', packages, indexes: [], notCovered, files: [source.path] };
}
