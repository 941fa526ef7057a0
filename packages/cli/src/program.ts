import { Command, Option } from '@commander-js/extra-typings';
import { globalOptionsSchema, type CliContext } from './context.js';
import { CLI_VERSION } from './version.js';

/** One command module: adds its subcommands to the program. Modules load lazily in their actions. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export function buildProgram(
  ctx: Omit<CliContext, 'globals'>,
  registrations: readonly RegisterCommand[],
): Command {
  const program = new Command()
    .name('atlasguard')
    .description('MITRE ATLAS threat modelling, scanners and monitoring for AI systems')
    .version(CLI_VERSION)
    .addOption(
      new Option(
        '--atlas-data <path>',
        'ATLAS.yaml to use (else $ATLAS_DATA, the cache, or a verified download)',
      ),
    )
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only results, no progress or notes')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  const full: CliContext = {
    ...ctx,
    globals: () => globalOptionsSchema.parse(program.opts()),
  };
  for (const register of registrations) register(program, full);
  return program;
}
