import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AtlasGuardError, Catalog, ExitCode, parseAtlasYaml } from '@atlasguard/core';

export interface LoadCatalogOptions {
  /** `--atlas-data PATH` */
  atlasData?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedCatalog {
  catalog: Catalog;
  /** Where the data came from: a path, or the URL it was downloaded from. */
  source: string;
  origin: 'flag' | 'env' | 'cache' | 'download';
  sha256: string;
}

// TODO(kb issue): user cache, verified download of the pinned release and the parsed-catalog cache.
/** Resolves the ATLAS data in the documented order and loads it. */
export async function loadCatalog(options: LoadCatalogOptions): Promise<LoadedCatalog> {
  const cwd = options.cwd ?? process.cwd();
  const fromFlag = options.atlasData;
  const fromEnv = options.env.ATLAS_DATA;
  const chosen = fromFlag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (chosen === undefined) {
    throw new AtlasGuardError('no ATLAS data available', {
      exitCode: ExitCode.Error,
      hint: 'pass --atlas-data PATH, set ATLAS_DATA=PATH, or run `atlasguard kb update` while online to fill the cache',
    });
  }
  const path = resolve(cwd, chosen);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read ATLAS data ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        hint: fromFlag !== undefined ? 'check the --atlas-data path' : 'check the ATLAS_DATA path',
        cause: error,
      },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const catalog = new Catalog(parseAtlasYaml(bytes.toString('utf8'), path));
  return { catalog, source: path, origin: fromFlag !== undefined ? 'flag' : 'env', sha256 };
}
