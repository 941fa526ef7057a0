import { Option } from '@commander-js/extra-typings';
import type { RegisterCommand } from '../program.js';
import { formatOption, jsonOption } from '../output/format.js';

/** `assess --format` values; each maps to a writer in the registry (assess-run.ts). */
export const ASSESS_FORMATS = ['text', 'json', 'md', 'html', 'navigator', 'csv', 'sarif'] as const;
export type AssessFormat = (typeof ASSESS_FORMATS)[number];
export const ASSESS_FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;
/**
 * `--layer` values: core's NAVIGATOR_LAYER_KINDS, repeated here because command registration must not load
 * core (startup cost of every command); a test keeps the two equal.
 */
export const ASSESS_LAYERS = [
  'applicability',
  'inherent',
  'residual',
  'mitigation-coverage',
  'case-study-frequency',
] as const;

export interface AssessFlags {
  format?: AssessFormat;
  json?: boolean;
  out?: string;
  failOn: (typeof ASSESS_FAIL_ON)[number];
  baseline?: string;
  policy?: string;
  explain?: string;
  date?: string;
  top: string;
  layer?: (typeof ASSESS_LAYERS)[number];
}

/** `atlasguard assess MODEL`: the threat model of a system against the loaded ATLAS release. */
export const registerAssess: RegisterCommand = (program, ctx) => {
  program
    .command('assess')
    .description(
      'threat-model a system: decide every ATLAS technique, score and rank the risks, list mitigations, questions and scenarios',
    )
    .argument('<model>', 'system model (YAML), or a directory holding atlasguard.yaml')
    .addOption(formatOption(ASSESS_FORMATS, 'text'))
    .addOption(jsonOption())
    .option('--out <path>', 'write the report to PATH (atomically) instead of stdout')
    .addOption(
      new Option(
        '--fail-on <level>',
        'exit 1 when a residual risk at or above LEVEL is not excused by an unexpired decision',
      )
        .choices(ASSESS_FAIL_ON)
        .default('none' as const),
    )
    .option('--baseline <file>', 'an earlier `assess --format json`: report new, resolved and changed risks')
    .option('--policy <file>', 'scoring policy (YAML or JSON) overriding the default weights')
    .option(
      '--explain <id>',
      'print why a technique was decided and how its score was computed, factor by factor',
    )
    .option('--date <yyyy-mm-dd>', 'assess as of this date (acceptance expiry); default: today (UTC)')
    .option('--top <n>', 'risks shown in the text summary', '10')
    .addOption(
      new Option(
        '--layer <kind>',
        'with --format navigator: write only this layer, as one layer object (for Navigators without multi-layer files, such as the hosted ATLAS Navigator)',
      ).choices(ASSESS_LAYERS),
    )
    .action(async (model, flags) => {
      const { runAssess } = await import('./assess-run.js');
      await runAssess(ctx, model, flags);
    });
};
