/**
 * Makes untrusted text inert in Markdown: one line, Markdown punctuation escaped, and `<`, `>`, `&` as
 * entities so that renderers which allow raw HTML do not interpret markup from the system model.
 */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .trim();
}

/** A Markdown table row from cells that are already escaped. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
}

export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [mdRow(header), mdRow(header.map(() => '---')), ...rows.map(mdRow)];
}
