import { Option } from '@commander-js/extra-typings';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from '../program.js';
import { scanGroup } from './scan.js';

const FORMATS = ['text', 'json', 'sarif', 'cyclonedx', 'md'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

interface ScanDepsFlags {
  previous?: string;
  osv?: string;
  cacheDir?: string;
  maxAge: string;
  format: (typeof FORMATS)[number];
  out?: string;
  failOn: (typeof FAIL_ON)[number];
  inputFormat?: string;
  indexCache: boolean;
  python?: string;
  platform?: string;
  implementation?: string;
  machine?: string;
  extra: string[];
  internalPrefix: string[];
}

/** `atlasguard scan deps LOCKFILE [--previous OLD]`: dependency and framework update checker. */
export const registerScanDeps: RegisterCommand = (program, ctx) => {
  scanGroup(program)
    .command('deps')
    .description(
      'check a lockfile (or an update from --previous) for vulnerable, malicious and confusable dependencies, offline',
    )
    .argument(
      '<lockfile>',
      'requirements*.txt, pyproject.toml, poetry.lock, uv.lock, pdm.lock, Pipfile.lock, environment.yml, package-lock.json or CycloneDX JSON',
    )
    .option(
      '--previous <lockfile>',
      'the lockfile before the update: report what changed and what it introduced',
    )
    .option(
      '--osv <path>',
      'OSV data: a directory of records or an osv.dev <Ecosystem>/all.zip (default: the `osv sync` cache)',
    )
    .option(
      '--cache-dir <dir>',
      'cache directory (default: $ATLASGUARD_CACHE_DIR, $XDG_CACHE_HOME/atlasguard or ~/.cache/atlasguard)',
    )
    .option(
      '--max-age <duration>',
      'OSV data older than this makes the run inconclusive (exit 2), e.g. 36h, 7d',
      '7d',
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text' as const))
    .option('--out <path>', 'write the report to PATH (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity')
        .choices(FAIL_ON)
        .default('medium' as const),
    )
    .option('--input-format <format>', 'parse the lockfile as this format instead of detecting it')
    .option('--no-index-cache', 'do not read or write the cached OSV index')
    .option(
      '--python <version>',
      'target Python for environment markers, e.g. 3.11 (markers are then evaluated)',
    )
    .option('--platform <name>', 'target platform for environment markers: linux, darwin, windows')
    .option(
      '--implementation <name>',
      'target Python implementation for markers: cpython (default with --python), pypy',
    )
    .option('--machine <name>', 'target platform_machine for markers, e.g. x86_64, aarch64')
    .option(
      '--internal-prefix <prefix>',
      "a package-name prefix of your organisation's own packages, for dependency-confusion exposure (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--extra <name>',
      'an enabled extra for `extra == ...` markers (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (lockfile, flags) => {
      await runScanDeps(ctx, lockfile, flags);
    });
};

