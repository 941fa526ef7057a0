import { describe, expect, it } from 'vitest';
import { ibanValid, looksLikePlaceholder, luhnValid, plausiblePan, ssnValid } from './validators.js';
import { scanLeakage } from './scan-leakage.js';
import { hamming, simhash64, simhashFromHex, simhashToHex } from './simhash.js';
import { jaccard, minhash } from './minhash.js';
import { Rng } from '../stats/rng.js';

describe('validators', () => {
  it('Luhn and issuer ranges', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(plausiblePan('378282246310005')).toBe(true);
    expect(plausiblePan('1234567812345670')).toBe(false);
    expect(plausiblePan('4444444444444444')).toBe(false);
  });
  it('IBAN mod-97 with country lengths', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('XX89370400440532013000')).toBe(false);
  });
  it('placeholders and SSN structure', () => {
    expect(looksLikePlaceholder('AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(looksLikePlaceholder('sk-xxxxxxxxxxxxxxxxxxxxxxxx')).toBe(true);
    expect(looksLikePlaceholder('AKIAQW7RT2YU4IO3PLKJ')).toBe(false);
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('666', '45', '6789')).toBe(false);
    expect(ssnValid('900', '45', '6789')).toBe(false);
  });
  it('SSNs need context; e-mail lists need a count', () => {
    expect(scanLeakage('SSN: 123-45-6789', 5).map((h) => h.kind)).toEqual(['ssn']);
    expect(scanLeakage('part number 123-45-6789', 5)).toEqual([]);
    const emails = Array.from({ length: 6 }, (_, i) => `p${String(i)}@corp.example`).join(', ');
    expect(scanLeakage(emails, 5).map((h) => h.kind)).toEqual(['emails']);
  });
});

describe('fingerprints', () => {
  it('SimHash: near texts are close, unrelated texts far, hex round trip', () => {
    const a = simhash64('the quick brown fox jumps over the lazy dog near the river bank today');
    const b = simhash64('the quick brown fox jumps over the lazy dog near the river bank todey');
    const c = simhash64('completely different sentence about baking sourdough bread at home');
    expect(hamming(a.hi, a.lo, b.hi, b.lo)).toBeLessThanOrEqual(12);
    expect(hamming(a.hi, a.lo, c.hi, c.lo)).toBeGreaterThan(15);
    expect(simhashFromHex(simhashToHex(a))).toEqual(a);
  });
  it('hamming counts the differing bits of both halves (every count 0–64, random pairs)', () => {
    const naive = (x: number): number => {
      let n = 0;
      for (let b = 0; b < 32; b++) n += (x >>> b) & 1;
      return n;
    };
    const rng = new Rng(11);
    const u32 = (): number => Math.floor(rng.next() * 2 ** 32) >>> 0;
    for (let i = 0; i < 5_000; i++) {
      const [aHi, aLo, bHi, bLo] = [u32(), u32(), u32(), u32()];
      expect(hamming(aHi, aLo, bHi, bLo)).toBe(naive(aHi ^ bHi) + naive(aLo ^ bLo));
    }
    for (let k = 0; k <= 64; k++) {
      const hi = k >= 32 ? 0xffffffff : (2 ** k - 1) >>> 0;
      const lo = k > 32 ? (2 ** (k - 32) - 1) >>> 0 : 0;
      expect(hamming(hi, lo, 0, 0)).toBe(k);
      expect(hamming(hi | 0, lo | 0, 0, 0)).toBe(k);
    }
  });
  it('SimHash hex parsing equals parseInt of the zero-padded halves, any case, 1–16 digits', () => {
    const rng = new Rng(5);
    const digits = '0123456789abcdefABCDEF';
    for (let i = 0; i < 5000; i++) {
      let hex = '';
      const n = 1 + rng.int(16);
      for (let j = 0; j < n; j++) hex += digits[rng.int(digits.length)] ?? '0';
      const padded = hex.padStart(16, '0');
      expect(simhashFromHex(hex)).toEqual({
        hi: parseInt(padded.slice(0, 8), 16) >>> 0,
        lo: parseInt(padded.slice(8), 16) >>> 0,
      });
    }
  });
  it('MinHash estimates Jaccard', () => {
    const x = minhash('one two three four five six seven eight nine ten eleven twelve');
    expect(jaccard(x, x)).toBe(1);
    expect(jaccard(x, minhash('alpha beta gamma delta epsilon zeta eta theta iota kappa'))).toBeLessThan(0.1);
  });
});
