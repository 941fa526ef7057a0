// Plain-text layout helpers: word wrapping, padding and key/value blocks. They measure strings in code
// points and know nothing of colour: wrap first, colour afterwards.

/** Length in code points (what a terminal shows for the text AtlasGuard prints). */
export function textWidth(text: string): number {
  return codePoints(text).length;
}

/** Code points of `text`; terminals show one cell per code point for the text AtlasGuard prints. */
function codePoints(text: string): string[] {
  return Array.from(text);
}

export function padRight(text: string, width: number): string {
  const missing = width - textWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Cuts `text` to `width` code points, ending with "…" when something was cut. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  return `${codePoints(text)
    .slice(0, width - 1)
    .join('')}…`;
}

export interface WrapOptions {
  /** Prefix of the first line; default `indent`. */
  firstIndent?: string;
  /** Prefix of every other line. */
  indent?: string;
  /**
   * Split words longer than a line (default). Off: such a word (a URL, say) gets a line of its own and
   * may run past the width, so that it can still be copied whole.
   */
  breakLongWords?: boolean;
}

/**
 * Wraps one paragraph at `width` columns (indent included). Words longer than a line are split. Runs of
 * whitespace collapse to one space.
 */
export function wrapParagraph(text: string, width: number, options: WrapOptions = {}): string[] {
  const indent = options.indent ?? '';
  const firstIndent = options.firstIndent ?? indent;
  const lines: string[] = [];
  let prefix = firstIndent;
  let line = '';
  const room = (): number => Math.max(1, width - textWidth(prefix));
  const flush = (): void => {
    lines.push(prefix + line);
    prefix = indent;
    line = '';
  };
  const breakLong = options.breakLongWords ?? true;
  for (let word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!breakLong && textWidth(word) > room()) {
      if (line !== '') flush();
      line = word;
      flush();
      continue;
    }
    while (textWidth(word) > room()) {
      if (line !== '') flush();
      const chars = codePoints(word);
      line = chars.slice(0, room()).join('');
      word = chars.slice(room()).join('');
      flush();
    }
    if (word === '') continue;
    if (line === '') line = word;
    else if (textWidth(line) + 1 + textWidth(word) <= room()) line += ` ${word}`;
    else {
      flush();
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}

/**
 * Wraps text made of paragraphs (blank-line separated) and Markdown list items (`- ` / `* ` / `1. `), keeping
 * list items on their own lines with a hanging indent.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    const blocks: string[] = [];
    for (const raw of paragraph.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const last = blocks.length - 1;
      if (/^([-*]|\d+\.)\s+/.test(line) || last < 0) blocks.push(line);
      else blocks[last] = `${blocks[last] ?? ''} ${line}`;
    }
    if (blocks.length === 0) continue;
    if (out.length > 0) out.push('');
    for (const block of blocks) {
      const bullet = /^([-*]|\d+\.)\s+/.exec(block);
      if (bullet) {
        const marker = bullet[1] === '*' ? '-' : (bullet[1] ?? '-');
        const body = block.slice(bullet[0].length);
        out.push(
          ...wrapParagraph(body, width, {
            firstIndent: `${indent}${marker} `,
            indent: `${indent}${' '.repeat(marker.length + 1)}`,
          }),
        );
      } else {
        out.push(...wrapParagraph(block, width, { indent }));
      }
    }
  }
  return out;
}

/** Aligned `key  value` lines; values wrap under themselves (URLs are never split). */
export function keyValueLines(
  pairs: ReadonlyArray<readonly [string, string]>,
  width: number,
  indent = '  ',
): string[] {
  const keyWidth = Math.max(0, ...pairs.map(([key]) => textWidth(key)));
  const lines: string[] = [];
  for (const [key, value] of pairs) {
    const first = `${indent}${padRight(key, keyWidth)}  `;
    lines.push(
      ...wrapParagraph(value, width, {
        firstIndent: first,
        indent: ' '.repeat(textWidth(first)),
        breakLongWords: !value.includes('://'),
      }),
    );
  }
  return lines;
}
