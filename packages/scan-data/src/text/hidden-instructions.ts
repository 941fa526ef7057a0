// Signs of instructions hidden in documents meant for retrieval (RAG) — patterns in this project's words.

export interface HiddenTextHit {
  kind: 'injection-phrase' | 'invisible-characters' | 'exfiltration-url';
  rule: string;
  detail: string;
}

interface PhraseRule {
  rule: string;
  pattern: RegExp;
  describe: string;
}

const PHRASES: readonly PhraseRule[] = [
  {
    rule: 'override-instructions',
    pattern:
      /\b(ignore|disregard|forget|override)\s+(?:all\s+|any\s+|of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|foregoing|original|system)\s+(?:instructions?|directions?|rules|guidelines|prompts?|messages?)\b|\b(ignore|disregard|forget)\s+(?:all\s+)?(?:your|the system'?s?)\s+(?:instructions|guidelines|rules|prompt)\b/iu,
    describe: 'tells the reader to drop its instructions',
  },
  {
    rule: 'role-reassignment',
    pattern:
      /\b(from now on|starting now),? you (are|will|must|shall)\b|\byou are now (an? )?(ai|assistant|model|chatbot|dan|unrestricted|jailbroken|in developer mode)\b|\bnew (system )?instructions?:/iu,
    describe: 'tries to give the model a new role or instructions',
  },
  {
    rule: 'prompt-disclosure',
    pattern:
      /\b(reveal|print|show|repeat|output|disclose)\b[^.\n]{0,30}?\b(system prompt|hidden instructions|initial instructions|developer message)\b/iu,
    describe: 'asks for the system prompt',
  },
  {
    rule: 'chat-template-markers',
    pattern: /<\|(im_start|im_end|system|endoftext|start_header_id)\|>|\[\/?INST\]|<<\/?SYS>>/u,
    describe: 'contains chat-template control markers',
  },
  {
    rule: 'conceal-from-user',
    pattern:
      /\b(do not|don't|never)\b[^.\n]{0,30}?\b(tell|inform|mention|reveal|show)\b[^.\n]{0,20}?\b(the )?user\b/iu,
    describe: 'asks to hide something from the user',
  },
  {
    rule: 'send-conversation',
    pattern:
      /\b(send|forward|post|upload|append|encode)\b[^.\n]{0,60}?\b(this conversation|the conversation|chat history|previous messages|system prompt|user'?s? (data|messages|credentials))\b/iu,
    describe: 'asks to send conversation data somewhere',
  },
];

// Unicode tag characters (U+E0000–U+E007F) can carry invisible ASCII; bidi embeddings/overrides/isolates
// reorder text; zero-width spaces and word joiners hide text boundaries.
const TAGS = /[\u{E0000}-\u{E007F}]/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/gu;
const ZERO_WIDTH = /[\u200B\u2060-\u2064\u180E]|(?!^)\uFEFF/gu;

const MARKDOWN_IMAGE = /!\[[^\]\n]{0,300}\]\(\s*<?(https?:\/\/[^)\s>]{1,2048})/giu;
const HTML_IMAGE = /<img\b[^>]{0,500}?\bsrc\s*=\s*["']?(https?:\/\/[^"'\s>]{1,2048})/giu;
// A URL that expects the model to fill something in: {placeholder}, %7B…%7D, ${…}, $VAR, <PLACEHOLDER>.
// (Ad-server macros such as [timestamp] are common in ordinary HTML mail and are not flagged.)
const PLACEHOLDER =
  /\{[^}]{0,80}\}|%7B[^%]{0,80}%7D|\$\{|\$[A-Z][A-Z_]{2,}\b|<[A-Z_ ]{3,}>|%3C[A-Z_]{3,}%3E/u;

/** " (first at line L, column C)" for the first match of `re` in `text`. */
function firstAt(text: string, re: RegExp): string {
  const i = text.search(re);
  if (i < 0) return '';
  let line = 1;
  let start = 0;
  for (let j = text.indexOf('\n'); j !== -1 && j < i; j = text.indexOf('\n', j + 1)) {
    line++;
    start = j + 1;
  }
  return ` (first at line ${String(line)}, column ${String(i - start + 1)})`;
}

function decodeTags(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCodePoint(cp - 0xe0000);
  }
  return out;
}

// One cheap pass decides whether the detailed patterns need to run: every phrase rule needs one of these
// words, every invisible-character rule one of these characters, every exfiltration rule an image.
const PHRASE_HINT =
  /ignore|disregard|forget|override|from now on|starting now|you are now|instruction|prompt|developer message|<\||\[\/?inst\]|<<\/?sys>>|\buser|conversation|chat history|previous messages/i;
const INVISIBLE_HINT = /[\u200B\u2060-\u2064\u180E\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/u;
const IMAGE_HINT = /!\[|<img/i;

/** Scans one document; returns every kind of hidden-instruction sign found (at most one per rule). */
export function findHiddenInstructions(text: string): HiddenTextHit[] {
  const hits: HiddenTextHit[] = [];
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const phrases = PHRASE_HINT.test(sample);
  const invisible = INVISIBLE_HINT.test(sample);
  if (!phrases && !invisible && !IMAGE_HINT.test(sample)) return hits;
  for (const p of phrases ? PHRASES : []) {
    const m = p.pattern.exec(sample);
    if (m)
      hits.push({
        kind: 'injection-phrase',
        rule: p.rule,
        detail: `${p.describe}: ${JSON.stringify(m[0].slice(0, 120))}`,
      });
  }
  const tags = invisible ? (sample.match(TAGS)?.length ?? 0) : 0;
  if (tags > 0) {
    const decoded = decodeTags(sample);
    hits.push({
      kind: 'invisible-characters',
      rule: 'unicode-tags',
      detail: `${String(tags)} Unicode tag characters${firstAt(sample, TAGS)}${decoded ? ` spelling ${JSON.stringify(decoded.slice(0, 120))}` : ''}`,
    });
    // hidden ASCII is scanned as if it were visible
    for (const p of PHRASES) {
      if (p.pattern.test(decoded)) {
        hits.push({
          kind: 'injection-phrase',
          rule: p.rule,
          detail: `${p.describe} (in invisible tag characters)`,
        });
        break;
      }
    }
  }
  const bidi = invisible ? (sample.match(BIDI)?.length ?? 0) : 0;
  if (bidi > 0) {
    hits.push({
      kind: 'invisible-characters',
      rule: 'bidi-controls',
      detail: `${String(bidi)} bidirectional control characters${firstAt(sample, BIDI)}`,
    });
  }
  const zw = invisible ? (sample.match(ZERO_WIDTH)?.length ?? 0) : 0;
  if (zw >= 3) {
    hits.push({
      kind: 'invisible-characters',
      rule: 'zero-width',
      detail: `${String(zw)} zero-width characters${firstAt(sample, ZERO_WIDTH)}`,
    });
  }
  for (const re of IMAGE_HINT.test(sample) ? [MARKDOWN_IMAGE, HTML_IMAGE] : []) {
    re.lastIndex = 0;
    for (const m of sample.matchAll(re)) {
      const url = m[1] ?? '';
      if (PLACEHOLDER.test(url)) {
        hits.push({
          kind: 'exfiltration-url',
          rule: 'image-url-placeholder',
          detail: `image URL with a placeholder to fill in: ${JSON.stringify(url.slice(0, 160))}`,
        });
        break;
      }
    }
  }
  return hits;
}

/** Per-document character-class shares (letters, digits, whitespace, punctuation/symbols, non-ASCII). */
export interface CharClassShares {
  letter: number;
  digit: number;
  space: number;
  punct: number;
  nonAscii: number;
}

export function charClassShares(text: string): CharClassShares {
  let letter = 0;
  let digit = 0;
  let space = 0;
  let punct = 0;
  let nonAscii = 0;
  const n = Math.min(text.length, 100_000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      nonAscii++;
      continue;
    }
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letter++;
    else if (c >= 0x30 && c <= 0x39) digit++;
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) space++;
    else punct++;
  }
  const d = n || 1;
  return { letter: letter / d, digit: digit / d, space: space / d, punct: punct / d, nonAscii: nonAscii / d };
}
