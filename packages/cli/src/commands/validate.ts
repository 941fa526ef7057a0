import type { RegisterCommand } from '../program.js';
import { formatOption, jsonOption } from '../output/format.js';

export const VALIDATE_FORMATS = ['text', 'json'] as const;

/** `atlasguard validate MODEL`: every problem of a system model, each at `file:line:col` with a hint. */
export const registerValidate: RegisterCommand = (program, ctx) => {
  program
    .command('validate')
    .description('check a system model: schema, references between assets, ATLAS IDs (exit 2 on any error)')
    .argument('<model>', 'system model (YAML), or a directory holding atlasguard.yaml')
    .addOption(formatOption(VALIDATE_FORMATS, 'text'))
    .addOption(jsonOption())
    .action(async (model, flags) => {
      const { runValidate } = await import('./validate-run.js');
      await runValidate(ctx, model, flags);
    });
};
