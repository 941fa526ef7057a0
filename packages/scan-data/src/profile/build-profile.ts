import { readFile } from 'node:fs/promises';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { fileSha256 } from '../manifest/build-manifest.js';
import type { DatasetReader } from '../read/record-types.js';
import type { FieldRoles } from '../roles.js';
import { DatasetAccumulator, DEFAULT_SEED } from './dataset-accumulator.js';
import { dataProfileSchema, PROFILE_KIND, type DataProfile } from './profile-schema.js';

export interface ProfileOptions {
  roles: FieldRoles;
  seed?: number;
  /** Most documents whose MinHash signatures are stored in the profile. */
  documentCap?: number;
  tool: { name: string; version: string };
  now: () => Date;
  onProgress?: (rows: number) => void;
}

export const DEFAULT_PROFILE_DOCUMENTS = 100_000;

/** Streams a dataset once and returns its profile (the baseline for `scan data`). */
export async function buildProfile(
  reader: DatasetReader & { bytes: number },
  options: ProfileOptions,
): Promise<DataProfile> {
  const acc = new DatasetAccumulator(options.roles, {
    seed: options.seed ?? DEFAULT_SEED,
    documentCap: options.documentCap ?? DEFAULT_PROFILE_DOCUMENTS,
  });
  for await (const item of reader.items()) {
    if (item.kind === 'malformed') acc.addMalformed();
    else acc.add(item);
    if (options.onProgress && acc.rows % 50_000 === 0) options.onProgress(acc.rows);
  }
  return acc.finish({
    path: reader.path.split(/[\\/]/).pop() ?? reader.path,
    format: reader.format,
    bytes: reader.bytes,
    sha256: await fileSha256(reader.path),
    createdAt: options.now().toISOString(),
    tool: options.tool,
  });
}

/** Reads a profile written by `data profile`, or returns undefined when the file is not one. */
export async function readProfileIfProfile(path: string): Promise<DataProfile | undefined> {
  if (!/\.json$/i.test(path)) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read baseline ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        position: { file: path },
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || (json as { kind?: unknown }).kind !== PROFILE_KIND)
    return undefined;
  const parsed = dataProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `invalid profile: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      {
        position: { file: path },
        exitCode: ExitCode.Error,
        hint: 'recreate it with `atlasguard data profile DATASET --out profile.json` (profile version 1)',
      },
    );
  }
  return parsed.data;
}
