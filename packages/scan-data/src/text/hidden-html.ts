// Text hidden from a human reader of an HTML document by styling, but read by a crawler, an indexer or a
// model: display:none, visibility:hidden, zero opacity or font size, text coloured like its background,
// off-screen positioning, zero-sized boxes, the `hidden` attribute, and classes or ids that a <style> block
// hides. Hostile input: every scan is bounded in length and count; nothing is evaluated.

export interface CssHiddenHit {
  /** Why the text is hidden (`display:none`, `color = background`, `class .x`, …). */
  reason: string;
  /** UTF-16 offset of the hiding element's start tag, and its 1-based line and column in the text. */
  offset: number;
  line: number;
  column: number;
  /** The hidden text (tags removed, whitespace collapsed, cut to 160 characters). */
  text: string;
}

/** Hidden text shorter than this (letters and digits) is ignored: empty spacers and icons are normal. */
export const MIN_HIDDEN_CHARS = 20;
const MAX_SCAN = 200_000;
const MAX_HITS = 20;
const MAX_ELEMENT = 20_000;
const MAX_RULES = 1000;

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,30})((?:\s[^<>]{0,2000})?)(\/?)>/g;
const STYLE_BLOCK = /<style\b[^>]{0,500}>([\s\S]{0,50000}?)<\/style\s*>/gi;
const CSS_RULE = /([^{}]{1,300})\{([^{}]{0,2000})\}/g;
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

function attribute(attrs: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const m = re.exec(attrs);
  if (!m) return undefined;
  return m[1] ?? m[2] ?? m[3] ?? '';
}

function declarations(style: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of style.slice(0, 4000).split(';')) {
    const i = part.indexOf(':');
    if (i <= 0) continue;
    const prop = part.slice(0, i).trim().toLowerCase();
    const value = part
      .slice(i + 1)
      .replace(/!important/i, '')
      .trim()
      .toLowerCase();
    if (prop && value) out.set(prop, value);
  }
  return out;
}

const NAMED: Record<string, string> = {
  white: 'ffffff',
  black: '000000',
  red: 'ff0000',
  lime: '00ff00',
  blue: '0000ff',
  yellow: 'ffff00',
  silver: 'c0c0c0',
  gray: '808080',
  grey: '808080',
};

