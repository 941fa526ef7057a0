import { ExitCode } from './exit-codes.js';

/** Where in a file an error sits; rendered as `file:line:col`. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export interface AtlasGuardErrorOptions {
  hint?: string;
  exitCode?: ExitCode;
  position?: SourcePosition;
  cause?: unknown;
}

/**
 * The one error type that reaches users: a message, a hint saying what to do, the exit code,
 * and a file position where a file is involved. The CLI prints it without a stack trace.
 */
export class AtlasGuardError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly position: SourcePosition | undefined;

  constructor(message: string, options: AtlasGuardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AtlasGuardError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Error;
    this.position = options.position;
  }
}

export function formatPosition(position: SourcePosition): string {
  let text = position.file;
  if (position.line !== undefined) {
    text += `:${String(position.line)}`;
    if (position.column !== undefined) text += `:${String(position.column)}`;
  }
  return text;
}

/** One-line rendering used by the CLI: `file:line:col: message` and a hint line. */
export function formatError(error: AtlasGuardError): string {
  const where = error.position ? `${formatPosition(error.position)}: ` : '';
  const hint = error.hint ? `\n  hint: ${error.hint}` : '';
  return `${where}${error.message}${hint}`;
}
