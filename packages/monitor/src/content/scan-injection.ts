import { KNOWN_ATTACKS } from './known-attacks.js';
import { jaccard, minhash } from './minhash.js';
import { normalizeText } from './normalize.js';
import { PHRASE_FAMILIES, type InjectionCategory } from './injection-patterns.js';

export interface InjectionHit {
  category: InjectionCategory | 'known-attack';
  family: string;
  /** which view of the text matched: base, leetspeak, spacing, base64, hex, rot13 */
  view: string;
  excerpt: string;
}

export interface InjectionVerdict {
  hits: InjectionHit[];
  /** per category, summed weights (capped at 2) */
  scores: Partial<Record<InjectionCategory | 'known-attack', number>>;
  obfuscation: string[];
  similarity: number;
  knownAttack?: string;
  knownTechnique?: string;
}

const KNOWN_SIGS = KNOWN_ATTACKS.map((k) => ({ ...k, sig: minhash(k.text) }));

function excerpt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 20);
  return text.slice(start, Math.min(text.length, index + length + 20)).slice(0, 160);
}

/** Scans one text for injection / jailbreak / system-prompt extraction across its normalised views. */
export function scanInjection(raw: string, maxChars: number, similarityThreshold: number): InjectionVerdict {
  const norm = normalizeText(raw, maxChars);
  const views = [{ kind: 'base', text: norm.text }, ...norm.variants];
  const hits: InjectionHit[] = [];
  const seen = new Set<string>();
  for (const view of views) {
    for (const family of PHRASE_FAMILIES) {
      if (seen.has(family.id)) continue;
      const m = family.pattern.exec(view.text);
      if (!m) continue;
      seen.add(family.id);
      hits.push({
        category: family.category,
        family: family.id,
        view: view.kind,
        excerpt: excerpt(view.text, m.index, m[0].length),
      });
    }
  }
  const scores: InjectionVerdict['scores'] = {};
  for (const h of hits) {
    const family = PHRASE_FAMILIES.find((f) => f.id === h.family);
    const w = family?.weight ?? 0;
    scores[h.category] = Math.min(2, (scores[h.category] ?? 0) + w);
  }
  // Weak signals of different categories support each other (role tags + "new instructions").
  const weakTotal = Object.values(scores).reduce((a, b) => a + Math.min(b, 0.99), 0);
  const verdict: InjectionVerdict = { hits, scores, obfuscation: norm.obfuscation, similarity: 0 };
  if (weakTotal >= 1 && !Object.values(scores).some((v) => v >= 1)) {
    const best = (Object.entries(scores) as [InjectionCategory, number][]).sort((a, b) => b[1] - a[1])[0];
    if (best) scores[best[0]] = 1;
  }
  if (norm.text.length >= 60) {
    const sig = minhash(norm.text);
    for (const k of KNOWN_SIGS) {
      const sim = jaccard(sig, k.sig);
      if (sim > verdict.similarity) {
        verdict.similarity = sim;
        if (sim >= similarityThreshold) {
          verdict.knownAttack = k.id;
          verdict.knownTechnique = k.technique;
        }
      }
    }
    if (verdict.knownAttack !== undefined) {
      scores['known-attack'] = 1;
      hits.push({
        category: 'known-attack',
        family: verdict.knownAttack,
        view: 'base',
        excerpt: norm.text.slice(0, 160),
      });
    }
  }
  return verdict;
}
