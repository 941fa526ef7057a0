import { createHash } from 'node:crypto';
import { toSarif, type SarifLog, type SarifRuleInfo } from '@atlasguard/core/sarif';
import type { ScanReport } from '../scan/types.js';

interface SarifArtifact {
  location: { uri: string };
  parentIndex?: number;
  length?: number;
  hashes?: Record<string, string>;
  properties?: Record<string, unknown>;
}

const uriOf = (path: string): string =>
  path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');

/**
 * `artifacts[]`: each scanned file (length, sha-256, format, verdict), then every archive member named by a
 * finding, nested through `parentIndex` along its location chain (`outer.zip!inner.pt!archive/data.pkl`).
 * Returns the artifacts and a lookup from "file index + chain" to the member's index.
 */
function artifactsOf(report: ScanReport): { artifacts: SarifArtifact[]; index: Map<string, number> } {
  const artifacts: SarifArtifact[] = report.files.map((f) => ({
    location: { uri: uriOf(f.path) },
    length: f.size,
    hashes: { 'sha-256': f.sha256 },
    properties: { format: f.format, verdict: f.verdict },
  }));
  const index = new Map<string, number>();
  report.files.forEach((file, fileIndex) => {
    for (const finding of file.findings) {
      const member = finding.location?.member;
      if (member === undefined) continue;
      let parent = fileIndex;
      let chain = '';
      for (const part of member.split('!')) {
        chain = chain === '' ? part : `${chain}!${part}`;
        const key = `${String(fileIndex)}|${chain}`;
        let at = index.get(key);
        if (at === undefined) {
          at = artifacts.length;
          artifacts.push({ location: { uri: uriOf(part) }, parentIndex: parent });
          index.set(key, at);
        }
        parent = at;
      }
    }
  });
  return { artifacts, index };
}

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
  const ownerIndex = report.files.flatMap((f, i) => f.findings.map(() => i));
  const run = log.runs[0] as ((typeof log.runs)[number] & { artifacts?: SarifArtifact[] }) | undefined;
  const { artifacts, index } = artifactsOf(report);
  if (run) run.artifacts = artifacts;
  const results = run?.results ?? [];
  results.forEach((result, i) => {
    const f = findings[i];
    if (!f) return;
    const fileIndex = ownerIndex[i] ?? 0;
    const member = f.location?.member;
    const memberIndex = member === undefined ? undefined : index.get(`${String(fileIndex)}|${member}`);
    // The file is the primary location (what code scanning shows); a finding inside an archive member points
    // at the member's artifact as a related location, where its byte offset belongs.
    // A finding in another file than the scanned one (Python code named by auto_map) gets an artifact of its own.
    const path = f.location?.path ?? '';
    let pathIndex = fileIndex;
    if (path !== report.files[fileIndex]?.path) {
      const uri = uriOf(path);
      const known = artifacts.findIndex((a) => a.parentIndex === undefined && a.location.uri === uri);
      pathIndex = known >= 0 ? known : artifacts.push({ location: { uri } }) - 1;
    }
    const line = f.location?.line;
    const region =
      line !== undefined
        ? {
            region: {
              startLine: line,
              ...(f.location?.column !== undefined ? { startColumn: f.location.column } : {}),
            },
          }
        : memberIndex === undefined && f.location?.offset !== undefined
          ? { region: { byteOffset: f.location.offset } }
          : {};
    result.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(path), index: pathIndex },
          ...region,
        },
        ...(member !== undefined ? { logicalLocations: [{ fullyQualifiedName: member }] } : {}),
      },
    ];
    if (memberIndex !== undefined && member !== undefined) {
      result.relatedLocations = [
        {
          id: 1,
          physicalLocation: {
            artifactLocation: { uri: uriOf(member.split('!').pop() ?? member), index: memberIndex },
            ...(f.location?.offset !== undefined ? { region: { byteOffset: f.location.offset } } : {}),
          },
          message: { text: `archive member ${member}` },
        },
      ];
    }
    const key = [owners[i] ?? '', f.ruleId, f.location?.member ?? '', String(f.location?.offset ?? '')].join(
      '|',
    );
    result.partialFingerprints = {
      'atlasguardFinding/v1': createHash('sha256').update(key).digest('hex').slice(0, 32),
    };
  });
  return log;
}
