import { resolve } from 'node:path';
import type { CliContext } from '../context.js';

/** Field-role flags shared by `data profile`, `data manifest` and `scan data`. */
export interface RoleFlags {
  textField?: string;
  labelField?: string;
  idField?: string;
  feature: string[];
  embeddingField?: string;
  sourceField?: string;
  roles?: string;
  inputFormat?: string;
  maxRecordBytes?: string;
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Merges `--roles FILE` (JSON: text, label, id, features, embedding) with the flags; flags win. */
export async function resolveRoles(
  ctx: CliContext,
  flags: RoleFlags,
): Promise<{
  text?: string;
  label?: string;
  id?: string;
  features: string[];
  embedding?: string;
  source?: string;
}> {
  const fsp = await import('node:fs/promises');
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const { fieldRolesSchema } = await import('@atlasguard/scan-data');
  let fromFile: {
    text?: string;
    label?: string;
    id?: string;
    features: string[];
    embedding?: string;
    source?: string;
  } = {
    features: [],
  };
  if (flags.roles !== undefined) {
    const path = resolve(ctx.cwd, flags.roles);
    let json: unknown;
    try {
      json = JSON.parse(await fsp.readFile(path, 'utf8'));
    } catch (error) {
      throw new AtlasGuardError(
        `cannot read roles file: ${error instanceof Error ? error.message : String(error)}`,
        {
          position: { file: path },
          exitCode: ExitCode.Usage,
          hint: 'a JSON object like {"text": "body", "label": "class", "id": "id", "features": ["a"], "embedding": "vec", "source": "feed"}',
        },
      );
    }
    const parsed = fieldRolesSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AtlasGuardError(
        `invalid roles file: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
        {
          position: { file: path },
          exitCode: ExitCode.Usage,
        },
      );
    }
    const d = parsed.data;
    fromFile = { features: d.features };
    if (d.text !== undefined) fromFile.text = d.text;
    if (d.label !== undefined) fromFile.label = d.label;
    if (d.id !== undefined) fromFile.id = d.id;
    if (d.embedding !== undefined) fromFile.embedding = d.embedding;
    if (d.source !== undefined) fromFile.source = d.source;
  }
  const roles: {
    text?: string;
    label?: string;
    id?: string;
    features: string[];
    embedding?: string;
    source?: string;
  } = {
    features: flags.feature.length > 0 ? flags.feature : fromFile.features,
  };
  const text = flags.textField ?? fromFile.text;
  const label = flags.labelField ?? fromFile.label;
  const id = flags.idField ?? fromFile.id;
  const embedding = flags.embeddingField ?? fromFile.embedding;
  if (text !== undefined) roles.text = text;
  if (label !== undefined) roles.label = label;
  if (id !== undefined) roles.id = id;
  if (embedding !== undefined) roles.embedding = embedding;
  const source = flags.sourceField ?? fromFile.source;
  if (source !== undefined) roles.source = source;
  return roles;
}

export async function readerOptions(flags: RoleFlags): Promise<{
  format?: 'csv' | 'tsv' | 'jsonl' | 'parquet';
  limits?: { maxRecordBytes: number };
}> {
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const out: { format?: 'csv' | 'tsv' | 'jsonl' | 'parquet'; limits?: { maxRecordBytes: number } } = {};
  if (flags.inputFormat !== undefined) {
    const f = flags.inputFormat;
    if (f !== 'csv' && f !== 'tsv' && f !== 'jsonl' && f !== 'parquet') {
      throw new AtlasGuardError(`--input-format "${f}" is not known`, {
        exitCode: ExitCode.Usage,
        hint: 'one of: csv, tsv, jsonl, parquet',
      });
    }
    out.format = f;
  }
  if (flags.maxRecordBytes !== undefined) {
    const n = Number(flags.maxRecordBytes);
    if (!Number.isInteger(n) || n < 16) {
      throw new AtlasGuardError('--max-record-bytes must be an integer ≥ 16', { exitCode: ExitCode.Usage });
    }
    out.limits = { maxRecordBytes: n };
  }
  return out;
}

/** The time written into outputs: ATLASGUARD_NOW (for reproducible reports) or the clock. */
export async function clock(ctx: CliContext): Promise<() => Date> {
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const text = ctx.env.ATLASGUARD_NOW;
  if (text === undefined || text === '') return () => new Date();
  const fixed = new Date(text);
  if (Number.isNaN(fixed.getTime()))
    throw new AtlasGuardError('ATLASGUARD_NOW is not an ISO 8601 time', { exitCode: ExitCode.Usage });
  return () => new Date(fixed.getTime());
}
