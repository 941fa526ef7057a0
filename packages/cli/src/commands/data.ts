import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from '../program.js';
import { clock, collect, readerOptions, resolveRoles, type RoleFlags } from './data-roles.js';

interface ProfileFlags extends RoleFlags {
  out?: string;
  seed?: string;
  maxDocuments?: string;
}

interface ManifestFlags extends RoleFlags {
  out?: string;
  source?: string;
  producer?: string;
  license?: string;
  fetchedAt?: string;
  note?: string;
  sign?: string;
}

/** `atlasguard data profile` and `atlasguard data manifest`: baselines and integrity manifests for datasets. */
export const registerData: RegisterCommand = (program, ctx) => {
  const data = program
    .command('data')
    .description('dataset baselines (profiles) and integrity manifests for the poisoning guard');
  data
    .command('profile')
    .description('profile a trusted dataset: schema, statistics, labels, vocabulary, MinHash signatures')
    .argument('<dataset>', 'CSV, TSV, JSONL or Parquet file')
    .option('--out <path>', 'write the profile to PATH (atomically) instead of stdout')
    .option('--text-field <name>', 'column with the document text')
    .option('--label-field <name>', 'column with the label')
    .option('--id-field <name>', 'column with a stable record id')
    .option(
      '--feature <name>',
      'feature column to compare (repeatable; default: every column without a role)',
      collect,
      [] as string[],
    )
    .option('--embedding-field <name>', 'column with an embedding vector (JSON array or "[1, 2]")')
    .option('--source-field <name>', 'column naming where each row came from (new sources are reported)')
    .option(
      '--roles <file>',
      'JSON file with field roles: {"text","label","id","features","embedding","source"}',
    )
    .option('--input-format <format>', 'csv, tsv, jsonl or parquet (default: from the extension)')
    .option('--max-record-bytes <n>', 'longest row accepted, in bytes (default 8 MiB)')
    .option('--seed <n>', 'seed for samples and MinHash (default fixed, so profiles are reproducible)')
    .option('--max-documents <n>', 'most documents whose signatures are kept (default 100000)')
    .action(async (dataset, flags) => {
      await runProfile(ctx, dataset, flags);
    });
  data
    .command('manifest')
    .description('hash a dataset file and every record into an in-toto statement (optionally signed, DSSE)')
    .argument('<dataset>', 'CSV, TSV, JSONL or Parquet file')
    .option('--out <path>', 'write the manifest to PATH (atomically) instead of stdout')
    .option(
      '--id-field <name>',
      'column with a stable record id (lets scans tell changed from injected records)',
    )
    .option('--source <uri>', 'where the batch came from (URL, bucket, vendor)')
    .option('--producer <name>', 'who produced the batch')
    .option('--license <spdx>', 'licence of the data')
    .option('--fetched-at <time>', 'when it was fetched (ISO 8601)')
    .option('--note <text>', 'free-text provenance note')
    .option('--sign <key.pem>', 'sign with this Ed25519 or ECDSA P-256 private key; writes a DSSE envelope')
    .option('--input-format <format>', 'csv, tsv, jsonl or parquet (default: from the extension)')
    .option('--max-record-bytes <n>', 'longest row accepted, in bytes (default 8 MiB)')
    .action(async (dataset, flags) => {
      await runManifest(ctx, dataset, { ...flags, feature: [] });
    });
};

async function runProfile(ctx: CliContext, dataset: string, flags: ProfileFlags): Promise<void> {
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const sd = await import('@atlasguard/scan-data');
  const { emit, toJson } = await import('../output/emit.js');
  const { CLI_VERSION } = await import('../version.js');
  const roles = await resolveRoles(ctx, flags);
  const ro = await readerOptions(flags);
  const int = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new AtlasGuardError(`${name} must be a non-negative integer`, { exitCode: ExitCode.Usage });
    return n;
  };
  const seed = int(flags.seed, '--seed');
  const cap = int(flags.maxDocuments, '--max-documents');
  const reader = await sd.openDataset(resolve(ctx.cwd, dataset), ro);
  const progress = ctx.stderr.isTTY === true && !ctx.globals().quiet;
  const profile = await sd.buildProfile(reader, {
    roles,
    ...(seed !== undefined ? { seed } : {}),
    ...(cap !== undefined ? { documentCap: Math.max(1, cap) } : {}),
    tool: { name: 'atlasguard', version: CLI_VERSION },
    now: await clock(ctx),
    ...(progress
      ? { onProgress: (rows: number) => ctx.stderr.write(`\rprofiled ${String(rows)} rows`) }
      : {}),
  });
  if (progress) ctx.stderr.write('\n');
  if (profile.dataset.rows === 0) {
    if (!ctx.globals().quiet) ctx.stderr.write('atlasguard: the dataset has no rows\n');
    ctx.setExitCode(ExitCode.NothingToScan);
    return;
  }
  await emit(ctx, toJson(profile), flags.out);
}

async function runManifest(ctx: CliContext, dataset: string, flags: ManifestFlags): Promise<void> {
  const fsp = await import('node:fs/promises');
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const sd = await import('@atlasguard/scan-data');
  const { emit, toJson } = await import('../output/emit.js');
  const { CLI_VERSION } = await import('../version.js');
  const ro = await readerOptions(flags);
  const provenance = sd.provenanceSchema.parse({
    ...(flags.source !== undefined ? { source: flags.source } : {}),
    ...(flags.producer !== undefined ? { producer: flags.producer } : {}),
    ...(flags.license !== undefined ? { license: flags.license } : {}),
    ...(flags.fetchedAt !== undefined ? { fetchedAt: flags.fetchedAt } : {}),
    ...(flags.note !== undefined ? { note: flags.note } : {}),
  });
  const reader = await sd.openDataset(resolve(ctx.cwd, dataset), ro);
  const statement = await sd.buildManifest(reader, {
    idField: flags.idField,
    provenance,
    tool: { name: 'atlasguard', version: CLI_VERSION },
    now: await clock(ctx),
  });
  if (statement.predicate.dataset.rows === 0) {
    if (!ctx.globals().quiet) ctx.stderr.write('atlasguard: the dataset has no rows\n');
    ctx.setExitCode(ExitCode.NothingToScan);
  }
  const payload = sd.canonicalJson(statement);
  if (flags.sign === undefined) {
    await emit(ctx, `${payload}\n`, flags.out);
    return;
  }
  let pem: Buffer;
  try {
    pem = await fsp.readFile(resolve(ctx.cwd, flags.sign));
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read the signing key: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        position: { file: flags.sign },
        exitCode: ExitCode.Usage,
      },
    );
  }
  await emit(ctx, toJson(sd.signEnvelope(Buffer.from(payload, 'utf8'), pem)), flags.out);
}
