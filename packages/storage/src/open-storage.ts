import { openDatabase, resolveDatabaseTarget, type OpenOptions } from './open-database.js';
import { Storage } from './storage.js';

export interface OpenStorageOptions extends OpenOptions {
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
  clock?: (() => Date) | undefined;
}

/** Opens the workspace named by `--db` (or the default SQLite file) and migrates it. */
export async function openStorage(
  url: string | undefined,
  options: OpenStorageOptions = {},
): Promise<Storage> {
  const target = resolveDatabaseTarget(url, options.env ?? process.env, options.cwd ?? process.cwd());
  const { db, dialect } = await openDatabase(target, options);
  return new Storage(db, dialect, options.clock);
}
