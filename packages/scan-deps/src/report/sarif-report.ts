import { toSarif } from '@atlasguard/core';
import type { ScanDepsResult } from '../scan-deps.js';
import type { ReportContext } from './report-context.js';

export function writeSarif(result: ScanDepsResult, ctx: ReportContext): string {
  const log = toSarif(result.findings, {
    tool: { name: ctx.tool.name, version: ctx.tool.version },
    executionSuccessful: result.summary.verdict !== 'inconclusive',
    properties: {
      ...(ctx.atlasVersion !== undefined ? { atlasVersion: ctx.atlasVersion } : {}),
      mode: result.mode,
      osv: { digest: result.osv.digest, dbTime: result.osv.dbTime, stale: result.osv.stale },
      verdict: result.summary.verdict,
    },
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}
