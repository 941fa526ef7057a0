import type { Command, CommandUnknownOpts } from '@commander-js/extra-typings';

/**
 * The shared `scan` command group. `scan model`, `scan deps` and `scan data` live in different modules;
 * each asks for the group here so that whichever registers first creates it and the others reuse it.
 */
export function scanGroup(program: Command): CommandUnknownOpts {
  const existing = program.commands.find((command) => command.name() === 'scan');
  if (existing !== undefined) return existing;
  return program
    .command('scan')
    .description('scan model files, dependencies and datasets for AI supply-chain risks');
}
