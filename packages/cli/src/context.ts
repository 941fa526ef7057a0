/** Global flags (DESIGN.md CLI contract), read once and passed to every command. */
export interface GlobalOptions {
  atlasData?: string | undefined;
  color: boolean;
  quiet: boolean;
}

/**
 * Reads the global flags from commander's parsed options. Written by hand, not with zod: every command runs
 * through here, and loading a schema library costs a warm `kb info` more than the rest of its work.
 */
export function parseGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  const { atlasData, color, quiet } = raw;
  if (atlasData !== undefined && typeof atlasData !== 'string')
    throw new TypeError('--atlas-data takes a path');
  return {
    ...(atlasData === undefined ? {} : { atlasData }),
    color: color !== false,
    quiet: quiet === true,
  };
}

/** What a command needs from the process, injected so commands are testable without a real terminal. */
export interface CliContext {
  stdout: { write(chunk: string): boolean; isTTY?: boolean };
  stderr: { write(chunk: string): boolean; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Reads global flags at action time (after parsing). */
  globals(): GlobalOptions;
  /** Sets the process exit code for this run (the highest-priority code set wins: last call). */
  setExitCode(code: number): void;
}

/** The process streams and environment a run uses; tests pass captured ones. */
export type CliIo = Pick<CliContext, 'stdout' | 'stderr' | 'env' | 'cwd'>;
