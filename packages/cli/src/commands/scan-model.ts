import { Option } from '@commander-js/extra-typings';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from '../program.js';
import { scanGroup } from './scan.js';

const FORMATS = ['text', 'json', 'sarif', 'cyclonedx'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

interface ScanModelFlags {
  format: (typeof FORMATS)[number];
  out?: string;
  failOn: (typeof FAIL_ON)[number];
  profile?: string[];
  allowList?: string;
  timeout: string;
  jobs?: string;
}

/** `atlasguard scan model PATH...`: model artifacts checked for code execution and tampering. */
export const registerScanModel: RegisterCommand = (program, ctx) => {
  scanGroup(program)
    .command('model')
    .description(
      'scan model files and directories (pickle, PyTorch, NumPy, joblib, safetensors, GGUF, zip/tar, ...) for code execution and tampering',
    )
    .argument('<paths...>', 'files or directories (directories are walked; every file is checked by content)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text' as const))
    .option('--out <path>', 'write the report to PATH (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity')
        .choices(FAIL_ON)
        .default('medium' as const),
    )
    .option(
      '--profile <name...>',
      'allow-list profiles (default: builtins torch numpy; opt-in: sklearn xgboost lightgbm transformers tokenizers)',
    )
    .option('--allow-list <path>', 'JSON file of extra allowed globals, each scoped to file sha256s')
    .option('--timeout <seconds>', 'time budget per file; a file that runs out is inconclusive', '60')
    .option(
      '--jobs <n>',
      'worker threads scanning files in parallel (default: one per core, at most 2: they share a 128 MB heap budget)',
    )
    .action(async (paths, flags) => {
      await runScanModel(ctx, paths, flags);
    });
};

async function runScanModel(ctx: CliContext, paths: string[], flags: ScanModelFlags): Promise<void> {
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core/errors');
  const { isAtOrAbove } = await import('@atlasguard/core/severity');
  const sm = await import('@atlasguard/scan-model');
  const { emit, toJson } = await import('../output/emit.js');
  const { colorsFor, paintSeverity } = await import('../output/colors.js');
  const { CLI_VERSION } = await import('../version.js');
  const globals = ctx.globals();

  const profiles = (flags.profile ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const known = new Set<string>(sm.PROFILE_IDS);
  const bad = profiles.find((p) => !known.has(p));
  if (bad !== undefined) {
    throw new AtlasGuardError(`unknown profile "${bad}"`, {
      exitCode: ExitCode.Usage,
      hint: `choose from ${sm.PROFILE_IDS.join(', ')}`,
    });
  }
  const chosen = (
    profiles.length > 0 ? profiles : [...sm.DEFAULT_PROFILES]
  ) as import('@atlasguard/scan-model').ProfileId[];
  const timeout = Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new AtlasGuardError(`--timeout "${flags.timeout}" is not a positive number of seconds`, {
      exitCode: ExitCode.Usage,
      hint: 'for example --timeout 120',
    });
  }
  const jobs = flags.jobs === undefined ? undefined : Number(flags.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)) {
    throw new AtlasGuardError(`--jobs "${flags.jobs ?? ''}" is not a whole number from 1 to 64`, {
      exitCode: ExitCode.Usage,
      hint: 'for example --jobs 4',
    });
  }
  const path = await import('node:path');
  const allowList =
    flags.allowList !== undefined
      ? await sm.loadUserAllowList(path.resolve(ctx.cwd, flags.allowList))
      : undefined;

  let atlasVersion = '5.6.0';
  try {
    const { loadCatalog } = await import('@atlasguard/io');
    atlasVersion = (
      await loadCatalog({
        atlasData: globals.atlasData,
        env: ctx.env,
        cwd: ctx.cwd,
        fetch: () => Promise.reject(new Error('scan model never downloads ATLAS data')),
      })
    ).catalog.version;
  } catch (error) {
    if (globals.atlasData !== undefined) throw error;
  }

  const tty = ctx.stderr.isTTY === true && !globals.quiet;
  const result = await sm.scanPaths({
    paths,
    cwd: ctx.cwd,
    profiles: chosen,
    allowList,
    timeMs: timeout * 1000,
    ...(jobs !== undefined ? { workers: jobs } : {}),
    ...(tty
      ? {
          onProgress: (done: number, total: number, path: string) => {
            ctx.stderr.write(`\r\x1b[K[${String(done)}/${String(total)}] ${path.slice(-70)}`);
            if (done === total) ctx.stderr.write('\r\x1b[K');
          },
        }
      : {}),
  });
  if (!globals.quiet) {
    for (const s of result.skipped) ctx.stderr.write(`atlasguard: skipped ${s} (not a regular file)\n`);
  }
  if (result.files.length === 0) {
    throw new AtlasGuardError('nothing to scan: no regular files under the given paths', {
      exitCode: ExitCode.NothingToScan,
      hint: 'pass model files or directories that contain them',
    });
  }
  const report = sm.buildReport(result.files, { version: CLI_VERSION, atlasVersion, profiles: chosen });

  let content: string;
  switch (flags.format) {
    case 'json':
      content = toJson(report);
      break;
    case 'sarif':
      content = toJson(sm.renderSarif(report));
      break;
    case 'cyclonedx':
      content = toJson(sm.renderCycloneDx(report, new Date()));
      break;
    case 'text': {
      const colors = colorsFor(flags.out === undefined ? ctx.stdout : {}, globals.color, ctx.env);
      content = sm.renderText(report, {
        severity: (s, t) => paintSeverity(colors, s, t),
        verdict: (v, t) =>
          v === 'malicious' ? colors.red(colors.bold(t)) : v === 'clean' ? colors.green(t) : colors.yellow(t),
        dim: (t) => colors.dim(t),
        bold: (t) => colors.bold(t),
      });
      break;
    }
  }
  await emit(ctx, content, flags.out);

  const failOn = flags.failOn;
  const failing =
    failOn !== 'none' && result.files.some((f) => f.findings.some((x) => isAtOrAbove(x.severity, failOn)));
  if (failing) ctx.setExitCode(ExitCode.Findings);
  else if (result.files.some((f) => f.verdict === 'inconclusive')) ctx.setExitCode(ExitCode.Error);
  else ctx.setExitCode(ExitCode.Ok);
}
