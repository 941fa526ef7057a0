import type { TermCounts } from '../profile/text-accumulator.js';
import type { TextProfile } from '../profile/profile-schema.js';

/** Defaults from the research notes: count ≥ 5, P(label | term) ≥ 0.95, ≥ 10× the baseline rate. */
export const TRIGGER_DEFAULTS = { minDocs: 5, minPurity: 0.95, minRateRatio: 10, alpha: 0.01 };

export interface TriggerTerm {
  term: string;
  label: string;
  batchDocs: number;
  labelDocs: number;
  baselineDocs: number;
  purity: number;
  rateRatio: number;
  pValue: number;
}

/** log P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
function logBinomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const logp = Math.log(p);
  const logq = Math.log1p(-p);
  let logCoef = 0; // log C(n, k) built incrementally
  for (let i = 0; i < k; i++) logCoef += Math.log(n - i) - Math.log(i + 1);
  let best = -Infinity;
  let sum = 0;
  let term = logCoef + k * logp + (n - k) * logq;
  for (let x = k; x <= n; x++) {
    if (term > best) {
      sum = sum * Math.exp(best - term) + 1;
      best = term;
    } else sum += Math.exp(term - best);
    term += Math.log(n - x) - Math.log(x + 1) + logp - logq;
    if (x > k + 200 && term < best - 40) break;
  }
  return best + Math.log(sum);
}

/**
 * Terms (words and word pairs) that are frequent in the batch, nearly always carry one label there, and are
 * much more common than in the baseline: the signature of a planted backdoor trigger. The excess over the
 * baseline is tested with a one-sided binomial test, Bonferroni-corrected over the candidates.
 */
export function findTriggerTerms(
  batch: TermCounts,
  batchDocs: number,
  batchLabels: readonly string[],
  baseline: TextProfile,
  options = TRIGGER_DEFAULTS,
): TriggerTerm[] {
  const baseDf = new Map<string, { df: number; byLabel: number[] }>();
  for (const [t, df, byLabel] of baseline.vocabulary.terms) baseDf.set(t, { df, byLabel });
  const unknownDf = Math.max(0, baseline.vocabulary.minStoredDf - 1);
  const nBase = Math.max(1, baseline.docs);
  const candidates: Array<Omit<TriggerTerm, 'pValue'> & { logP: number }> = [];
  // Bonferroni over every term frequent enough to be tested, not only those that pass the other filters
  let tested = 0;
  for (const [term, entry] of batch.entries(options.minDocs)) {
    const df = entry[0] ?? 0;
    tested++;
    let bestLabel = -1;
    let bestCount = 0;
    for (let i = 1; i < entry.length; i++) {
      if ((entry[i] ?? 0) > bestCount) {
        bestCount = entry[i] ?? 0;
        bestLabel = i - 1;
      }
    }
    if (bestLabel < 0) continue;
    const purity = bestCount / df;
    if (purity < options.minPurity) continue;
    const base = baseDf.get(term);
    const bdf = base?.df ?? unknownDf;
    const rateRatio = df / batchDocs / (Math.max(bdf, 0.5) / nBase);
    if (rateRatio < options.minRateRatio) continue;
    const p = batchDocs / (batchDocs + nBase);
    const logP = logBinomialTail(df, df + bdf, p);
    candidates.push({
      term,
      label: batchLabels[bestLabel] ?? '',
      batchDocs: df,
      labelDocs: bestCount,
      baselineDocs: bdf,
      purity,
      rateRatio,
      logP,
    });
  }
  const tests = Math.max(1, tested);
  const logAlpha = Math.log(options.alpha / tests);
  return candidates
    .filter((c) => c.logP <= logAlpha)
    .map(({ logP, ...c }) => ({ ...c, pValue: Math.min(1, Math.exp(logP) * tests) }))
    .sort((a, b) => b.batchDocs - a.batchDocs || (a.term < b.term ? -1 : 1));
}

/**
 * Keeps the terms that explain the rows: a word pair whose words are both triggers, or a word inside a
 * trigger pair with the same rows, adds nothing new. Returns the terms to match rows against.
 */
export function triggerIndex(triggers: readonly TriggerTerm[]): Map<string, TriggerTerm> {
  return new Map(triggers.map((t) => [t.term, t]));
}
