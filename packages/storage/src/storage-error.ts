/** Why a storage call failed, in terms a caller can map to a response (404, 409, 400). */
export type StorageErrorCode = 'not-found' | 'conflict' | 'invalid';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Maps driver constraint errors (SQLite and PostgreSQL) to a StorageError; anything else is rethrown. */
export function mapDriverError(error: unknown, what: string): never {
  if (error instanceof StorageError) throw error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    throw new StorageError('conflict', `${what} already exists`, { cause: error });
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new StorageError('not-found', `${what}: a referenced record does not exist`, { cause: error });
  }
  throw error;
}
