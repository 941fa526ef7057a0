import { CommanderError } from '@commander-js/extra-typings';
import { AtlasGuardError, ExitCode, formatError } from '@atlasguard/core/errors';
import { COMMANDS } from './commands/all.js';
import type { CliIo } from './context.js';
import { buildProgram, CLI_VERSION, wantsVersion } from './program.js';

const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

/** Runs the CLI with `argv` as in `process.argv` and returns the exit code; never throws. */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  if (wantsVersion(argv)) {
    io.stdout.write(`${CLI_VERSION}\n`);
    return ExitCode.Ok;
  }
  let exitCode: number = ExitCode.Ok;
  const program = buildProgram({ ...io, setExitCode: (code) => (exitCode = code) }, COMMANDS);
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.Ok;
    // Help shown because a command group was called without a subcommand (`atlasguard kb`) is a usage error.
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    return ExitCode.Usage;
  }
  const debug = io.env.DEBUG !== undefined && io.env.DEBUG !== '';
  if (error instanceof AtlasGuardError) {
    io.stderr.write(`atlasguard: ${formatError(error)}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`atlasguard: internal error: ${message}\n  hint: set DEBUG=1 for details and report it\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.Error;
}
