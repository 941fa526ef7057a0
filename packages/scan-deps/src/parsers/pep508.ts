import { normalizePypiName, PYPI_NAME } from '../manifest/names.js';
import type { PackageSource } from '../manifest/types.js';

/** One PEP 508 requirement, as far as AtlasGuard needs it. */
export interface Requirement {
  rawName: string;
  name: string;
  extras: string[];
  /** Exact version when the specifier is a single `==X` (no wildcard) or `===X`. */
  version?: string;
  /** The specifier text when present and not an exact pin. */
  specifier?: string;
  markers?: string;
  source: PackageSource;
}

const VCS = /^(git|hg|svn|bzr)\+/i;
const EXACT = /^\s*(?:===\s*([^\s,;]+)|==\s*([^\s,;*]+))\s*$/;

/** Parses a PEP 508 requirement string; returns a message instead of throwing on bad input. */
export function parsePep508(text: string): Requirement | { error: string } {
  let rest = text.trim();
  let markers: string | undefined;
  // A `;` starts markers, except inside a URL requirement where it must be preceded by whitespace.
  const at = rest.indexOf('@');
  const semi = at !== -1 ? rest.search(/\s;/) : rest.indexOf(';');
  if (semi !== -1) {
    markers = rest.slice(semi + 1).trim();
    if (markers.startsWith(';')) markers = markers.slice(1).trim();
    rest = rest.slice(0, semi).trim();
  }
  const nameMatch = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(rest);
  if (!nameMatch?.[1] || !PYPI_NAME.test(nameMatch[1]))
    return { error: `not a valid requirement: ${clip(text)}` };
  const rawName = nameMatch[1];
  rest = rest.slice(rawName.length).trim();
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return { error: `unclosed extras in ${clip(text)}` };
    extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (extras.some((e) => !PYPI_NAME.test(e))) return { error: `bad extra name in ${clip(text)}` };
    rest = rest.slice(close + 1).trim();
  }
  const base = { rawName, name: normalizePypiName(rawName), extras, ...(markers ? { markers } : {}) };
  if (rest.startsWith('@')) {
    const url = rest.slice(1).trim();
    if (url === '' || /\s/.test(url)) return { error: `bad direct reference in ${clip(text)}` };
    return { ...base, source: directSource(url) };
  }
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  if (rest === '') return { ...base, source: { kind: 'registry' } };
  if (!/^(?:(?:===|==|!=|~=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)+$/.test(rest)) {
    return { error: `bad version specifier "${clip(rest)}"` };
  }
  const exact = EXACT.exec(rest);
  const version = exact?.[1] ?? exact?.[2];
  if (version !== undefined) return { ...base, version, source: { kind: 'registry' } };
  return { ...base, specifier: rest.replace(/\s+/g, ''), source: { kind: 'registry' } };
}

/** The source of a URL requirement: VCS (with its ref), an archive URL, or a local path. */
export function directSource(url: string): PackageSource {
  if (VCS.test(url)) {
    const bare = url.replace(/#.*$/, '');
    const atRef = /@([^/@]+)$/.exec(bare.replace(/^[a-z+]+:\/\/[^/]*@/i, ''));
    return { kind: 'vcs', url: bare.replace(/@[^/@]+$/, ''), ...(atRef?.[1] ? { ref: atRef[1] } : {}) };
  }
  if (/^file:/i.test(url) || url.startsWith('.') || url.startsWith('/')) return { kind: 'path', url };
  return { kind: 'url', url };
}

/** A full 40/64-hex commit id (immutable), unlike a branch or tag. */
export function isCommitRef(ref: string | undefined): boolean {
  return ref !== undefined && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(ref);
}

/** The `#egg=name` or `#sha256=` fragment of a URL. */
export function urlFragment(url: string, key: string): string | undefined {
  const hash = url.indexOf('#');
  if (hash === -1) return undefined;
  for (const part of url.slice(hash + 1).split('&')) {
    const [k, v] = part.split('=');
    if (k === key && v !== undefined && v !== '') return v;
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
