/** Most tokens read from one document (the rest is ignored for vocabulary and near-duplicate search). */
export const MAX_TOKENS_PER_DOC = 5000;
const MAX_TOKEN_LENGTH = 40;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu;

/** Lower-cased word tokens (letters and digits), in order. */
export function tokenize(text: string, max = MAX_TOKENS_PER_DOC): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (const m of text.toLowerCase().matchAll(TOKEN)) {
    const t = m[0];
    out.push(t.length > MAX_TOKEN_LENGTH ? t.slice(0, MAX_TOKEN_LENGTH) : t);
    if (out.length >= max) break;
  }
  return out;
}

/** Distinct unigrams and bigrams of a document ("a b" for a bigram). */
export function termSet(tokens: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    set.add(t);
    const next = tokens[i + 1];
    if (next !== undefined) set.add(`${t} ${next}`);
  }
  return set;
}

/** Text normalised for exact-duplicate detection: lower case, whitespace collapsed. */
export function normalizeForDuplicates(text: string): string {
  return text.toLowerCase().replace(/\s+/gu, ' ').trim();
}
