import { atlasUrl } from '../../atlas/links.js';
import type { Finding } from '../../findings/finding.js';
import { securitySeverityScore, type Severity } from '../../findings/severity-rank.js';

// A small SARIF 2.1.0 builder for findings. Output is validated against the OASIS schema in tests.

export interface SarifTool {
  name: string;
  version: string;
  informationUri?: string;
}

export interface SarifRuleInfo {
  id: string;
  name?: string;
  shortDescription: string;
  fullDescription?: string;
  helpUri?: string;
}

export interface SarifOptions {
  tool: SarifTool;
  /** Optional rule descriptions; rules not listed are derived from the first finding that uses them. */
  rules?: readonly SarifRuleInfo[];
  /** Extra run-level properties (e.g. the ATLAS release used). */
  properties?: Record<string, unknown>;
  /** The run's invocation outcome; false marks an inconclusive run. */
  executionSuccessful?: boolean;
}

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: Record<string, unknown> };
  invocations: Array<{ executionSuccessful: boolean }>;
  results: Array<Record<string, unknown>>;
  properties?: Record<string, unknown>;
}

export function sarifLevel(severity: Severity): SarifLevel {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    case 'low':
    case 'info':
      return 'note';
  }
}

function artifactUri(path: string): string {
  // SARIF wants URI references: forward slashes and percent-encoding of characters that are not URI-safe.
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function locationOf(finding: Finding): Array<Record<string, unknown>> | undefined {
  const loc = finding.location;
  if (!loc?.path) return undefined;
  const physical: Record<string, unknown> = { artifactLocation: { uri: artifactUri(loc.path) } };
  if (loc.line !== undefined) {
    physical.region = {
      startLine: loc.line,
      ...(loc.column !== undefined ? { startColumn: loc.column } : {}),
    };
  } else if (loc.offset !== undefined) {
    physical.region = { byteOffset: loc.offset };
  }
  const location: Record<string, unknown> = { physicalLocation: physical };
  const logical: string[] = [];
  if (loc.member !== undefined) logical.push(loc.member);
  if (loc.pointer !== undefined) logical.push(loc.pointer);
  if (loc.row !== undefined) logical.push(`row ${String(loc.row)}`);
  if (logical.length > 0) location.logicalLocations = logical.map((name) => ({ fullyQualifiedName: name }));
  return [location];
}

/** Builds a SARIF 2.1.0 log with one run holding the findings. */
export function toSarif(findings: readonly Finding[], options: SarifOptions): SarifLog {
  const ruleInfo = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const ruleOrder: string[] = [];
  const ruleFirst = new Map<string, Finding>();
  const ruleMaxSeverity = new Map<string, Severity>();
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  for (const f of findings) {
    if (!ruleFirst.has(f.ruleId)) {
      ruleFirst.set(f.ruleId, f);
      ruleOrder.push(f.ruleId);
    }
    const current = ruleMaxSeverity.get(f.ruleId);
    if (current === undefined || order.indexOf(f.severity) > order.indexOf(current))
      ruleMaxSeverity.set(f.ruleId, f.severity);
  }
  const ruleIndex = new Map(ruleOrder.map((id, i) => [id, i]));
  const rules = ruleOrder.map((id) => {
    const first = ruleFirst.get(id);
    const info = ruleInfo.get(id);
    // SARIF requires unique tags; a finding may name an ID twice.
    const tags = first
      ? [...new Set([...first.atlas.techniques, ...first.atlas.mitigations, `atlas/${first.element}`])]
      : [];
    const helpUri =
      info?.helpUri ?? (first?.atlas.techniques[0] ? atlasUrl(first.atlas.techniques[0]) : undefined);
    const severity = ruleMaxSeverity.get(id) ?? 'medium';
    return {
      id,
      ...(info?.name ? { name: info.name } : {}),
      shortDescription: { text: info?.shortDescription ?? first?.title ?? id },
      ...(info?.fullDescription ? { fullDescription: { text: info.fullDescription } } : {}),
      ...(helpUri ? { helpUri } : {}),
      ...(first?.remediation ? { help: { text: first.remediation } } : {}),
      defaultConfiguration: { level: sarifLevel(severity) },
      properties: { tags, 'security-severity': securitySeverityScore(severity) },
    };
  });
  const results = findings.map((f) => {
    const locations = locationOf(f);
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
      level: sarifLevel(f.severity),
      message: { text: f.evidence ? `${f.message}\n${f.evidence}` : f.message },
      properties: {
        severity: f.severity,
        'security-severity': securitySeverityScore(f.severity),
        element: f.element,
        atlasTechniques: f.atlas.techniques,
        atlasMitigations: f.atlas.mitigations,
        ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
      },
    };
    if (locations) result.locations = locations;
    return result;
  });
  const run: SarifRun = {
    tool: {
      driver: {
        name: options.tool.name,
        version: options.tool.version,
        informationUri: options.tool.informationUri ?? 'https://atlas.mitre.org/',
        rules,
      },
    },
    invocations: [{ executionSuccessful: options.executionSuccessful ?? true }],
    results,
  };
  if (options.properties) run.properties = options.properties;
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}
