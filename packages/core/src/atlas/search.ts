import type { Catalog } from './catalog.js';
import type { AtlasObject } from './catalog-types.js';
import { plainText } from './links.js';
import { stem, terms, tokenize } from './text-tokens.js';

export type AtlasKind = AtlasObject['kind'];

export interface SearchResult {
  id: string;
  kind: AtlasKind;
  name: string;
  score: number;
  /** A short passage of the description around the first match, or its beginning. */
  snippet: string;
}

export interface SearchOptions {
  /** Most results returned; default 10. */
  limit?: number;
  /** Only these kinds; default all. */
  kinds?: readonly AtlasKind[];
}

interface Doc {
  id: string;
  /** Multiplier for equally relevant text: techniques seen in more case studies rank a little higher. */
  prior: number;
  kind: AtlasKind;
  name: string;
  text: string;
  nameTerms: string[];
  textTerms: string[];
}

interface Index {
  docs: Doc[];
  df: Map<string, number>;
  avgName: number;
  avgText: number;
}

// BM25F-style ranking: names weigh more than descriptions; every query term must earn its place (documents
// matching all terms beat documents matching one often); exact IDs and ID prefixes come first.
const NAME_WEIGHT = 3;
const TEXT_WEIGHT = 1;
const K1 = 1.2;
const B = 0.75;
const KIND_ORDER: readonly AtlasKind[] = ['technique', 'tactic', 'mitigation', 'case-study'];

const indexCache = new WeakMap<Catalog, Index>();

function buildIndex(catalog: Catalog): Index {
  const docs: Doc[] = [];
  // Sub-techniques are indexed under "Parent: Name", since their own names ("Direct") say little alone.
  const add = (
    id: string,
    kind: AtlasKind,
    name: string,
    description: string,
    indexName = name,
    prior = 1,
  ): void => {
    const text = plainText(description);
    docs.push({ id, prior, kind, name, text, nameTerms: terms(indexName), textTerms: terms(text) });
  };
  for (const t of catalog.tactics) add(t.id, 'tactic', t.name, t.description);
  for (const t of catalog.techniques) {
    const parent = t.parent === undefined ? undefined : catalog.technique(t.parent);
    const studies =
      t.caseStudies.incidents.length + t.caseStudies.exercises.length + t.caseStudies.other.length;
    const indexName = parent ? `${parent.name}: ${t.name}` : t.name;
    add(t.id, 'technique', t.name, t.description, indexName, 1 + 0.1 * Math.log2(1 + studies));
  }
  for (const m of catalog.mitigations) add(m.id, 'mitigation', m.name, m.description);
  for (const c of catalog.caseStudies) add(c.id, 'case-study', c.name, c.summary);
  const df = new Map<string, number>();
  for (const doc of docs) {
    for (const term of new Set([...doc.nameTerms, ...doc.textTerms])) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const avg = (f: (d: Doc) => number): number =>
    docs.length === 0 ? 1 : Math.max(1, docs.reduce((sum, d) => sum + f(d), 0) / docs.length);
  return { docs, df, avgName: avg((d) => d.nameTerms.length), avgText: avg((d) => d.textTerms.length) };
}

function indexOf(catalog: Catalog): Index {
  let index = indexCache.get(catalog);
  if (!index) {
    index = buildIndex(catalog);
    indexCache.set(catalog, index);
  }
  return index;
}

/** How often `term` occurs in `tokens`: exact stems count 1, a longer word starting with it counts ½. */
function frequency(term: string, tokens: readonly string[]): number {
  let tf = 0;
  for (const token of tokens) {
    if (token === term) tf += 1;
    else if (term.length >= 4 && token.startsWith(term)) tf += 0.5;
  }
  return tf;
}

function saturate(tf: number, length: number, average: number): number {
  if (tf === 0) return 0;
  return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / average));
}

const ID_QUERY = /^(?:aml\.)?(ta|t|m|cs)(\d{1,4})((?:\.\d{0,3})?)$/i;

/** `t0051`, `AML.T0051.0`, `aml.m15` → the ID prefix they stand for. */
function idPrefix(query: string): string | undefined {
  const match = ID_QUERY.exec(query.trim());
  if (!match) return undefined;
  const [, kind = '', digits = '', sub = ''] = match;
  const padded = digits.length === 4 ? digits : digits.padStart(4, '0');
  return `AML.${kind.toUpperCase()}${padded}${sub}`;
}

function snippetOf(text: string, queryTerms: readonly string[], width = 160): string {
  if (text.length <= width) return text;
  const words = text.split(' ');
  let start = 0;
  let offset = 0;
  for (const word of words) {
    const token = stem(tokenize(word)[0] ?? '');
    if (queryTerms.some((q) => token === q || (q.length >= 4 && token.startsWith(q)))) {
      start = offset;
      break;
    }
    offset += word.length + 1;
  }
  // Start a little before the match, at a word boundary.
  let from = Math.max(0, start - 40);
  if (from > 0) from = text.indexOf(' ', from) + 1;
  let to = Math.min(text.length, from + width);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from) to = space;
  }
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/** Ranked full-text search over IDs, names and descriptions of every tactic, technique, mitigation and case study. */
export function searchCatalog(catalog: Catalog, query: string, options: SearchOptions = {}): SearchResult[] {
  const limit = options.limit ?? 10;
  const kinds = options.kinds;
  const index = indexOf(catalog);
  const queryTerms = [...new Set(terms(query))];
  const prefix = idPrefix(query);
  const phrase = tokenize(query).join(' ');
  const n = index.docs.length;
  const scored: SearchResult[] = [];
  for (const doc of index.docs) {
    if (kinds && !kinds.includes(doc.kind)) continue;
    let score = 0;
    if (prefix !== undefined) {
      if (doc.id === prefix) score += 1000;
      else if (doc.id.startsWith(prefix)) score += 500 - doc.id.length;
    }
    let matched = 0;
    let termScore = 0;
    for (const term of queryTerms) {
      const df = index.df.get(term) ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const name = saturate(frequency(term, doc.nameTerms), doc.nameTerms.length, index.avgName);
      const text = saturate(frequency(term, doc.textTerms), doc.textTerms.length, index.avgText);
      if (name + text > 0) matched++;
      termScore += idf * (NAME_WEIGHT * name + TEXT_WEIGHT * text);
    }
    if (queryTerms.length > 0) {
      const coverage = matched / queryTerms.length;
      score += termScore * coverage * coverage * doc.prior;
      if (phrase.length > 0 && queryTerms.length > 1) {
        if (doc.nameTerms.length > 0 && tokenize(doc.name).join(' ').includes(phrase)) score += 10;
        else if (tokenize(doc.text).join(' ').includes(phrase)) score += 3;
      }
    }
    if (score <= 0) continue;
    scored.push({
      id: doc.id,
      kind: doc.kind,
      name: doc.name,
      score: Math.round(score * 1000) / 1000,
      snippet: snippetOf(doc.text, queryTerms),
    });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.id.localeCompare(b.id),
  );
  return scored.slice(0, Math.max(0, limit));
}
