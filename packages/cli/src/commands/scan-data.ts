import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from '../program.js';
import { clock, collect, readerOptions, resolveRoles, type RoleFlags } from './data-roles.js';
import { scanGroup } from './scan.js';

const FORMATS = ['text', 'json', 'sarif', 'html'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

interface ScanDataFlags extends RoleFlags {
  baseline: string;
  baselineFormat?: string;
  manifest?: string;
  publicKey: string[];
  trustedRoot?: string;
  requireSignature?: boolean;
  format: (typeof FORMATS)[number];
  out?: string;
  failOn: (typeof FAIL_ON)[number];
  quarantine?: string;
  floodMin?: string;
  sourceGrowth?: string;
  heldOut?: boolean;
  seed?: string;
}

/** `atlasguard scan data BATCH --baseline PROFILE_OR_DATASET`: the data poisoning guard. */
export const registerScanData: RegisterCommand = (program, ctx) => {
  scanGroup(program)
    .command('data')
    .description('check an incoming data batch against a trusted baseline for poisoning, drift and tampering')
    .argument('<batch>', 'CSV, TSV, JSONL or Parquet file')
    .requiredOption('--baseline <path>', 'profile from `data profile` (.json) or a trusted dataset file')
    .option('--baseline-format <format>', 'format of a baseline dataset (default: from the extension)')
    .option(
      '--manifest <path>',
      'manifest from `data manifest` (statement, DSSE envelope or Sigstore bundle) to verify the batch against',
    )
    .option(
      '--public-key <pem>',
      'trusted public key for the manifest signature (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--trusted-root <path>',
      'Sigstore trusted_root.json (certificate authorities, transparency log keys) to verify a Sigstore bundle offline',
    )
    .option('--require-signature', 'fail when the manifest is not signed')
    .option('--text-field <name>', 'column with the document text')
    .option('--label-field <name>', 'column with the label')
    .option('--id-field <name>', 'column with a stable record id')
    .option(
      '--feature <name>',
      'feature column to compare (repeatable; default: every column without a role)',
      collect,
      [] as string[],
    )
    .option('--embedding-field <name>', 'column with an embedding vector')
    .option('--source-field <name>', 'column naming where each row came from (new sources are reported)')
    .option(
      '--roles <file>',
      'JSON file with field roles: {"text","label","id","features","embedding","source"}',
    )
    .option('--input-format <format>', 'csv, tsv, jsonl or parquet (default: from the extension)')
    .option('--max-record-bytes <n>', 'longest row accepted, in bytes (default 8 MiB)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text' as const))
    .option('--out <path>', 'write the report to PATH (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity')
        .choices(FAIL_ON)
        .default('medium' as const),
    )
    .option(
      '--quarantine <dir>',
      'write accepted.<ext> and quarantined.jsonl (with reasons) to DIR, atomically',
    )
    .option('--flood-min <n>', 'smallest cluster of near-identical rows that counts as flooding', '5')
    .option(
      '--source-growth <points>',
      "alert when a source's share of rows grows by this many percentage points over the baseline",
      '10',
    )
    .option(
      '--held-out',
      "the batch is a held-out (eval/test) split of the baseline's data: rows it shares with the baseline are leakage findings",
    )
    .option('--seed <n>', 'seed for samples (must match the profile to compare signatures)')
    .action(async (batch, flags) => {
      await runScanData(ctx, batch, flags);
    });
};

