/**
 * Normalisation against prompt obfuscation (research §2.4): NFKC, invisible characters, homoglyphs,
 * leetspeak, spaced-out letters, and encoded payloads (base64, hex, ROT13) decoded and scanned again.
 */

const INVISIBLE =
  /[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]|\u034f|\u17b4|\u17b5|[\u{e0000}-\u{e007f}]/gu;

/** Cyrillic and Greek letters that look like Latin ones. */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ӏ: 'l',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  У: 'y',
  І: 'i',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  ι: 'i',
  κ: 'k',
  τ: 't',
  υ: 'u',
  ε: 'e',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

export interface NormalizedText {
  /** the base form: NFKC, invisible characters removed, homoglyphs folded, lower case, spaces collapsed */
  text: string;
  /** further views to scan: leetspeak-folded, de-spaced, decoded payloads, ROT13 */
  variants: { kind: string; text: string }[];
  obfuscation: string[];
}

/** marks a word gap while single letters are joined (a character normalised text cannot contain) */
const WORD_GAP = '\u{e0001}';
const WORD_GAP_RE = / ?\u{e0001} ?/gu;

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** "i g n o r e  a l l" → "ignore all": runs of single letters separated by one separator. */
function despace(s: string): string | undefined {
  if (!/(?:\b\p{L}[ .\-_*|]){4,}\p{L}\b/u.test(s)) return undefined;
  return s
    .replace(/(?:\b\p{L}[ .\-_*|]){2,}\p{L}\b/gu, (run) => run.replace(/[ .\-_*|]/g, ''))
    .replace(/ {2,}/g, ' ');
}

function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function printableShare(s: string): number {
  if (s.length === 0) return 0;
  let ok = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if ((c >= 32 && c < 127) || c === 10 || c === 9 || c > 159) ok++;
  }
  return ok / s.length;
}

/** Decodes base64 and hex runs long enough to carry an instruction; keeps those that decode to text. */
function decodePayloads(raw: string, limit: number): { kind: string; text: string }[] {
  const out: { kind: string; text: string }[] = [];
  for (const m of raw.matchAll(/[A-Za-z0-9+/_-]{24,}={0,2}/g)) {
    if (out.length >= limit) break;
    const token = m[0];
    if (/^[0-9a-fA-F]+$/.test(token) && token.length % 2 === 0) {
      const text = Buffer.from(token, 'hex').toString('utf8');
      if (printableShare(text) > 0.95 && /[a-z]{3}/i.test(text))
        out.push({ kind: 'hex', text: text.toLowerCase() });
      continue;
    }
    const text = Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (printableShare(text) > 0.95 && / /.test(text) && /[a-z]{3}/i.test(text)) {
      out.push({ kind: 'base64', text: collapse(text.toLowerCase()) });
    }
  }
  return out;
}

export function normalizeText(raw: string, maxChars: number): NormalizedText {
  const obfuscation: string[] = [];
  const clipped = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  let text = clipped.normalize('NFKC');
  const stripped = text.replace(INVISIBLE, '');
  if (stripped.length !== text.length) obfuscation.push('invisible-characters');
  text = stripped;
  const folded = text.replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c] ?? c);
  if (folded !== text && /[a-z]/i.test(text)) obfuscation.push('homoglyphs');
  const lowered = folded.toLowerCase();
  text = collapse(lowered);
  const variants: { kind: string; text: string }[] = [];
  if (/[013457@$!]/.test(text) && /[a-z]/.test(text)) {
    const leet = text.replace(/(?<=[a-z])[013457@$!]|[013457@$!](?=[a-z])/g, (c) => LEET[c] ?? c);
    if (leet !== text) variants.push({ kind: 'leetspeak', text: leet });
  }
  // spaced-out letters: two or more spaces separate words ("i g n o r e   a l l")
  const ds = despace(collapse(lowered.replace(/ {2,}|\t/g, ` ${WORD_GAP} `)))?.replace(WORD_GAP_RE, ' ');
  if (ds !== undefined && ds !== text) variants.push({ kind: 'spacing', text: ds });
  for (const d of decodePayloads(folded, 8)) variants.push(d);
  if (/\b(?:vtaber|vafgehpgvbaf|cerivbhf|flfgrz|cebzcg|qvfertneq)\b/.test(text)) {
    variants.push({ kind: 'rot13', text: rot13(text) });
  }
  return { text, variants, obfuscation };
}
