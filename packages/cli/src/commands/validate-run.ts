import { ExitCode, formatPosition, QUESTIONS, type ModelIssue } from '@atlasguard/core';
import type { CliContext } from '../context.js';
import { colorsFor } from '../output/colors.js';
import { toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { loadKbCatalog } from './kb-runtime.js';
import { loadModel } from './model-input.js';
import type { VALIDATE_FORMATS } from './validate.js';

type Flags = { format?: (typeof VALIDATE_FORMATS)[number]; json?: boolean };

const issueJson = (i: ModelIssue): Record<string, unknown> => ({
  file: i.position.file,
  line: i.position.line,
  column: i.position.column,
  path: i.path.map(String).join('.'),
  message: i.message,
  ...(i.hint === undefined ? {} : { hint: i.hint }),
});

export async function runValidate(ctx: CliContext, modelArg: string, flags: Flags): Promise<void> {
  const format = chosenFormat(flags, 'text');
  const { catalog } = await loadKbCatalog(ctx);
  const loaded = await loadModel(ctx, modelArg, catalog, new Set(QUESTIONS.map((q) => q.id)));
  const errors = loaded.parsed.ok ? (loaded.check?.errors ?? []) : loaded.parsed.issues;
  const warnings = loaded.check?.warnings ?? [];
  const valid = errors.length === 0;
  if (format === 'json') {
    ctx.stdout.write(
      toJson({
        file: loaded.file.display,
        atlasVersion: catalog.version,
        valid,
        errors: errors.map(issueJson),
        warnings: warnings.map(issueJson),
      }),
    );
  } else {
    const err = colorsFor(ctx.stderr, ctx.globals().color, ctx.env);
    for (const i of errors) {
      ctx.stderr.write(
        `${formatPosition(i.position)}: ${err.red('error')}: ${i.message}\n${i.hint ? `  hint: ${i.hint}\n` : ''}`,
      );
    }
    for (const i of warnings) {
      ctx.stderr.write(
        `${formatPosition(i.position)}: ${err.yellow('warning')}: ${i.message}\n${i.hint ? `  hint: ${i.hint}\n` : ''}`,
      );
    }
    if (valid && loaded.parsed.ok) {
      const m = loaded.parsed.value.model;
      const assets = m.environment.length + m.platform.length + m.model.length + m.data.length;
      ctx.stdout.write(
        `${loaded.file.display}: valid (ATLAS ${catalog.version}; ${String(assets)} assets, ${String(m.flows.length)} flows, ` +
          `${String(m.mitigations.length)} mitigations, ${String(m.answers.length)} answers` +
          `${warnings.length > 0 ? `; ${String(warnings.length)} warnings` : ''})\n`,
      );
    } else {
      ctx.stderr.write(`${loaded.file.display}: ${String(errors.length)} error(s)\n`);
    }
  }
  if (!valid) ctx.setExitCode(ExitCode.Error);
}
