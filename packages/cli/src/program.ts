import { Command, Help, Option } from '@commander-js/extra-typings';
import { parseGlobalOptions, type CliContext } from './context.js';
import { CLI_VERSION } from './version.js';

/** One command module: adds its subcommands to the program. Modules load lazily in their actions. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/**
 * True for `atlasguard --version` / `-V`: the flag given before any command (not `kb update --version V`).
 */
export function wantsVersion(argv: readonly string[]): boolean {
  for (const arg of argv.slice(2)) {
    if (arg === '--version' || arg === '-V') return true;
    if (!arg.startsWith('-')) return false;
  }
  return false;
}

export { CLI_VERSION };

export function buildProgram(
  ctx: Omit<CliContext, 'globals'>,
  registrations: readonly RegisterCommand[],
): Command {
  const program = new Command()
    .name('atlasguard')
    .description('MITRE ATLAS threat modelling, scanners and monitoring for AI systems')
    // `--version` is handled by `wantsVersion` in main.ts, not by commander: a root option would swallow
    // `--version` given to a subcommand (`kb update --version 5.5.0`). It is listed in the help all the same.
    .configureHelp({
      visibleOptions: (command) => {
        const options = new Help().visibleOptions(command);
        if (command.parent === null)
          options.unshift(new Option('-V, --version', 'output the version number'));
        return options;
      },
    })
    .addOption(
      new Option(
        '--atlas-data <path>',
        'ATLAS.yaml to use (else $ATLAS_DATA, the cache, or a verified download)',
      ),
    )
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only results, no progress or notes')
    .showSuggestionAfterError(true)
    // Before any subcommand is added: subcommands copy these settings when they are created.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  const full: CliContext = {
    ...ctx,
    globals: () => parseGlobalOptions(program.opts()),
  };
  for (const register of registrations) register(program, full);
  return program;
}
