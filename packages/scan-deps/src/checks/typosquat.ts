import {
  KNOWN_LEGITIMATE_NPM,
  KNOWN_LEGITIMATE_PYPI,
  POPULAR_NPM,
  POPULAR_PYPI,
} from '../data/popular-packages.js';
import type { Ecosystem } from '../manifest/types.js';

export interface TyposquatMatch {
  /** The popular package the name imitates. */
  target: string;
  technique: 'edit-distance' | 'separators' | 'homoglyph' | 'affix';
  distance?: number;
  confidence: number;
}

/** Optimal-string-alignment (restricted Damerau-Levenshtein) distance, giving up above `max`. */
export function boundedDamerau(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? max + 1;
}

// Characters that look alike in a package listing: digits for letters, Cyrillic and Greek lookalikes.
const GLYPHS: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  i: 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '\u0430': 'a',
  '\u0435': 'e',
  '\u043e': 'o',
  '\u0440': 'p',
  '\u0441': 'c',
  '\u0445': 'x',
  '\u0443': 'y',
  '\u0456': 'l',
  '\u0458': 'j',
  '\u0455': 's',
  '\u03bf': 'o',
  '\u03b1': 'a',
  '\u03c1': 'p',
  '\u03b5': 'e',
  '\u0131': 'l',
};

/** A "looks like" key: separators dropped, lookalike characters and digraphs folded. */
export function skeleton(name: string): string {
  let out = '';
  for (const ch of name.toLowerCase().normalize('NFKC')) {
    if (ch === '-' || ch === '_' || ch === '.') continue;
    out += GLYPHS[ch] ?? ch;
  }
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd');
}

const PREFIXES = ['py', 'python', 'pypi', 'lib', 'get', 'the', 'real', 'official', 'secure', 'fast'];
const SUFFIXES = [
  'py',
  'python',
  'python3',
  'nightly',
  'dev',
  'sdk',
  'lib',
  'api',
  'client',
  'official',
  'latest',
  'new',
  'pro',
  'plus',
  '2',
  '3',
  'x',
];

interface Target {
  name: string;
  collapsed: string;
  skeleton: string;
}

class TyposquatIndex {
  private readonly targets: Target[];
  private readonly popular: Set<string>;
  private readonly legitimate: Set<string>;
  private readonly bySkeleton = new Map<string, string>();

  constructor(popular: readonly string[], legitimate: readonly string[]) {
    this.popular = new Set(popular);
    this.legitimate = new Set(legitimate);
    this.targets = popular.map((name) => ({
      name,
      collapsed: name.replace(/[-_.]/g, ''),
      skeleton: skeleton(name),
    }));
    for (const t of this.targets)
      if (!this.bySkeleton.has(t.skeleton)) this.bySkeleton.set(t.skeleton, t.name);
  }

  match(name: string): TyposquatMatch | undefined {
    if (this.popular.has(name) || this.legitimate.has(name)) return undefined;
    // Scoped npm names: compare the full name (scope squats) and the bare name.
    const collapsed = name.replace(/[-_.]/g, '');
    for (const t of this.targets) {
      if (collapsed === t.collapsed) return { target: t.name, technique: 'separators', confidence: 0.9 };
    }
    const sk = skeleton(name);
    const glyph = this.bySkeleton.get(sk);
    if (glyph !== undefined) return { target: glyph, technique: 'homoglyph', confidence: 0.9 };
    let best: TyposquatMatch | undefined;
    for (const t of this.targets) {
      // Short names have too many legitimate one-letter neighbours to judge by distance alone.
      const max = t.name.length >= 10 ? 2 : t.name.length >= 5 ? 1 : 0;
      if (max === 0) continue;
      const d = boundedDamerau(name, t.name, max);
      if (d <= max && (best?.distance === undefined || d < best.distance)) {
        best = { target: t.name, technique: 'edit-distance', distance: d, confidence: d === 1 ? 0.8 : 0.6 };
      }
    }
    if (best !== undefined) return best;
    for (const t of this.targets) {
      if (t.name.length < 4) continue;
      const bare = t.name.startsWith('@') ? t.name.slice(t.name.indexOf('/') + 1) : t.name;
      for (const p of PREFIXES) {
        if (collapsed === `${p}${t.collapsed}` || name === `${p}-${bare}`)
          return { target: t.name, technique: 'affix', confidence: 0.6 };
      }
      for (const s of SUFFIXES) {
        if (collapsed === `${t.collapsed}${s}` || name === `${bare}-${s}`)
          return { target: t.name, technique: 'affix', confidence: 0.6 };
      }
    }
    return undefined;
  }
}

let pypi: TyposquatIndex | undefined;
let npm: TyposquatIndex | undefined;

/** The popular package a (normalised) name imitates, if any. Known legitimate neighbours are never flagged. */
export function findTyposquat(ecosystem: Ecosystem, name: string): TyposquatMatch | undefined {
  if (ecosystem === 'PyPI')
    return (pypi ??= new TyposquatIndex(POPULAR_PYPI, KNOWN_LEGITIMATE_PYPI)).match(name);
  if (ecosystem === 'npm') return (npm ??= new TyposquatIndex(POPULAR_NPM, KNOWN_LEGITIMATE_NPM)).match(name);
  return undefined;
}
