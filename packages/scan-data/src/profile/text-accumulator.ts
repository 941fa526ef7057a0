import { findCssHiddenText, type CssHiddenHit } from '../text/hidden-html.js';
import { findHiddenInstructions, charClassShares } from '../text/hidden-instructions.js';
import { Reservoir } from '../stats/rng.js';
import { numericSummary, NUMERIC_SAMPLE } from './column-accumulator.js';
import type { LabelIndex } from './label-index.js';
import { robustStats } from './label-index.js';
import type { TextProfile } from './profile-schema.js';

/** Most distinct terms counted at once; past it, the rarest are pruned (lossy counting). */
export const MAX_COUNTED_TERMS = 1_000_000;
/** Most terms stored in a profile (the most frequent). */
export const MAX_STORED_TERMS = 30_000;

/** Most distinct words given an id; words past it are not counted (alone or in pairs). */
export const MAX_WORDS = 4_000_000;
const PAIR = 16_777_216; // 2^24: a word pair's key is (first + 1) · 2^24 + second

/**
 * Vocabulary counts: document frequency per term (word or word pair) and per label. Words are interned to
 * integer ids, word pairs are numeric keys, and the counts live in an open-addressing hash table of typed
 * arrays, so counting a document allocates nothing; the strings are built again only for the terms that
 * are reported.
 */
export class TermCounts {
  private readonly wordIds = new Map<string, number>();
  private readonly words: string[] = [];
  // hash table: key + 1 (0 = empty slot), document frequency, last document counted, counts per label
  private keys = new Float64Array(1 << 16);
  private df = new Int32Array(1 << 16);
  private stamp = new Int32Array(1 << 16);
  private labelSlots = 2;
  private byLabel = new Int32Array((1 << 16) * 2);
  private used = 0;
  pruneDf = 0;
  private doc = 0;

  get size(): number {
    return this.used;
  }

  private id(word: string): number {
    let id = this.wordIds.get(word);
    if (id === undefined) {
      if (this.words.length >= MAX_WORDS) return -1;
      id = this.words.length;
      this.words.push(word);
      this.wordIds.set(word, id);
    }
    return id;
  }

  private slotOf(stored: number): number {
    const mask = this.keys.length - 1;
    const lo = stored >>> 0;
    const hi = Math.floor(stored / 4294967296);
    let h = (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15)) & mask;
    for (;;) {
      const k = this.keys[h] ?? 0;
      if (k === stored || k === 0) return h;
      h = (h + 1) & mask;
    }
  }

  private rebuild(capacity: number, minDf: number): void {
    const { keys, df, stamp, byLabel, labelSlots } = this;
    this.keys = new Float64Array(capacity);
    this.df = new Int32Array(capacity);
    this.stamp = new Int32Array(capacity);
    this.byLabel = new Int32Array(capacity * labelSlots);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] ?? 0;
      if (k === 0 || (df[i] ?? 0) < minDf) continue;
      const j = this.slotOf(k);
      this.keys[j] = k;
      this.df[j] = df[i] ?? 0;
      this.stamp[j] = stamp[i] ?? 0;
      this.byLabel.set(byLabel.subarray(i * labelSlots, (i + 1) * labelSlots), j * labelSlots);
      this.used++;
    }
  }

  private widenLabels(label: number): void {
    const slots = Math.max(label + 1, this.labelSlots * 2);
    const next = new Int32Array(this.keys.length * slots);
    for (let i = 0; i < this.keys.length; i++)
      next.set(this.byLabel.subarray(i * this.labelSlots, (i + 1) * this.labelSlots), i * slots);
    this.byLabel = next;
    this.labelSlots = slots;
  }

  private count(key: number, label: number): void {
    const stored = key + 1;
    let h = this.slotOf(stored);
    if (this.keys[h] === 0) {
      if ((this.used + 1) * 2 > this.keys.length) {
        this.rebuild(this.keys.length * 2, 0);
        h = this.slotOf(stored);
      }
      this.keys[h] = stored;
      this.stamp[h] = 0;
      this.used++;
    }
    // each term counts once per document
    if (this.stamp[h] === this.doc) return;
    this.stamp[h] = this.doc;
    this.df[h] = (this.df[h] ?? 0) + 1;
    if (label >= 0) {
      const i = h * this.labelSlots + label;
      this.byLabel[i] = (this.byLabel[i] ?? 0) + 1;
    }
  }

  /** Counts the distinct words and adjacent word pairs of one document. */
  addTokens(tokens: readonly string[], label: number): void {
    this.doc++;
    const l = label === 0xffff ? -1 : label;
    if (l >= this.labelSlots) this.widenLabels(l);
    let prev = -1;
    for (const t of tokens) {
      const id = this.id(t);
      if (id >= 0) this.count(id, l);
      if (prev >= 0 && id >= 0) this.count((prev + 1) * PAIR + id, l);
      prev = id;
    }
    if (this.used > MAX_COUNTED_TERMS) this.prune();
  }

  /** Lossy counting: drops the rarest terms until 70 % of the cap is left. */
  private prune(): void {
    while (this.used > MAX_COUNTED_TERMS * 0.7) {
      this.pruneDf++;
      this.rebuild(this.keys.length, this.pruneDf + 1);
    }
  }

  private termOf(key: number): string {
    if (key < PAIR) return this.words[key] ?? '';
    const first = Math.floor(key / PAIR) - 1;
    return `${this.words[first] ?? ''} ${this.words[key % PAIR] ?? ''}`;
  }

  /** Terms with a document frequency of at least `minDf`: [term, [df, count for label 0, ...]]. */
  *entries(minDf = 1): IterableIterator<[string, number[]]> {
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i] ?? 0;
      const df = this.df[i] ?? 0;
      if (k === 0 || df < minDf) continue;
      let last = this.labelSlots;
      while (last > 0 && (this.byLabel[i * this.labelSlots + last - 1] ?? 0) === 0) last--;
      const out = [df];
      for (let l = 0; l < last; l++) out.push(this.byLabel[i * this.labelSlots + l] ?? 0);
      yield [this.termOf(k - 1), out];
    }
  }

  /** Terms seen in exactly one document. */
  rareCount(): number {
    let rare = 0;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.df[i] === 1) rare++;
    return rare;
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
    this.vocab.addTokens(tokens, label);
    const hidden = findHiddenInstructions(text);
    if (hidden.length > 0) this.hiddenDocs++;
    const cssHidden = findCssHiddenText(text);
    if (cssHidden.length > 0) this.cssHiddenDocs++;
    return { hidden, cssHidden };
  }

  /** `withTerms` false: the vocabulary's sizes only, without the stored terms (a scanned batch). */
  finish(labels: LabelIndex, withTerms = true): TextProfile {
    const entries = withTerms ? [...this.vocab.entries(2)] : [];
    entries.sort((a, b) => (b[1][0] ?? 0) - (a[1][0] ?? 0) || (a[0] < b[0] ? -1 : 1));
    const stored = entries.slice(0, MAX_STORED_TERMS);
    const lastDf = stored.length === MAX_STORED_TERMS ? (stored[stored.length - 1]?.[1][0] ?? 2) : 2;
    const rare = this.vocab.rareCount();
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
        size: this.vocab.size,
        rare,
        minStoredDf: Math.max(lastDf, this.vocab.pruneDf + 1, 2),
        labels: [...labels.names],
        terms: stored.map(([t, e]) => [t, e[0] ?? 0, labels.names.map((_, i) => e[i + 1] ?? 0)]),
      },
    };
  }
}