/** A CSS colour as 6 hex digits, 'transparent', or undefined when not understood. */
export function normaliseColour(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return 'transparent';
  const named = NAMED[v];
  if (named) return named;
  let m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(v);
  if (m) {
    const h = m[1] ?? '';
    if (h.length === 3) return h.replace(/./g, (c) => c + c);
    if (h.length === 8) return h.endsWith('00') ? 'transparent' : h.slice(0, 6);
    return h;
  }
  m = /^rgba?\(\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*(?:[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
  if (m) {
    const alpha = m[4];
    if (alpha !== undefined && Number.parseFloat(alpha) === 0) return 'transparent';
    return [m[1], m[2], m[3]].map((x) => Math.min(255, Number(x)).toString(16).padStart(2, '0')).join('');
  }
  return undefined;
}

function length(value: string): { n: number; unit: string } | undefined {
  const m = /^(-?[\d.]+)\s*([a-z%]*)/.exec(value.trim());
  if (!m) return undefined;
  const n = Number.parseFloat(m[1] ?? '');
  return Number.isFinite(n) ? { n, unit: m[2] ?? '' } : undefined;
}

function tiny(value: string): boolean {
  const l = length(value);
  if (!l) return false;
  if (l.n <= 0) return true;
  if (l.unit === 'px' || l.unit === 'pt') return l.n <= 1;
  if (l.unit === 'em' || l.unit === 'rem') return l.n <= 0.1;
  if (l.unit === '%') return l.n <= 10;
  return false;
}

function farOff(value: string | undefined): boolean {
  if (value === undefined) return false;
  const l = length(value);
  if (!l) return false;
  return l.unit === 'em' || l.unit === 'rem' ? l.n <= -50 : l.n <= -500;
}

/** Why a set of declarations hides text, or undefined. */
export function hidingReason(d: ReadonlyMap<string, string>): string | undefined {
  if (d.get('display') === 'none') return 'display:none';
  const visibility = d.get('visibility');
  if (visibility === 'hidden' || visibility === 'collapse') return `visibility:${visibility}`;
  const opacity = d.get('opacity');
  if (opacity !== undefined && Number.parseFloat(opacity) <= 0.05) return `opacity:${opacity}`;
  const fontSize = d.get('font-size');
  if (fontSize !== undefined && tiny(fontSize)) return `font-size:${fontSize}`;
  const colourValue = d.get('color');
  const colour = colourValue !== undefined ? normaliseColour(colourValue) : undefined;
  if (colour === 'transparent') return 'color:transparent';
  const bgValue = d.get('background-color') ?? d.get('background');
  const bg = bgValue !== undefined ? normaliseColour(bgValue.split(/\s+/)[0] ?? '') : undefined;
  if (colour !== undefined && bg !== undefined && bg !== 'transparent' && colour === bg)
    return `color = background (#${colour})`;
  const position = d.get('position');
  if (position === 'absolute' || position === 'fixed') {
    for (const side of ['left', 'top', 'right', 'bottom'])
      if (farOff(d.get(side))) return `off-screen (${side}:${d.get(side) ?? ''})`;
  }
  if (farOff(d.get('text-indent'))) return `off-screen (text-indent:${d.get('text-indent') ?? ''})`;
  const overflow = d.get('overflow');
  if (overflow === 'hidden') {
    for (const p of ['height', 'max-height', 'width', 'max-width']) {
      const v = d.get(p);
      if (v !== undefined && (length(v)?.n ?? 1) <= 0) return `${p}:${v} with overflow:hidden`;
    }
  }
  return undefined;
}

/** Classes and ids that <style> blocks hide (simple `.name` / `#name` / `tag.name` selectors only). */
function hiddenSelectors(html: string): Map<string, string> {
  const out = new Map<string, string>();
  STYLE_BLOCK.lastIndex = 0;
  for (const block of html.matchAll(STYLE_BLOCK)) {
    CSS_RULE.lastIndex = 0;
    for (const rule of (block[1] ?? '').matchAll(CSS_RULE)) {
      const reason = hidingReason(declarations(rule[2] ?? ''));
      if (reason === undefined) continue;
      for (const sel of (rule[1] ?? '').split(',')) {
        const m = /^\s*[a-z0-9]*([.#][a-z_][\w-]{0,60})\s*$/i.exec(sel);
        if (m?.[1] && out.size < MAX_RULES) out.set(m[1].toLowerCase(), reason);
      }
    }
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (all, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return safeCodePoint(Number.parseInt(lower.slice(1), 10));
    const named: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[lower] ?? all;
  });
}

function safeCodePoint(cp: number): string {
  return Number.isInteger(cp) && cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)
    ? String.fromCodePoint(cp)
    : '';
}

/** The end of the element whose start tag ends at `from` (matching nesting of the same tag name). */
function elementEnd(html: string, name: string, from: number): number {
  const limit = Math.min(html.length, from + MAX_ELEMENT);
  const re = new RegExp(`<(/?)${name}\\b[^<>]{0,2000}?(/?)>`, 'gi');
  re.lastIndex = from;
  let depth = 1;
  for (let m = re.exec(html); m && m.index < limit; m = re.exec(html)) {
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') depth++;
    if (depth === 0) return m.index;
  }
  return limit;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Does the text look like HTML with styling worth checking? (cheap test before the scan) */
export function mayHideHtml(text: string): boolean {
  return text.includes('<') && /\bstyle\b|\bhidden\b/i.test(text);
}

/** Finds text hidden by styling in an HTML document (or a fragment inside other text). */
export function findCssHiddenText(input: string): CssHiddenHit[] {
  if (!mayHideHtml(input)) return [];
  // scripts and comments are blanked (same length, so offsets stay right): markup inside them is not shown
  const html = (input.length > MAX_SCAN ? input.slice(0, MAX_SCAN) : input).replace(
    /<script\b[\s\S]{0,100000}?<\/script\s*>|<!--[\s\S]{0,100000}?-->/gi,
    (m) => m.replace(/[^\n]/g, ' '),
  );
  const selectors = hiddenSelectors(html);
  const hits: CssHiddenHit[] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m && hits.length < MAX_HITS; m = TAG.exec(html)) {
    if (m[1] === '/' || m[4] === '/') continue;
    const name = (m[2] ?? '').toLowerCase();
    if (VOID.has(name) || name === 'style' || name === 'script' || name === 'head' || name === 'title')
      continue;
    const attrs = m[3] ?? '';
    let reason: string | undefined;
    if (/(?:^|\s)hidden(?:\s|=|$)/i.test(attrs)) reason = 'hidden attribute';
    const style = attribute(attrs, 'style');
    if (reason === undefined && style !== undefined) reason = hidingReason(declarations(style));
    if (reason === undefined && selectors.size > 0) {
      const id = attribute(attrs, 'id');
      const idReason = id !== undefined ? selectors.get(`#${id.toLowerCase()}`) : undefined;
      if (idReason !== undefined && id !== undefined) reason = `#${id} (${idReason})`;
      for (const cls of (attribute(attrs, 'class') ?? '').split(/\s+/)) {
        if (reason !== undefined || cls === '') break;
        const r = selectors.get(`.${cls.toLowerCase()}`);
        if (r !== undefined) reason = `.${cls} (${r})`;
      }
    }
    if (reason === undefined) continue;
    const contentStart = m.index + m[0].length;
    const end = elementEnd(html, name, contentStart);
    const inner = decodeEntities(html.slice(contentStart, end).replace(/<[^<>]{0,2000}>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim();
    // continue after the element: nested hidden elements are part of this hit
    TAG.lastIndex = Math.max(TAG.lastIndex, end);
    const letters = inner.replace(/[^\p{L}\p{N}]/gu, '').length;
    if (letters < MIN_HIDDEN_CHARS) continue;
    hits.push({ reason, offset: m.index, ...position(html, m.index), text: inner.slice(0, 160) });
  }
  return hits;
}
