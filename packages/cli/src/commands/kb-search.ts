import { atlasUrl, displayName, searchCatalog, type AtlasKind, type Catalog } from '@atlasguard/core/atlas';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import type { CliContext } from '../context.js';
import { paintAtlasIds } from '../output/atlas-ids.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { proseWidth } from '../output/width.js';
import { wrapParagraph } from '../output/wrap.js';
import { loadKbCatalog, stdoutColors } from './kb-runtime.js';

export const SEARCH_KINDS: readonly AtlasKind[] = ['technique', 'tactic', 'mitigation', 'case-study'];

export interface KbSearchOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
  limit?: number | undefined;
  kind?: string | undefined;
}

export interface KbSearchJson {
  atlasVersion: string;
  query: string;
  /** Matches in all; `results` holds the first `limit`. */
  total: number;
  results: Array<{
    rank: number;
    id: string;
    kind: AtlasKind;
    name: string;
    /** Sub-techniques as "Parent: Name". */
    displayName: string;
    score: number;
    snippet: string;
    url: string;
  }>;
}

function parseKinds(value: string | undefined): AtlasKind[] | undefined {
  if (value === undefined) return undefined;
  const kinds = value.split(',').map((k) => k.trim());
  for (const kind of kinds) {
    if (!(SEARCH_KINDS as readonly string[]).includes(kind)) {
      throw new AtlasGuardError(`unknown kind "${kind}"`, {
        exitCode: ExitCode.Usage,
        hint: `--kind takes a comma-separated list of ${SEARCH_KINDS.join(', ')}`,
      });
    }
  }
  return kinds as AtlasKind[];
}

export function kbSearchJson(
  catalog: Catalog,
  query: string,
  limit: number,
  kinds?: AtlasKind[],
): KbSearchJson {
  const all = searchCatalog(catalog, query, { limit: Number.MAX_SAFE_INTEGER, ...(kinds ? { kinds } : {}) });
  return {
    atlasVersion: catalog.version,
    query,
    total: all.length,
    results: all.slice(0, limit).map((r, i) => ({
      rank: i + 1,
      id: r.id,
      kind: r.kind,
      name: r.name,
      displayName: displayName(catalog, r.id),
      score: r.score,
      snippet: r.snippet,
      url: atlasUrl(r.id),
    })),
  };
}

export function renderKbSearch(result: KbSearchJson, width: number): string {
  if (result.total === 0) {
    return `No match for "${result.query}" in ATLAS ${result.atlasVersion}.\n`;
  }
  const lines = [
    `${String(result.total)} match${result.total === 1 ? '' : 'es'} for "${result.query}" in ATLAS ${result.atlasVersion}` +
      (result.results.length < result.total
        ? ` (first ${String(result.results.length)}; more with --limit)`
        : ''),
  ];
  const rankWidth = String(result.results.length).length + 1;
  for (const r of result.results) {
    const rank = `${String(r.rank)}.`.padStart(rankWidth);
    const indent = ' '.repeat(rankWidth + 1);
    lines.push('');
    lines.push(
      ...wrapParagraph(`${r.id}  ${r.displayName}  [${r.kind}]`, width, { firstIndent: `${rank} `, indent }),
    );
    if (r.snippet !== '') lines.push(...wrapParagraph(r.snippet, width, { indent }));
  }
  return `${lines.join('\n')}\n`;
}

export async function kbSearch(
  ctx: CliContext,
  words: readonly string[],
  options: KbSearchOptions,
): Promise<void> {
  const format = chosenFormat(options, 'text');
  const query = words.join(' ').trim();
  if (query === '') {
    throw new AtlasGuardError('nothing to search for', {
      exitCode: ExitCode.Usage,
      hint: 'atlasguard kb search TEXT',
    });
  }
  const kinds = parseKinds(options.kind);
  const { catalog } = await loadKbCatalog(ctx);
  const result = kbSearchJson(catalog, query, options.limit ?? 10, kinds);
  if (format === 'json') {
    await emit(ctx, toJson(result), undefined);
    return;
  }
  const colors = stdoutColors(ctx);
  const text = renderKbSearch(result, proseWidth(ctx.stdout));
  await emit(
    ctx,
    text
      .split('\n')
      .map((line) => paintAtlasIds(colors, line))
      .join('\n'),
    undefined,
  );
}
