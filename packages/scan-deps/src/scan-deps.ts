import { isAtOrAbove, type FailOn, type Finding, type Severity } from '@atlasguard/core';
import { diffManifests, type PackageChange } from './checks/diff.js';
import { PublicNames } from './checks/public-names.js';
import { runChecks } from './checks/run-checks.js';
import { matchPackages, type VulnHit } from './checks/vulns.js';
import { loadManifest } from './manifest/load-manifest.js';
import {
  applyTarget,
  targetEnvironment,
  type ExcludedPackage,
  type TargetOptions,
  type UndecidedMarker,
} from './manifest/target-env.js';
import type { InputFormat, Manifest } from './manifest/types.js';
import type { OsvIndex } from './osv/osv-index.js';
import { loadOsvIndex } from './osv/load-osv.js';

export interface ScanDepsOptions {
  lockfile: string;
  previous?: string;
  inputFormat?: InputFormat;
  osvPath?: string;
  cacheDir: string;
  useIndexCache?: boolean;
  /** Data older than this makes the run inconclusive. */
  maxAgeMs: number;
  now: Date;
  failOn: FailOn;
  /** Package-name prefixes that are the organisation's own (dependency-confusion exposure). */
  internalPrefixes?: readonly string[];
  /** Target environment for PEP 508 markers; without it every requirement counts. */
  target?: TargetOptions;
  /** Absolute path → the path shown in reports. */
  display: (path: string) => string;
  notes?: (message: string) => void;
}

export interface VulnSummary {
  id: string;
  ids: string[];
  aliases: string[];
  package: string;
  ecosystem: string;
  version: string;
  direct: boolean;
  severity: Severity;
  score?: number;
  /** The CVSS vector the score comes from. */
  vector?: string;
  malicious: boolean;
  summary: string;
  fixedIn: string[];
}

export interface ChangeSummary {
  ecosystem: string;
  name: string;
  from?: string;
  to?: string;
  direct: boolean;
}

export type Verdict = 'clean' | 'findings' | 'inconclusive';

export interface ScanDepsResult {
  mode: 'audit' | 'diff';
  input: { path: string; format: InputFormat; packages: number; direct: number; files: string[] };
  previous?: { path: string; format: InputFormat; packages: number; direct: number; files: string[] };
  osv: {
    source: string;
    digest: string;
    dbTime: string;
    ageHours: number;
    maxAgeHours: number;
    stale: boolean;
    records: number;
    withdrawn: number;
    invalid: number;
  };
  diff?: {
    added: ChangeSummary[];
    removed: ChangeSummary[];
    upgraded: ChangeSummary[];
    downgraded: ChangeSummary[];
    changed: ChangeSummary[];
    sourceChanged: Array<{ name: string; version?: string; from: string; to: string }>;
    hashChanged: Array<{ name: string; version?: string; files: string[] }>;
  };
  vulnerabilities: { introduced: VulnSummary[]; present: VulnSummary[]; fixed: VulnSummary[] };
  notCovered: string[];
  /** The marker environment evaluated (only with a target). */
  target?: { environment: Record<string, string>; extras: string[] };
  /** Requirements whose markers are false for the target: not installed there, not checked. */
  excluded?: ExcludedPackage[];
  /** Requirements kept although their markers could not be decided for the target. */
  undecidedMarkers?: UndecidedMarker[];
  /** Packages without an exact version, so not matched against advisories. */
  unmatched: string[];
  findings: Finding[];
  summary: Record<Severity, number> & { verdict: Verdict; reason?: string };
  /** The resolved set (for the CycloneDX SBOM); not part of the JSON report. */
  manifest: Manifest;
}

function vulnSummary(h: VulnHit): VulnSummary {
  return {
    id: h.vuln.id,
    ids: h.ids,
    aliases: h.vuln.aliases,
    package: h.pkg.displayName,
    ecosystem: h.pkg.ecosystem,
    version: h.pkg.version ?? '',
    direct: h.pkg.direct,
    severity: h.vuln.severity,
    ...(h.vuln.score !== undefined ? { score: h.vuln.score } : {}),
    ...(h.vuln.score !== undefined && h.vuln.vector !== undefined ? { vector: h.vuln.vector } : {}),
    malicious: h.vuln.malicious,
    summary: h.vuln.summary,
    fixedIn: h.fixes,
  };
}

function change(c: PackageChange): ChangeSummary {
  return {
    ecosystem: c.ecosystem,
    name: c.displayName,
    ...(c.from !== undefined ? { from: c.from } : {}),
    ...(c.to !== undefined ? { to: c.to } : {}),
    direct: c.direct,
  };
}

function inputInfo(m: Manifest, display: (p: string) => string): ScanDepsResult['input'] {
  return {
    path: display(m.path),
    format: m.format,
    packages: m.packages.length,
    direct: m.packages.filter((p) => p.direct).length,
    files: m.files.map(display),
  };
}

