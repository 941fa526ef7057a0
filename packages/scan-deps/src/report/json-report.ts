import type { ScanDepsResult } from '../scan-deps.js';
import type { ReportContext } from './report-context.js';

/** The `--format json` document: everything but the in-memory manifest. */
export function jsonReport(result: ScanDepsResult, ctx: ReportContext): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'manifest'));
  return {
    schemaVersion: 1,
    tool: ctx.tool,
    ...(ctx.atlasVersion !== undefined ? { atlasVersion: ctx.atlasVersion } : {}),
    ...rest,
  };
}

export function writeJson(result: ScanDepsResult, ctx: ReportContext): string {
  return `${JSON.stringify(jsonReport(result, ctx), null, 2)}\n`;
}
