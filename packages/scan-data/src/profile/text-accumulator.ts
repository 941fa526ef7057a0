import { findCssHiddenText, type CssHiddenHit } from '../text/hidden-html.js';
import { findHiddenInstructions, charClassShares } from '../text/hidden-instructions.js';
import { termSet } from '../text/tokenize.js';
import { Reservoir } from '../stats/rng.js';
import { numericSummary, NUMERIC_SAMPLE } from './column-accumulator.js';
import type { LabelIndex } from './label-index.js';
import { robustStats } from './label-index.js';
import type { TextProfile } from './profile-schema.js';

/** Most distinct terms counted at once; past it, the rarest are pruned (lossy counting). */
export const MAX_COUNTED_TERMS = 1_000_000;
/** Most terms stored in a profile (the most frequent). */
export const MAX_STORED_TERMS = 30_000;

/** Vocabulary counts: document frequency per term and per label. */
export class TermCounts {
  /** term → [df, count for label 0, count for label 1, ...] */
  readonly terms = new Map<string, number[]>();
  pruneDf = 0;
  rare = 0;

  add(terms: Iterable<string>, label: number): void {
    const slot = label === 0xffff ? -1 : label + 1;
    for (const t of terms) {
      let entry = this.terms.get(t);
      if (!entry) {
        entry = [0];
        this.terms.set(t, entry);
      }
      entry[0] = (entry[0] ?? 0) + 1;
      if (slot > 0) {
        while (entry.length <= slot) entry.push(0);
        entry[slot] = (entry[slot] ?? 0) + 1;
      }
    }
    if (this.terms.size > MAX_COUNTED_TERMS) this.prune();
  }

  private prune(): void {
    while (this.terms.size > MAX_COUNTED_TERMS * 0.7) {
      this.pruneDf++;
      for (const [t, e] of this.terms) if ((e[0] ?? 0) <= this.pruneDf) this.terms.delete(t);
    }
  }

  df(term: string): number {
    return this.terms.get(term)?.[0] ?? 0;
  }
}

export class TextAccumulator {
  docs = 0;
  readonly lengths: Reservoir<number>;
  readonly lengthMoments = { n: 0, sum: 0, sumSq: 0, min: Infinity, max: -Infinity };
  readonly charSums = { letter: 0, digit: 0, space: 0, punct: 0, nonAscii: 0 };
  readonly logLengthByLabel = new Map<number, Reservoir<number>>();
  readonly vocab = new TermCounts();
  hiddenDocs = 0;
  cssHiddenDocs = 0;

  constructor(
    readonly field: string,
    private readonly seed: number,
  ) {
    this.lengths = new Reservoir<number>(NUMERIC_SAMPLE, seed ^ 0x1e);
  }

  /** Adds one document; returns its term set and hidden-text hits for row-level checks. */
  add(
    text: string,
    tokens: readonly string[],
    label: number,
  ): {
    terms: Set<string>;
    hidden: ReturnType<typeof findHiddenInstructions>;
    cssHidden: CssHiddenHit[];
  } {
    this.docs++;
    const len = text.length;
    this.lengths.add(len);
    const m = this.lengthMoments;
    m.n++;
    m.sum += len;
    m.sumSq += len * len;
    if (len < m.min) m.min = len;
    if (len > m.max) m.max = len;
    const cc = charClassShares(text);
    this.charSums.letter += cc.letter;
    this.charSums.digit += cc.digit;
    this.charSums.space += cc.space;
    this.charSums.punct += cc.punct;
    this.charSums.nonAscii += cc.nonAscii;
    let r = this.logLengthByLabel.get(label);
    if (!r) {
      r = new Reservoir<number>(2000, this.seed ^ (label + 7));
      this.logLengthByLabel.set(label, r);
    }
    r.add(Math.log1p(len));
    const terms = termSet(tokens);
    this.vocab.add(terms, label);
    const hidden = findHiddenInstructions(text);
    if (hidden.length > 0) this.hiddenDocs++;
    const cssHidden = findCssHiddenText(text);
    if (cssHidden.length > 0) this.cssHiddenDocs++;
    return { terms, hidden, cssHidden };
  }

  finish(labels: LabelIndex): TextProfile {
    const entries = [...this.vocab.terms.entries()].filter(([, e]) => (e[0] ?? 0) >= 2);
    entries.sort((a, b) => (b[1][0] ?? 0) - (a[1][0] ?? 0) || (a[0] < b[0] ? -1 : 1));
    const stored = entries.slice(0, MAX_STORED_TERMS);
    const lastDf = stored.length === MAX_STORED_TERMS ? (stored[stored.length - 1]?.[1][0] ?? 2) : 2;
    let rare = 0;
    for (const e of this.vocab.terms.values()) if (e[0] === 1) rare++;
    const d = this.docs || 1;
    const byLabel: TextProfile['logLengthByLabel'] = {};
    for (const [idx, res] of this.logLengthByLabel) {
      const name = idx === 0xffff ? '' : (labels.names[idx] ?? '');
      byLabel[name] = robustStats(res.items);
    }
    return {
      field: this.field,
      docs: this.docs,
      length: numericSummary(this.lengths.items, this.lengthMoments),
      charClasses: {
        letter: this.charSums.letter / d,
        digit: this.charSums.digit / d,
        space: this.charSums.space / d,
        punct: this.charSums.punct / d,
        nonAscii: this.charSums.nonAscii / d,
      },
      logLengthByLabel: byLabel,
      docsWithHiddenText: this.hiddenDocs,
      docsWithCssHiddenText: this.cssHiddenDocs,
      vocabulary: {
        size: this.vocab.terms.size,
        rare,
        minStoredDf: Math.max(lastDf, this.vocab.pruneDf + 1, 2),
        labels: [...labels.names],
        terms: stored.map(([t, e]) => [t, e[0] ?? 0, labels.names.map((_, i) => e[i + 1] ?? 0)]),
      },
    };
  }
}
