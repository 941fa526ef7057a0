import { loadCatalog, type LoadedCatalog } from '@atlasguard/io';
import type { CliContext } from '../context.js';
import { colorsFor, type Colors } from '../output/colors.js';

/** Colours for stdout: only on a TTY, never with --no-color or NO_COLOR. */
export function stdoutColors(ctx: CliContext): Colors {
  return colorsFor(ctx.stdout, ctx.globals().color, ctx.env);
}

/** A note on stderr, unless --quiet. */
export function note(ctx: CliContext, message: string): void {
  if (!ctx.globals().quiet) ctx.stderr.write(`atlasguard: ${message}\n`);
}

/** The catalog in the documented resolution order (--atlas-data, ATLAS_DATA, cache, verified download). */
export async function loadKbCatalog(ctx: CliContext): Promise<LoadedCatalog> {
  return loadCatalog({
    atlasData: ctx.globals().atlasData,
    env: ctx.env,
    cwd: ctx.cwd,
    log: (message) => {
      note(ctx, message);
    },
  });
}
