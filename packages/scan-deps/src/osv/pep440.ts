// PEP 440 version parsing and ordering, parsed once per distinct string. The grammar is the one in the
// PEP's appendix ("parsing version strings with regular expressions"); the ordering follows the PEP's
// rules: epoch, release (trailing zeros ignored), dev-only releases before pre-releases, pre-releases
// (a < b < rc) before the final release, post-releases after it, then dev of each, then local labels.

const VERSION =
  /^v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

/** A parsed version reduced to comparable parts. Numbers stay strings (no precision limit). */
export interface Pep440Version {
  epoch: string;
  /** Release numbers without leading zeros, trailing zero components removed. */
  release: string[];
  /** 0 alpha, 1 beta, 2 rc; undefined for none. */
  preKind?: number;
  pre: string;
  post?: string;
  dev?: string;
  /** Lowercase parts; numeric ones as `#<digits>`. */
  local?: string[];
}

function num(digits: string | undefined): string {
  if (digits === undefined) return '0';
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** Compares two canonical (no leading zero) decimal strings of any length. */
function cmpNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

const PRE_KIND: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/** Parses a PEP 440 version (the same strings the PEP's regular expression accepts); undefined otherwise. */
export function parsePep440(text: string): Pep440Version | undefined {
  if (text.length > 256) return undefined;
  const m = VERSION.exec(text);
  if (m === null) return undefined;
  const release = (m[2] ?? '0').split('.').map(num);
  while (release.length > 1 && release[release.length - 1] === '0') release.pop();
  const out: Pep440Version = { epoch: num(m[1]), release, pre: '0' };
  if (m[3] !== undefined) {
    out.preKind = PRE_KIND[m[3].toLowerCase()] ?? 2;
    out.pre = num(m[4]);
  }
  if (m[5] !== undefined) out.post = num(m[5]);
  else if (m[6] !== undefined) out.post = num(m[7]);
  if (m[8] !== undefined) out.dev = num(m[9]);
  if (m[10] !== undefined) {
    // Numeric local parts compare numerically and after alphanumeric ones: marked with a leading `#`.
    out.local = m[10]
      .toLowerCase()
      .split(/[-_.]/)
      .map((part) => (/^\d+$/.test(part) ? `#${num(part)}` : part));
  }
  return out;
}

function cmpRelease(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

/** Pre-release position: dev-only releases sort before any pre-release, finals after all of them. */
function preRank(v: Pep440Version): [number, string] {
  if (v.preKind !== undefined) return [v.preKind, v.pre];
  if (v.post === undefined && v.dev !== undefined) return [-1, '0'];
  return [3, '0'];
}

function cmpLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = x.startsWith('#');
    const yn = y.startsWith('#');
    if (xn && yn) {
      const c = cmpNum(x.slice(1), y.slice(1));
      if (c !== 0) return c;
    } else if (xn !== yn) {
      return xn ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** PEP 440 ordering of two parsed versions: -1, 0 or 1. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let c = cmpNum(a.epoch, b.epoch);
  if (c !== 0) return c;
  c = cmpRelease(a.release, b.release);
  if (c !== 0) return c;
  const [ak, an] = preRank(a);
  const [bk, bn] = preRank(b);
  if (ak !== bk) return ak < bk ? -1 : 1;
  c = cmpNum(an, bn);
  if (c !== 0) return c;
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    c = cmpNum(a.post, b.post);
    if (c !== 0) return c;
  }
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    c = cmpNum(a.dev, b.dev);
    if (c !== 0) return c;
  }
  return cmpLocal(a.local, b.local);
}
