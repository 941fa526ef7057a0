/** Most tokens read from one document (the rest is ignored for vocabulary and near-duplicate search). */
export const MAX_TOKENS_PER_DOC = 5000;
const MAX_TOKEN_LENGTH = 40;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu;

/** Lower-cased word tokens (letters and digits), in order. */
export function tokenize(text: string, max = MAX_TOKENS_PER_DOC): string[] {
  // String#match with a global pattern returns the strings only (no match objects); a very long text is
  // matched in pieces so that the array stays bounded (a piece boundary may split one token)
  const out: string[] = [];
  const piece = 262_144;
  for (let start = 0; start < text.length && out.length < max; start += piece) {
    const part = text.length <= piece ? text : text.slice(start, start + piece);
    const found = part.toLowerCase().match(TOKEN);
    if (!found) continue;
    for (const t of found) {
      out.push(t.length > MAX_TOKEN_LENGTH ? t.slice(0, MAX_TOKEN_LENGTH) : t);
      if (out.length >= max) break;
    }
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
