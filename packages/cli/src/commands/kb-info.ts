import { catalogStats, type CatalogStats, type CatalogWarning } from '@atlasguard/core/atlas';
import type { LoadedCatalog } from '@atlasguard/io';
import type { CliContext } from '../context.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { proseWidth } from '../output/width.js';
import { keyValueLines, wrapParagraph } from '../output/wrap.js';
import { loadKbCatalog, stdoutColors } from './kb-runtime.js';

export interface KbInfoOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
  warnings?: true | undefined;
}

export interface KbInfoJson {
  version: string;
  name: string;
  source: string;
  origin: LoadedCatalog['origin'];
  sha256: string;
  official: boolean;
  counts: Omit<CatalogStats, 'maturity' | 'warnings'>;
  maturity: CatalogStats['maturity'];
  warnings: { count: number; byCode: Record<string, number>; items: CatalogWarning[] };
}

const ORIGIN: Record<LoadedCatalog['origin'], string> = {
  flag: '--atlas-data',
  env: 'ATLAS_DATA',
  cache: 'user cache',
  download: 'downloaded',
};

export function kbInfoJson(loaded: LoadedCatalog): KbInfoJson {
  const { catalog } = loaded;
  const stats = catalogStats(catalog);
  const { maturity } = stats;
  const counts: KbInfoJson['counts'] = {
    tactics: stats.tactics,
    techniques: stats.techniques,
    topLevelTechniques: stats.topLevelTechniques,
    subtechniques: stats.subtechniques,
    mitigations: stats.mitigations,
    caseStudies: stats.caseStudies,
    incidents: stats.incidents,
    exercises: stats.exercises,
    techniquesWithoutMitigation: stats.techniquesWithoutMitigation,
    techniquesWithoutAnyMitigation: stats.techniquesWithoutAnyMitigation,
  };
  const byCode: Record<string, number> = {};
  for (const w of catalog.warnings) byCode[w.code] = (byCode[w.code] ?? 0) + 1;
  return {
    version: catalog.version,
    name: catalog.data.name,
    source: loaded.source,
    origin: loaded.origin,
    sha256: loaded.sha256,
    official: loaded.official,
    counts,
    maturity,
    warnings: { count: catalog.warnings.length, byCode, items: [...catalog.warnings] },
  };
}

export function renderKbInfo(info: KbInfoJson, width: number, showWarnings: boolean): string {
  const c = info.counts;
  const m = info.maturity;
  const warningSummary = Object.entries(info.warnings.byCode)
    .map(([code, n]) => `${String(n)} ${code}`)
    .join(', ');
  const lines = [
    `ATLAS ${info.version} — ${info.name}`,
    ...keyValueLines(
      [
        ['Tactics', String(c.tactics)],
        [
          'Techniques',
          `${String(c.techniques)} (${String(c.topLevelTechniques)} techniques, ${String(c.subtechniques)} sub-techniques)`,
        ],
        [
          'Maturity',
          `${String(m.realized)} realized, ${String(m.demonstrated)} demonstrated, ${String(m.feasible)} feasible${m.unspecified > 0 ? `, ${String(m.unspecified)} unspecified` : ''}`,
        ],
        [
          'Mitigations',
          `${String(c.mitigations)} (${String(c.techniquesWithoutAnyMitigation)} techniques have none, even through a parent)`,
        ],
        [
          'Case studies',
          `${String(c.caseStudies)} (${String(c.incidents)} incidents, ${String(c.exercises)} exercises)`,
        ],
        [
          'Warnings',
          info.warnings.count === 0
            ? '0'
            : `${String(info.warnings.count)} (${warningSummary})${showWarnings ? '' : '; list them with --warnings'}`,
        ],
        ['Source', `${info.source} (${ORIGIN[info.origin]})`],
        [
          'SHA-256',
          `${info.sha256}${info.official ? ` (official ${info.version} release)` : ' (not a known official release)'}`,
        ],
      ],
      width,
    ),
  ];
  if (showWarnings && info.warnings.items.length > 0) {
    lines.push('', 'Warnings');
    for (const w of info.warnings.items) {
      lines.push(...wrapParagraph(`${w.code}: ${w.message}`, width, { firstIndent: '  - ', indent: '    ' }));
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function kbInfo(ctx: CliContext, options: KbInfoOptions): Promise<void> {
  const format = chosenFormat(options, 'text');
  const info = kbInfoJson(await loadKbCatalog(ctx));
  if (format === 'json') {
    await emit(ctx, toJson(info), undefined);
    return;
  }
  const colors = stdoutColors(ctx);
  const text = renderKbInfo(info, proseWidth(ctx.stdout), options.warnings === true);
  const [title = '', ...rest] = text.split('\n');
  await emit(ctx, [colors.bold(title), ...rest].join('\n'), undefined);
}
