import { resolve } from 'node:path';
import { catalogStats } from '@atlasguard/core/atlas';
import {
  cacheDir,
  downloadAndStore,
  importRelease,
  PINNED_VERSION,
  releaseYamlPath,
  type StoredRelease,
  type Verification,
} from '@atlasguard/io';
import type { CliContext } from '../context.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { proseWidth } from '../output/width.js';
import { keyValueLines } from '../output/wrap.js';
import { note, stdoutColors } from './kb-runtime.js';

export interface KbUpdateOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
  version?: string | undefined;
  from?: string | undefined;
  url?: string | undefined;
  fetchOnly?: true | undefined;
}

export interface KbUpdateJson {
  version: string;
  sha256: string;
  verification: Verification;
  source: string;
  path: string;
  cacheDir: string;
  alreadyPresent: boolean;
  /** It is now the release the cache supplies by default. */
  current: boolean;
  counts: { tactics: number; techniques: number; mitigations: number; caseStudies: number };
}

const VERIFIED: Record<Verification, string> = {
  official: 'matches the official release digest',
  recorded: 'not a release AtlasGuard knows: digest recorded, later fetches must match it',
  imported: 'imported from a local file of a release AtlasGuard does not know',
};

export function renderKbUpdate(result: KbUpdateJson, width: number): string {
  const lines = [
    `ATLAS ${result.version} ${result.alreadyPresent ? 'was already in' : 'stored in'} the cache`,
    ...keyValueLines(
      [
        ['Path', result.path],
        ['Source', result.source],
        ['SHA-256', result.sha256],
        ['Verified', VERIFIED[result.verification]],
        [
          'Contents',
          `${String(result.counts.tactics)} tactics, ${String(result.counts.techniques)} techniques, ${String(result.counts.mitigations)} mitigations, ${String(result.counts.caseStudies)} case studies`,
        ],
        [
          'Default',
          result.current
            ? 'yes: used when neither --atlas-data nor ATLAS_DATA is given'
            : 'no (--fetch-only): use it by version, e.g. `atlasguard kb diff`',
        ],
      ],
      width,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export async function kbUpdate(ctx: CliContext, options: KbUpdateOptions): Promise<void> {
  const format = chosenFormat(options, 'text');
  const cache = cacheDir(ctx.env);
  const activate = options.fetchOnly !== true;
  let stored: StoredRelease;
  if (options.from !== undefined) {
    stored = await importRelease({
      cache,
      file: resolve(ctx.cwd, options.from),
      version: options.version,
      activate,
    });
  } else {
    stored = await downloadAndStore({
      cache,
      version: options.version ?? PINNED_VERSION,
      env: ctx.env,
      fetch,
      url: options.url,
      activate,
      log: (message) => {
        note(ctx, message);
      },
    });
  }
  const stats = catalogStats(stored.built.catalog);
  const result: KbUpdateJson = {
    version: stored.record.version,
    sha256: stored.record.sha256,
    verification: stored.record.verification,
    source: stored.url,
    path: releaseYamlPath(cache, stored.record.version),
    cacheDir: cache,
    alreadyPresent: stored.alreadyPresent,
    current: stored.activated,
    counts: {
      tactics: stats.tactics,
      techniques: stats.techniques,
      mitigations: stats.mitigations,
      caseStudies: stats.caseStudies,
    },
  };
  if (format === 'json') {
    await emit(ctx, toJson(result), undefined);
    return;
  }
  const colors = stdoutColors(ctx);
  const [title = '', ...rest] = renderKbUpdate(result, proseWidth(ctx.stdout)).split('\n');
  await emit(ctx, [colors.bold(title), ...rest].join('\n'), undefined);
}
