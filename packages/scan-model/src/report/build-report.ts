import type { FileReport, ScanReport, ScanSummary } from '../scan/types.js';

export const TOOL_NAME = 'atlasguard';

export function summarize(files: readonly FileReport[]): ScanSummary {
  const count = (v: FileReport['verdict']): number => files.filter((f) => f.verdict === v).length;
  return {
    files: files.length,
    clean: count('clean'),
    suspicious: count('suspicious'),
    malicious: count('malicious'),
    inconclusive: count('inconclusive'),
    findings: files.reduce((n, f) => n + f.findings.length, 0),
    bytes: files.reduce((n, f) => n + f.size, 0),
  };
}

export function buildReport(
  files: readonly FileReport[],
  meta: { version: string; atlasVersion: string; profiles: readonly string[] },
): ScanReport {
  return {
    tool: { name: TOOL_NAME, version: meta.version },
    atlasVersion: meta.atlasVersion,
    profiles: meta.profiles,
    files,
    summary: summarize(files),
  };
}

/** `model.pt!archive/data.pkl@0x1f3`: where a finding sits, down through archive members. */
export function locationChain(
  loc:
    | {
        path?: string | undefined;
        member?: string | undefined;
        offset?: number | undefined;
        line?: number | undefined;
        column?: number | undefined;
      }
    | undefined,
): string {
  if (!loc) return '';
  let out = loc.path ?? '';
  if (loc.member !== undefined) out += `!${loc.member}`;
  if (loc.line !== undefined) out += `:${String(loc.line)}:${String(loc.column ?? 1)}`;
  else if (loc.offset !== undefined) out += `@0x${loc.offset.toString(16)}`;
  return out;
}
