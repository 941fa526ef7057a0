import {
  layoutMatrixBands,
  matrixColumns,
  type Catalog,
  type AtlasMatrixColumn,
} from '@atlasguard/core/atlas';
import type { CliContext } from '../context.js';
import type { Colors } from '../output/colors.js';
import { paintAtlasIds } from '../output/atlas-ids.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { terminalColumns } from '../output/width.js';
import { padRight, textWidth, truncate, wrapParagraph } from '../output/wrap.js';
import { loadKbCatalog, stdoutColors } from './kb-runtime.js';

export interface KbMatrixOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
  subtechniques?: true | undefined;
  width?: number | undefined;
}

export interface KbMatrixJson {
  atlasVersion: string;
  subtechniques: boolean;
  tactics: AtlasMatrixColumn[];
}

export function kbMatrixJson(catalog: Catalog, subtechniques: boolean): KbMatrixJson {
  return { atlasVersion: catalog.version, subtechniques, tactics: matrixColumns(catalog, { subtechniques }) };
}

interface Cell {
  text: string;
  heading: boolean;
}

/** The first text that fits `width`, else the last one. */
function fitting(texts: readonly string[], width: number): string {
  return texts.find((t) => textWidth(t) <= width) ?? texts[texts.length - 1] ?? '';
}

/** The lines of one tactic's column, each at most `width` characters. */
function columnLines(column: AtlasMatrixColumn, width: number): Cell[] {
  const count = String(column.techniques.length);
  const cells: Cell[] = [
    ...wrapParagraph(column.tactic.name, width).map((text) => ({ text, heading: true })),
    {
      text: truncate(
        fitting([`${column.tactic.id} · ${count} techniques`, `${column.tactic.id} · ${count}`], width),
        width,
      ),
      heading: false,
    },
    { text: '─'.repeat(width), heading: false },
  ];
  for (const t of column.techniques) {
    for (const text of wrapParagraph(`${t.id} ${t.name}`, width, { firstIndent: '', indent: '  ' }))
      cells.push({ text, heading: false });
    for (const s of t.subtechniques) {
      const suffix = s.id.slice(t.id.length);
      for (const text of wrapParagraph(`${suffix} ${s.name}`, width, { firstIndent: '  ', indent: '      ' }))
        cells.push({ text, heading: false });
    }
  }
  return cells;
}

/** The matrix as text: tactics side by side in bands that fit `width`, each band below the previous one. */
export function renderKbMatrix(matrix: KbMatrixJson, width: number, colors?: Colors): string {
  const columns = matrix.tactics;
  const layout = layoutMatrixBands(columns.length, { width });
  // A technique can sit under several tactics: count each once.
  const topLevel = new Set(columns.flatMap((c) => c.techniques.map((t) => t.id))).size;
  const subs = new Set(columns.flatMap((c) => c.techniques.flatMap((t) => t.subtechniques.map((s) => s.id))))
    .size;
  const lines = [
    `ATLAS ${matrix.atlasVersion} matrix: ${String(columns.length)} tactics, ${String(topLevel)} techniques` +
      (matrix.subtechniques
        ? `, ${String(subs)} sub-techniques`
        : ' (add --subtechniques to list sub-techniques)'),
  ];
  const gap = ' '.repeat(layout.gap);
  for (const band of layout.bands) {
    const cells = band.map((i) => (columns[i] ? columnLines(columns[i], layout.columnWidth) : []));
    const height = Math.max(...cells.map((c) => c.length));
    lines.push('');
    for (let row = 0; row < height; row++) {
      const parts = cells.map((column, i) => {
        const cell = column[row];
        const text =
          i === cells.length - 1 ? (cell?.text ?? '') : padRight(cell?.text ?? '', layout.columnWidth);
        if (!colors) return text;
        return cell?.heading ? colors.bold(text) : paintAtlasIds(colors, text);
      });
      lines.push(parts.join(gap).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function kbMatrix(ctx: CliContext, options: KbMatrixOptions): Promise<void> {
  const format = chosenFormat(options, 'text');
  const { catalog } = await loadKbCatalog(ctx);
  const matrix = kbMatrixJson(catalog, options.subtechniques === true);
  if (format === 'json') {
    await emit(ctx, toJson(matrix), undefined);
    return;
  }
  const width = Math.max(40, options.width ?? terminalColumns(ctx.stdout, 120));
  await emit(ctx, renderKbMatrix(matrix, width, stdoutColors(ctx)), undefined);
}
