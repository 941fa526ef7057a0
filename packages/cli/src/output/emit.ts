import { resolve } from 'node:path';
import { writeFileAtomic } from '@atlasguard/io';
import type { CliContext } from '../context.js';

/** Sends a command's result to `--out` (atomically) or to stdout. */
export async function emit(ctx: CliContext, content: string, out: string | undefined): Promise<void> {
  const text = content.endsWith('\n') ? content : `${content}\n`;
  if (out === undefined || out === '-') {
    ctx.stdout.write(text);
    return;
  }
  await writeFileAtomic(resolve(ctx.cwd, out), text);
  const globals = ctx.globals();
  if (!globals.quiet) ctx.stderr.write(`wrote ${out}\n`);
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
