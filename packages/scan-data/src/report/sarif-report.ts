import { toSarif, type SarifLog } from '@atlasguard/core';
import type { ScanReport } from '../scan/scan-types.js';

/** SARIF 2.1.0 for code-scanning dashboards: one result per finding, checks as run properties. */
export function renderScanSarif(report: ScanReport): SarifLog {
  return toSarif(report.findings, {
    tool: { name: 'atlasguard-scan-data', version: report.tool.version },
    executionSuccessful: !report.inconclusive,
    properties: {
      verdict: report.verdict,
      ...(report.atlasVersion !== undefined ? { atlasVersion: report.atlasVersion } : {}),
      batch: report.batch,
      baseline: report.baseline,
      checks: report.checks.map((c) => ({
        id: c.id,
        status: c.status,
        statistic: c.statistic,
        threshold: c.threshold,
        count: c.count,
      })),
    },
  });
}