async function runScanData(ctx: CliContext, batch: string, flags: ScanDataFlags): Promise<void> {
  const fsp = await import('node:fs/promises');
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const sd = await import('@atlasguard/scan-data');
  const { emit, toJson } = await import('../output/emit.js');
  const { colorsFor } = await import('../output/colors.js');
  const { CLI_VERSION } = await import('../version.js');
  const globals = ctx.globals();
  const note = (message: string): void => {
    if (!globals.quiet) ctx.stderr.write(`atlasguard: ${message}\n`);
  };
  const roles = await resolveRoles(ctx, flags);
  const ro = await readerOptions(flags);
  const baselineRo = await readerOptions({
    feature: [],
    ...(flags.baselineFormat !== undefined ? { inputFormat: flags.baselineFormat } : {}),
    ...(flags.maxRecordBytes !== undefined ? { maxRecordBytes: flags.maxRecordBytes } : {}),
  });
  const floodMin = Number(flags.floodMin ?? '5');
  if (!Number.isInteger(floodMin) || floodMin < 2) {
    throw new AtlasGuardError('--flood-min must be an integer ≥ 2', { exitCode: ExitCode.Usage });
  }
  const sourceGrowth = Number(flags.sourceGrowth ?? '10');
  if (!Number.isFinite(sourceGrowth) || sourceGrowth <= 0 || sourceGrowth > 100) {
    throw new AtlasGuardError('--source-growth must be a number of percentage points in (0, 100]', {
      exitCode: ExitCode.Usage,
    });
  }
  const seed = flags.seed !== undefined ? Number(flags.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed))
    throw new AtlasGuardError('--seed must be an integer', { exitCode: ExitCode.Usage });
  const keys = [];
  for (const k of flags.publicKey) {
    const path = resolve(ctx.cwd, k);
    let pem: Buffer;
    try {
      pem = await fsp.readFile(path);
    } catch (error) {
      throw new AtlasGuardError(
        `cannot read public key: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        {
          position: { file: path },
          exitCode: ExitCode.Usage,
        },
      );
    }
    keys.push(sd.readPublicKey(pem));
  }
  let atlasVersion: string | undefined;
  try {
    const { loadCatalog } = await import('@atlasguard/io');
    atlasVersion = (await loadCatalog({ atlasData: globals.atlasData, env: ctx.env, cwd: ctx.cwd })).catalog
      .version;
  } catch (error) {
    if (globals.atlasData !== undefined) throw error;
  }
  const batchPath = resolve(ctx.cwd, batch);
  const { report, quarantine } = await sd.scanData({
    batchPath,
    ...(ro.format ? { format: ro.format } : {}),
    ...(ro.limits ? { limits: ro.limits } : {}),
    baselinePath: resolve(ctx.cwd, flags.baseline),
    ...(baselineRo.format ? { baselineFormat: baselineRo.format } : {}),
    roles,
    ...(flags.manifest !== undefined ? { manifestPath: resolve(ctx.cwd, flags.manifest) } : {}),
    publicKeys: keys,
    ...(flags.trustedRoot !== undefined ? { trustedRootPath: resolve(ctx.cwd, flags.trustedRoot) } : {}),
    requireSignature: flags.requireSignature === true,
    failOn: flags.failOn,
    floodMinCluster: floodMin,
    sourceShareGrowth: sourceGrowth / 100,
    heldOut: flags.heldOut === true,
    ...(seed !== undefined ? { seed } : {}),
    tool: { name: 'atlasguard', version: CLI_VERSION },
    ...(atlasVersion !== undefined ? { atlasVersion } : {}),
    now: await clock(ctx),
  });
  if (report.batch.rows === 0) {
    note('the batch has no rows: nothing to scan');
    ctx.setExitCode(ExitCode.NothingToScan);
    return;
  }
  if (flags.quarantine !== undefined) {
    const summary = await sd.writeQuarantine({
      batchPath,
      ...(ro.format ? { format: ro.format } : {}),
      ...(ro.limits ? { limits: ro.limits } : {}),
      outDir: resolve(ctx.cwd, flags.quarantine),
      quarantine,
    });
    note(
      `quarantine: ${String(summary.accepted)} accepted, ${String(summary.quarantined)} quarantined of ${String(summary.rows)} rows in ${flags.quarantine}`,
    );
  }
  let content: string;
  switch (flags.format) {
    case 'json':
      content = toJson(report);
      break;
    case 'sarif':
      content = toJson(sd.renderScanSarif(report));
      break;
    case 'html':
      content = sd.renderScanHtml(report);
      break;
    case 'text': {
      const colors = colorsFor(ctx.stdout, globals.color && flags.out === undefined, ctx.env);
      content = sd.renderScanText(report, colors);
      break;
    }
  }
  await emit(ctx, content, flags.out);
  if (report.verdict === 'fail') ctx.setExitCode(ExitCode.Findings);
  else if (report.inconclusive) {
    note('inconclusive: a check could not be completed (see the report)');
    ctx.setExitCode(ExitCode.Error);
  }
}