/** Audits one dependency input, or the update from `previous` to it, against offline OSV data. */
export async function scanDeps(options: ScanDepsOptions): Promise<ScanDepsResult> {
  let current = await loadManifest(options.lockfile, options.inputFormat);
  let previous =
    options.previous !== undefined ? await loadManifest(options.previous, options.inputFormat) : undefined;
  const env = options.target !== undefined ? targetEnvironment(options.target) : undefined;
  let excluded: ExcludedPackage[] | undefined;
  let undecided: UndecidedMarker[] | undefined;
  if (env !== undefined) {
    const applied = applyTarget(current, env);
    current = applied.manifest;
    excluded = applied.excluded.map((e) => ({ ...e, file: options.display(e.file) }));
    undecided = applied.undecided.map((e) => ({ ...e, file: options.display(e.file) }));
    if (previous !== undefined) previous = applyTarget(previous, env).manifest;
    const first = undecided[0];
    if (first !== undefined) {
      options.notes?.(
        `${String(undecided.length)} requirement(s) kept although their markers could not be decided for the target (counted as installed); first: ${first.name} at ${first.file}${first.line !== undefined ? `:${String(first.line)}` : ''} (${first.reason})`,
      );
    }
  }
  const index: OsvIndex = await loadOsvIndex({
    ...(options.osvPath !== undefined ? { path: options.osvPath } : {}),
    cacheDir: options.cacheDir,
    ...(options.useIndexCache !== undefined ? { useIndexCache: options.useIndexCache } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
  });
  const ageMs = Math.max(0, options.now.getTime() - Date.parse(index.meta.dbTime));
  const stale = ageMs > options.maxAgeMs;
  const matches = matchPackages(current.packages, index);
  const previousMatches = previous !== undefined ? matchPackages(previous.packages, index) : undefined;
  const diff = previous !== undefined ? diffManifests(previous, current) : undefined;
  const { findings, vulns } = runChecks({
    current,
    ...(previous !== undefined ? { previous } : {}),
    ...(diff !== undefined ? { diff } : {}),
    matches,
    ...(previousMatches !== undefined ? { previousMatches } : {}),
    publicNames: new PublicNames(index),
    ...(options.internalPrefixes !== undefined ? { internalPrefixes: options.internalPrefixes } : {}),
    display: options.display,
  });
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const failing =
    options.failOn !== 'none' && findings.some((f) => isAtOrAbove(f.severity, options.failOn as Severity));
  const verdict: Verdict = stale ? 'inconclusive' : failing ? 'findings' : 'clean';
  const hours = (ms: number): number => Math.round((ms / 3_600_000) * 10) / 10;
  const pick = (kind: PackageChange['kind']): ChangeSummary[] =>
    (diff?.changes ?? []).filter((c) => c.kind === kind).map(change);
  return {
    mode: previous !== undefined ? 'diff' : 'audit',
    input: inputInfo(current, options.display),
    ...(previous !== undefined ? { previous: inputInfo(previous, options.display) } : {}),
    osv: {
      source: options.osvPath !== undefined ? options.display(index.meta.source) : index.meta.source,
      digest: index.meta.digest,
      dbTime: index.meta.dbTime,
      ageHours: hours(ageMs),
      maxAgeHours: hours(options.maxAgeMs),
      stale,
      records: index.meta.recordCount,
      withdrawn: index.meta.withdrawnCount,
      invalid: index.meta.invalidCount,
    },
    ...(diff !== undefined
      ? {
          diff: {
            added: pick('added'),
            removed: pick('removed'),
            upgraded: pick('upgraded'),
            downgraded: pick('downgraded'),
            changed: pick('changed'),
            sourceChanged: diff.sourceChanges.map((s) => ({
              name: s.pkg.displayName,
              ...(s.pkg.version !== undefined ? { version: s.pkg.version } : {}),
              from: s.from,
              to: s.to,
            })),
            hashChanged: diff.hashChanges.map((h) => ({
              name: h.pkg.displayName,
              ...(h.pkg.version !== undefined ? { version: h.pkg.version } : {}),
              files: h.files,
            })),
          },
        }
      : {}),
    vulnerabilities: {
      introduced: vulns.introduced.map(vulnSummary),
      present: vulns.present.map(vulnSummary),
      fixed: vulns.fixed.map(vulnSummary),
    },
    notCovered: current.notCovered.map((p) => p.displayName),
    ...(env !== undefined
      ? {
          target: {
            environment: Object.fromEntries(Object.entries(env.values)),
            extras: [...env.extras],
          },
          excluded: excluded ?? [],
          undecidedMarkers: undecided ?? [],
        }
      : {}),
    unmatched: matches.unpinned.map((p) => p.displayName),
    findings,
    summary: {
      ...counts,
      verdict,
      ...(stale
        ? {
            reason: `OSV data is ${String(hours(ageMs))} h old, over the ${String(hours(options.maxAgeMs))} h limit`,
          }
        : {}),
    },
    manifest: current,
  };
}
