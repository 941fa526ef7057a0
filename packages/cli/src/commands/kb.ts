import { Command } from '@commander-js/extra-typings';
import type { CliContext } from '../context.js';
import { formatOption, jsonOption, positiveInteger } from '../output/format.js';

// `atlasguard kb …`: the ATLAS knowledge base. Registration is cheap; each action imports its module when it
// runs, so `kb info` loads neither the YAML parser nor the code of other commands.

const FORMATS = ['text', 'json'] as const;

export function registerKb(program: Command, ctx: CliContext): void {
  const kb = program
    .command('kb')
    .description('the MITRE ATLAS knowledge base: info, show, search, matrix, diff, update');

  kb.command('info')
    .description('ATLAS release in use: version, counts, maturity, warnings, source and sha256')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .option('--warnings', 'list the data warnings found while loading')
    .action(async (options) => {
      const { kbInfo } = await import('./kb-info.js');
      await kbInfo(ctx, options);
    });

  kb.command('show')
    .description('one technique, tactic, mitigation or case study, with everything it links to')
    .argument('<id>', 'ATLAS ID, e.g. AML.T0051, AML.TA0002, AML.M0015, AML.CS0009 (or a tactic shortname)')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .option('--width <n>', 'wrap text at N columns', positiveInteger(1000))
    .action(async (id, options) => {
      const { kbShow } = await import('./kb-show.js');
      await kbShow(ctx, id, options);
    });

  kb.command('search')
    .description('ranked full-text search over IDs, names and descriptions')
    .argument('<text...>', 'words to look for')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .option('--limit <n>', 'most results to show (default 10)', positiveInteger(1000))
    .option('--kind <kinds>', 'only these kinds: technique, tactic, mitigation, case-study (comma-separated)')
    .action(async (words, options) => {
      const { kbSearch } = await import('./kb-search.js');
      await kbSearch(ctx, words, options);
    });

  kb.command('matrix')
    .description('the ATLAS matrix in the terminal: tactics as columns, in bands that fit the width')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .option('--subtechniques', 'list sub-techniques under their techniques')
    .option('--width <n>', 'total width (default: the terminal, or 120)', positiveInteger(1000))
    .action(async (options) => {
      const { kbMatrix } = await import('./kb-matrix.js');
      await kbMatrix(ctx, options);
    });

  kb.command('diff')
    .description('what changed between two releases (file paths or cached versions, e.g. 5.5.0 5.6.0)')
    .argument('<old>', 'older release: ATLAS.yaml path or cached version')
    .argument('<new>', 'newer release: ATLAS.yaml path or cached version')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .action(async (oldSpec, newSpec, options) => {
      const { kbDiff } = await import('./kb-diff.js');
      await kbDiff(ctx, oldSpec, newSpec, options);
    });

  kb.command('update')
    .description('fetch an ATLAS release into the user cache, verified by sha256, and make it the default')
    .option('--version <version>', 'release to fetch (default: the pinned release)')
    .option('--from <file>', 'import a local ATLAS.yaml instead of downloading (offline)')
    .option('--url <url>', 'download from this URL instead of the official release (mirrors)')
    .option('--fetch-only', 'store the release without making it the default')
    .addOption(formatOption(FORMATS, 'text'))
    .addOption(jsonOption())
    .action(async (options) => {
      const { kbUpdate } = await import('./kb-update.js');
      await kbUpdate(ctx, options);
    });
}
