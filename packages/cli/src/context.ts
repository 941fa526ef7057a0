import { z } from 'zod';

/** Global flags (DESIGN.md CLI contract), validated once and passed to every command. */
export const globalOptionsSchema = z.object({
  atlasData: z.string().optional(),
  color: z.boolean().default(true),
  quiet: z.boolean().default(false),
});
export type GlobalOptions = z.infer<typeof globalOptionsSchema>;

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
