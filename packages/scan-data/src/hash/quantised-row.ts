import { asNumber, fieldValue } from '../roles.js';
import { hashString } from '../text/minhash.js';
import { canonicalJson } from './canonical-json.js';

// Near-duplicate keys for table rows: the row with every number rounded to a few significant digits and
// every string normalised, hashed. Two grids (rounding, and rounding with boundaries shifted by half a step)
// give two keys; rows sharing either key are near-duplicates. Jitter smaller than half a step can push a
// value across a boundary of one grid but not of both, so small perturbations of a row rarely escape both.

/** Significant digits kept per number (relative step 0.1 %–1 %). */
export const NEAR_DIGITS = 3;
/** Bytes of each key (48 bits: a JavaScript number holds it exactly). */
export const NEAR_KEY_BYTES = 6;

function numberToken(x: number, shifted: boolean): string {
  if (x === 0 || Math.abs(x) < 1e-12) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(x))) - (NEAR_DIGITS - 1);
  const step = 10 ** exponent;
  const q = shifted ? Math.floor(x / step) : Math.round(x / step);
  return `${String(q)}e${String(exponent)}`;
}

function stringToken(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The two near-duplicate keys of a row over `fields` (in the given order; missing fields count as empty).
 * Numbers and numeric strings are rounded, so `1.0`, `1` and `"1.0004"` give the same key.
 */
export function quantisedRowKeys(
  values: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): [number, number] {
  let a = '';
  let b = '';
  for (const f of fields) {
    // a dotted --feature name reaches into nested JSON, as everywhere else
    const v = fieldValue(values, f);
    const n = asNumber(v);
    let ta: string;
    let tb: string;
    if (n !== undefined) {
      ta = numberToken(n, false);
      tb = numberToken(n, true);
    } else if (typeof v === 'string') {
      ta = tb = `s${stringToken(v)}`;
    } else if (v === undefined || v === null) {
      ta = tb = '';
    } else {
      ta = tb = `j${canonicalJson(v)}`;
    }
    // length-prefixed so that field boundaries cannot shift
    a += `${String(ta.length)}:${ta}`;
    b += `${String(tb.length)}:${tb}`;
  }
  return [keyOf(a), keyOf(b)];
}

// Two seeded 32-bit FNV-1a/fmix hashes make a 48-bit key: no cryptographic strength is needed (a collision
// only merges two clusters), and it costs a fraction of a SHA-256 per row.
function keyOf(s: string): number {
  return hashString(s, 0x51ed_27a3) * 65536 + (hashString(s, 0x2c1b_3c6d) & 0xffff);
}
