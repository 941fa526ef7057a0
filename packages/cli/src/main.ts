import { CommanderError } from '@commander-js/extra-typings';
import { AtlasGuardError, ExitCode, formatError } from '@atlasguard/core';
import { COMMANDS } from './commands/all.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram(
    { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
    COMMANDS,
  );
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    return reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return ExitCode.Ok;
    }
    return ExitCode.Usage;
  }
  if (error instanceof AtlasGuardError) {
    process.stderr.write(`atlasguard: ${formatError(error)}\n`);
    if (process.env.DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `atlasguard: internal error: ${message}\n  hint: set DEBUG=1 for details and report it\n`,
  );
  if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return ExitCode.Error;
}
