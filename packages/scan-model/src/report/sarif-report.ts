import { createHash } from 'node:crypto';
import { toSarif, type SarifLog, type SarifRuleInfo } from '@atlasguard/core';
import type { ScanReport } from '../scan/types.js';

/** SARIF 2.1.0 through the shared builder; inconclusive files mark the run as not fully successful. */
export function renderSarif(report: ScanReport): SarifLog {
  const findings = report.files.flatMap((f) => f.findings);
  const seen = new Set<string>();
  const rules: SarifRuleInfo[] = [];
  for (const f of findings) {
    if (seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    rules.push({
      id: f.ruleId,
      name: f.ruleId.replace(/^AG-MODEL-/, '').toLowerCase(),
      shortDescription: f.title,
      helpUri: 'https://atlas.mitre.org/techniques/AML.T0011.000',
    });
  }
  const log = toSarif(findings, {
    tool: {
      name: report.tool.name,
      version: report.tool.version,
      informationUri: 'https://atlas.mitre.org/',
    },
    rules,
    properties: {
      atlasVersion: report.atlasVersion,
      profiles: report.profiles,
      files: report.files.map((f) => ({
        path: f.path,
        sha256: f.sha256,
        format: f.format,
        verdict: f.verdict,
      })),
    },
    executionSuccessful: report.summary.inconclusive === 0,
  });
  // Stable fingerprints (file content hash, rule, member, offset) let code scanning match results across runs.
  const owners = report.files.flatMap((f) => f.findings.map(() => f.sha256));
  const results = log.runs[0]?.results ?? [];
  results.forEach((result, i) => {
    const f = findings[i];
    if (!f) return;
    const key = [owners[i] ?? '', f.ruleId, f.location?.member ?? '', String(f.location?.offset ?? '')].join(
      '|',
    );
    result.partialFingerprints = {
      'atlasguardFinding/v1': createHash('sha256').update(key).digest('hex').slice(0, 32),
    };
  });
  return log;
}