async function runScanDeps(ctx: CliContext, lockfile: string, flags: ScanDepsFlags): Promise<void> {
  const path = await import('node:path');
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const deps = await import('@atlasguard/scan-deps');
  const { emit } = await import('../output/emit.js');
  const { colorsFor, paintSeverity } = await import('../output/colors.js');
  const { CLI_VERSION } = await import('../version.js');
  const globals = ctx.globals();
  const note = (message: string): void => {
    if (!globals.quiet) ctx.stderr.write(`atlasguard: ${message}\n`);
  };
  const maxAgeMs = parseDuration(flags.maxAge);
  if (maxAgeMs === undefined) {
    throw new AtlasGuardError(`--max-age "${flags.maxAge}" is not a duration`, {
      exitCode: ExitCode.Usage,
      hint: 'use a number with a unit: 12h, 7d, 2w',
    });
  }
  let inputFormat: (typeof deps.INPUT_FORMATS)[number] | undefined;
  if (flags.inputFormat !== undefined) {
    inputFormat = deps.INPUT_FORMATS.find((f) => f === flags.inputFormat);
    if (inputFormat === undefined) {
      throw new AtlasGuardError(`--input-format "${flags.inputFormat}" is not known`, {
        exitCode: ExitCode.Usage,
        hint: `one of: ${deps.INPUT_FORMATS.join(', ')}`,
      });
    }
  }
  const nowText = ctx.env.ATLASGUARD_NOW;
  const now = nowText !== undefined && nowText !== '' ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new AtlasGuardError('ATLASGUARD_NOW is not an ISO 8601 time', { exitCode: ExitCode.Usage });
  const display = (file: string): string => {
    const rel = path.relative(ctx.cwd, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split('\\').join('/') : file;
  };
  let atlasVersion: string | undefined;
  try {
    const { loadCatalog } = await import('@atlasguard/io');
    // The ATLAS version only labels the report: a dependency scan stays offline, so no catalog download.
    const env = { ...ctx.env, ATLASGUARD_OFFLINE: '1' };
    atlasVersion = (await loadCatalog({ atlasData: globals.atlasData, env, cwd: ctx.cwd })).catalog.version;
  } catch (error) {
    if (globals.atlasData !== undefined) throw error;
  }
  const scan = deps.scanDeps({
    lockfile: path.resolve(ctx.cwd, lockfile),
    ...(flags.previous !== undefined ? { previous: path.resolve(ctx.cwd, flags.previous) } : {}),
    ...(inputFormat !== undefined ? { inputFormat } : {}),
    ...(flags.osv !== undefined ? { osvPath: path.resolve(ctx.cwd, flags.osv) } : {}),
    cacheDir: deps.resolveCacheDir(flags.cacheDir, ctx.env, ctx.cwd),
    useIndexCache: flags.indexCache,
    internalPrefixes: flags.internalPrefix,
    target: {
      ...(flags.python !== undefined ? { python: flags.python } : {}),
      ...(flags.platform !== undefined ? { platform: flags.platform } : {}),
      ...(flags.implementation !== undefined ? { implementation: flags.implementation } : {}),
      ...(flags.machine !== undefined ? { machine: flags.machine } : {}),
      extras: flags.extra,
    },
    maxAgeMs,
    now,
    failOn: flags.failOn,
    display,
    notes: note,
  });
  // Errors name files as the user typed them (relative to the working directory), like the reports do.
  const result = await scan.catch((error: unknown) => {
    if (error instanceof AtlasGuardError && error.position !== undefined) {
      throw new AtlasGuardError(error.message, {
        exitCode: error.exitCode,
        position: { ...error.position, file: display(error.position.file) },
        ...(error.hint !== undefined ? { hint: error.hint } : {}),
        cause: error,
      });
    }
    throw error;
  });
  const report = {
    tool: { name: 'atlasguard', version: CLI_VERSION },
    ...(atlasVersion !== undefined ? { atlasVersion } : {}),
    now,
  };
  let content: string;
  switch (flags.format) {
    case 'json':
      content = deps.writeJson(result, report);
      break;
    case 'sarif':
      content = deps.writeSarif(result, report);
      break;
    case 'cyclonedx':
      content = deps.writeCycloneDx(result, report);
      break;
    case 'md':
      content = deps.writeMarkdown(result);
      break;
    case 'text': {
      const colors = colorsFor(ctx.stdout, globals.color && flags.out === undefined, ctx.env);
      content = deps.writeText(result, {
        severity: (severity, text) => paintSeverity(colors, severity, text),
        bold: (text) => colors.bold(text),
        dim: (text) => colors.dim(text),
      });
      break;
    }
  }
  await emit(ctx, content, flags.out);
  if (result.summary.verdict === 'inconclusive')
    note(`inconclusive: ${result.summary.reason ?? 'stale OSV data'}; run \`atlasguard osv sync\``);
  if (result.input.packages === 0 && result.manifest.notCovered.length === 0) {
    note('no packages found in the input');
    ctx.setExitCode(ExitCode.NothingToScan);
    return;
  }
  ctx.setExitCode(
    result.summary.verdict === 'inconclusive'
      ? ExitCode.Error
      : result.summary.verdict === 'findings'
        ? ExitCode.Findings
        : ExitCode.Ok,
  );
}

/** `90m`, `36h`, `7d`, `2w` (or plain hours) → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w)?\s*$/i.exec(text);
  if (!m?.[1]) return undefined;
  const unit = (m[2] ?? 'h').toLowerCase();
  const factor = unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 604_800_000;
  return Number(m[1]) * factor;
}
