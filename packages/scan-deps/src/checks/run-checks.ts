import type { Finding, Severity } from '@atlasguard/core';
import { VENDOR_INDEX_PYPI } from '../data/popular-packages.js';
import type { IndexConfig, Manifest, ResolvedPackage } from '../manifest/types.js';
import { packageKey } from '../manifest/types.js';
import { isCommitRef } from '../parsers/pep508.js';
import type { ManifestDiff } from './diff.js';
import { looksInternal, organisationWords } from './internal-names.js';
import type { PublicNames } from './public-names.js';
import { finding, TORCHTRITON_CASE_STUDY } from './rules.js';
import { findTyposquat } from './typosquat.js';
import type { MatchSummary, VulnHit } from './vulns.js';

export interface CheckInput {
  current: Manifest;
  previous?: Manifest;
  diff?: ManifestDiff;
  matches?: MatchSummary;
  previousMatches?: MatchSummary;
  publicNames: PublicNames;
  /** Name prefixes the user declares internal (`--internal-prefix`). */
  internalPrefixes?: readonly string[];
  /** Turns absolute paths into the paths reports show. */
  display: (path: string) => string;
}

export interface VulnStatus {
  introduced: VulnHit[];
  present: VulnHit[];
  fixed: VulnHit[];
}

const LOCK_FORMATS = new Set(['poetry-lock', 'uv-lock', 'pdm-lock', 'pipfile-lock', 'package-lock']);

function loc(input: CheckInput, p: { file: string; line?: number }): Finding['location'] {
  return { path: input.display(p.file), ...(p.line !== undefined ? { line: p.line } : {}) };
}

function label(p: ResolvedPackage): string {
  return `${p.displayName}${p.version !== undefined ? `==${p.version}` : p.specifier !== undefined ? ` ${p.specifier}` : ''}`;
}

/** Splits vulnerability hits into introduced / still present / fixed by the update. */
export function vulnStatus(
  matches: MatchSummary | undefined,
  previous: MatchSummary | undefined,
): VulnStatus {
  const hits = matches?.hits ?? [];
  if (previous === undefined) return { introduced: [], present: hits, fixed: [] };
  const before = new Map<string, Set<string>>();
  for (const h of previous.hits) {
    const key = packageKey(h.pkg);
    let set = before.get(key);
    if (set === undefined) before.set(key, (set = new Set()));
    for (const id of [...h.ids, ...h.vuln.aliases]) set.add(id);
  }
  const after = new Map<string, Set<string>>();
  for (const h of hits) {
    const key = packageKey(h.pkg);
    let set = after.get(key);
    if (set === undefined) after.set(key, (set = new Set()));
    for (const id of [...h.ids, ...h.vuln.aliases]) set.add(id);
  }
  const seenBefore = (h: VulnHit, map: Map<string, Set<string>>): boolean => {
    const set = map.get(packageKey(h.pkg));
    return set !== undefined && [...h.ids, ...h.vuln.aliases].some((id) => set.has(id));
  };
  return {
    introduced: hits.filter((h) => !seenBefore(h, before)),
    present: hits.filter((h) => seenBefore(h, before)),
    fixed: previous.hits.filter((h) => !seenBefore(h, after)),
  };
}

function vulnFindings(input: CheckInput, status: VulnStatus, diffMode: boolean): Finding[] {
  const out: Finding[] = [];
  const emit = (hit: VulnHit, introduced: boolean): void => {
    const { pkg, vuln } = hit;
    const when = diffMode
      ? introduced
        ? ' (introduced by this update)'
        : ' (already present before this update)'
      : '';
    const fix = hit.fixes[0];
    const evidence = [
      `${hit.ids.join(', ')}${vuln.aliases.length > 0 ? ` (aliases: ${vuln.aliases.filter((a) => !hit.ids.includes(a)).join(', ')})` : ''}`,
      vuln.score !== undefined
        ? `CVSS ${vuln.score.toFixed(1)} ${vuln.vector ?? ''}`.trim()
        : `severity from ${vuln.severitySource === 'ghsa' ? 'GHSA rating' : vuln.severitySource}`,
      ...(pkg.direct ? [] : ['transitive dependency']),
    ].join('; ');
    const references = [
      { label: vuln.id, url: `https://osv.dev/vulnerability/${encodeURIComponent(vuln.id)}` },
    ];
    if (vuln.malicious) {
      out.push(
        finding('malicious', 'critical', {
          title: `Malicious package ${pkg.displayName}`,
          message: `${label(pkg)} is reported as malicious (${vuln.id}): ${vuln.summary}${when}`,
          location: loc(input, pkg),
          evidence,
          references,
        }),
      );
      return;
    }
    out.push(
      finding('vulnerable', vuln.severity, {
        title: `${vuln.id} in ${pkg.displayName} ${pkg.version ?? ''}`.trim(),
        message: `${label(pkg)}: ${vuln.summary}${when}`,
        location: loc(input, pkg),
        evidence,
        remediation:
          fix !== undefined
            ? `Upgrade ${pkg.displayName} to ${fix} or later.`
            : 'No fixed version is known: remove or replace the package, or isolate the affected feature.',
        references,
      }),
    );
  };
  for (const h of status.introduced) emit(h, true);
  for (const h of status.present) emit(h, false);
  return out;
}

/** Names that are new in this update (not present at any version before). */
function newNames(input: CheckInput): Set<string> {
  if (input.previous === undefined) return new Set(input.current.packages.map(packageKey));
  const before = new Set(input.previous.packages.map(packageKey));
  return new Set(input.current.packages.map(packageKey).filter((k) => !before.has(k)));
}

function indexKey(i: IndexConfig): string {
  return `${i.role}|${i.url.replace(/\/+$/, '')}`;
}

/** Runs every dependency check and returns the findings, most severe first. */
export function runChecks(input: CheckInput): { findings: Finding[]; vulns: VulnStatus } {
  const diffMode = input.previous !== undefined;
  const findings: Finding[] = [];
  const status = vulnStatus(input.matches, input.previousMatches);
  findings.push(...vulnFindings(input, status, diffMode));
  const fresh = newNames(input);
  const current = input.current;

  // Re-uploaded artifacts and source moves.
  for (const h of input.diff?.hashChanges ?? []) {
    findings.push(
      finding('hashChanged', 'critical', {
        message: `${label(h.pkg)} has the same version as before but different artifact hashes${h.files[0] !== '*' ? ` (${h.files.slice(0, 5).join(', ')})` : ''}`,
        location: loc(input, h.pkg),
        evidence: h.disjoint
          ? 'none of the previous hashes is in the new set'
          : 'a file kept its name and changed its digest',
      }),
    );
  }
  for (const s of input.diff?.sourceChanges ?? []) {
    findings.push(
      finding('sourceChanged', 'high', {
        message: `${label(s.pkg)} moved from ${s.from} to ${s.to}`,
        location: loc(input, s.pkg),
      }),
    );
  }

  // Dependency confusion (the torchtriton pattern).
  const previousIndexes = new Set((input.previous?.indexes ?? []).map(indexKey));
  if (diffMode) {
    // A replaced default index or new find-links location moves every package at once.
    const before = (input.previous?.indexes ?? []).filter((i) => i.role !== 'extra');
    for (const i of current.indexes) {
      if (i.role === 'extra' || previousIndexes.has(indexKey(i))) continue;
      const was = before.find((b) => b.role === i.role);
      findings.push(
        finding('sourceChanged', 'high', {
          title: 'Package index changed',
          message: `${i.role} index is now ${i.url}${was !== undefined ? ` (was ${was.url})` : ' (new)'}`,
          location: loc(input, i),
        }),
      );
    }
  }
  const extraIndexes = current.indexes.filter((i) => i.role === 'extra');
  for (const i of extraIndexes) {
    const isNew = diffMode && !previousIndexes.has(indexKey(i));
    const publicOnes = current.packages.filter(
      (p) => p.source.kind === 'registry' && input.publicNames.evidence(p.ecosystem, p.name) !== undefined,
    );
    findings.push(
      finding('extraIndex', diffMode && !isNew ? 'medium' : 'high', {
        message: `${isNew ? 'new ' : ''}extra index ${i.url}: the installer picks the highest version across it and the public index, so a public upload can replace a private package (the ${TORCHTRITON_CASE_STUDY} pattern)`,
        location: loc(input, i),
        evidence: `${String(publicOnes.length)} of ${String(current.packages.length)} packages have names that exist on the public index`,
      }),
    );
  }
  const vendorNames = new Set(VENDOR_INDEX_PYPI);
  for (const p of current.packages) {
    if (p.source.kind !== 'registry') continue;
    const where = input.publicNames.evidence(p.ecosystem, p.name);
    const fromAlternate = p.source.alternate === true;
    const vendorWithExtra = extraIndexes.length > 0 && p.ecosystem === 'PyPI' && vendorNames.has(p.name);
    if (!(fromAlternate && where !== undefined) && !vendorWithExtra) continue;
    if (
      diffMode &&
      !fresh.has(packageKey(p)) &&
      !(input.diff?.sourceChanges ?? []).some((s) => s.pkg === p) &&
      !extraIndexes.some((i) => !previousIndexes.has(indexKey(i)))
    )
      continue;
    findings.push(
      finding('confusion', 'critical', {
        message: vendorWithExtra
          ? `${label(p)} ships from a vendor index, and an extra index is configured: a same-named upload on the public index can win (${TORCHTRITON_CASE_STUDY})`
          : `${label(p)} resolves from ${p.source.url ?? 'an alternate index'}, but the name also exists on the public index (${where ?? 'curated list'})`,
        location: loc(input, p),
        evidence: `source: ${p.source.url ?? 'alternate index'}`,
      }),
    );
  }

  findings.push(...exposureFindings(input, fresh, extraIndexes, previousIndexes, diffMode));

  // New names: typosquats and install-time code.
  for (const p of current.packages) {
    if (!fresh.has(packageKey(p))) continue;
    const squat = findTyposquat(p.ecosystem, p.name);
    if (squat !== undefined) {
      const severity: Severity = squat.technique === 'affix' ? 'medium' : 'high';
      findings.push(
        finding('typosquat', severity, {
          message: `${p.displayName} looks like ${squat.target} (${squat.technique}${squat.distance !== undefined ? `, distance ${String(squat.distance)}` : ''})`,
          location: loc(input, p),
          confidence: squat.confidence,
          ...(diffMode ? { evidence: 'new dependency in this update' } : {}),
        }),
      );
    }
    if (p.sdistOnly === true) {
      findings.push(
        finding('sdistOnly', diffMode ? 'medium' : 'low', {
          message: `${label(p)} has no wheel: installing it runs its build scripts`,
          location: loc(input, p),
        }),
      );
    }
  }

  // Pinning and hashes.
  const previousByKey = new Map((input.previous?.packages ?? []).map((p) => [packageKey(p), p]));
  const lockLike =
    current.format === 'requirements' || current.format === 'conda-env' || LOCK_FORMATS.has(current.format);
  const anyHashed = current.packages.some((p) => p.artifacts.some((a) => a.hashes.length > 0));
  const unhashedNoted: ResolvedPackage[] = [];
  for (const p of current.packages) {
    const before = previousByKey.get(packageKey(p));
    const changed =
      !diffMode || before === undefined || before.version !== p.version || before.specifier !== p.specifier;
    if (p.source.kind === 'registry' && p.version === undefined && lockLike) {
      const newly = before?.version !== undefined;
      if (!diffMode || newly || before === undefined) {
        findings.push(
          finding('unpinned', 'medium', {
            message: `${label(p)} is ${newly ? 'no longer' : 'not'} pinned to an exact version${newly ? ` (was ==${before.version ?? ''})` : ''}`,
            location: loc(input, p),
          }),
        );
      }
    }
    const hashed = p.artifacts.some((a) => a.hashes.length > 0);
    if (!hashed && p.source.kind !== 'path' && p.version !== undefined) {
      const hadHash = before?.artifacts.some((a) => a.hashes.length > 0) === true;
      if (hadHash) {
        findings.push(
          finding('unhashed', 'medium', {
            message: `${label(p)} lost its artifact hash in this update`,
            location: loc(input, p),
          }),
        );
      } else if (current.format === 'requirements' && anyHashed && changed) {
        findings.push(
          finding('unhashed', 'medium', {
            message: `${label(p)} has no --hash while other requirements do (pip --require-hashes refuses the file)`,
            location: loc(input, p),
          }),
        );
      } else if (LOCK_FORMATS.has(current.format) && p.source.kind === 'registry' && changed) {
        unhashedNoted.push(p);
      }
    }
    if (p.source.kind === 'vcs' && !isCommitRef(p.source.ref) && changed) {
      findings.push(
        finding('mutableRef', 'medium', {
          message: `${p.displayName} comes from ${p.source.url ?? 'a repository'} at ${p.source.ref !== undefined ? `"${p.source.ref}"` : 'its default branch'}, which can move`,
          location: loc(input, p),
        }),
      );
    }
    if (p.source.kind === 'url' && !hashed && changed) {
      findings.push(
        finding('unverifiedUrl', 'medium', {
          message: `${p.displayName} is downloaded from ${p.source.url ?? 'a URL'} without a hash`,
          location: loc(input, p),
        }),
      );
    }
  }
  if (unhashedNoted.length > 0) {
    const first = unhashedNoted[0] as ResolvedPackage;
    findings.push(
      finding('unhashed', 'low', {
        message: `${String(unhashedNoted.length)} locked package(s) have no artifact hash`,
        location: loc(input, first),
        evidence: unhashedNoted.slice(0, 20).map(label).join(', '),
      }),
    );
  }
  if (current.format === 'requirements' && !anyHashed && current.packages.length > 0 && !diffMode) {
    findings.push(
      finding('unhashed', 'low', {
        message: `none of the ${String(current.packages.length)} requirements carries a --hash`,
        location: { path: input.display(current.path) },
      }),
    );
  }

  for (const c of input.diff?.changes ?? []) {
    if (c.kind !== 'downgraded' || c.pkg === undefined) continue;
    findings.push(
      finding('downgrade', 'low', {
        message: `${c.displayName} downgraded from ${c.from ?? '?'} to ${c.to ?? '?'}`,
        location: loc(input, c.pkg),
      }),
    );
  }
  for (const u of input.matches?.uncertain ?? []) {
    findings.push(
      finding('uncertainVersion', 'low', {
        message: `${label(u.pkg)} could not be ordered against ${u.ids.slice(0, 5).join(', ')}`,
        location: loc(input, u.pkg),
      }),
    );
  }
  if (current.notCovered.length > 0) {
    const first = current.notCovered[0] as ResolvedPackage;
    findings.push(
      finding('notCovered', 'info', {
        message: `${String(current.notCovered.length)} conda package(s) are not checked: OSV has no conda data`,
        location: loc(input, first),
        evidence: current.notCovered
          .slice(0, 30)
          .map((p) => p.displayName)
          .join(', '),
      }),
    );
  }
  return { findings: sortFindings(findings), vulns: status };
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

const PUBLIC_INDEX_HOSTS = new Set([
  'pypi.org',
  'pypi.python.org',
  'files.pythonhosted.org',
  'registry.npmjs.org',
]);

function isPublicIndex(url: string): boolean {
  try {
    return PUBLIC_INDEX_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Dependency-confusion exposure, per package: an extra index is merged with the public one, and a package
 * that is not bound to an index nor pinned by hash has a name that is not known on the public index (offline
 * evidence: curated lists + OSV data). Anyone can then publish that name publicly with a higher version and
 * the installer takes it. Names that look internal (see internal-names.ts) are high; other unknown names are
 * low (they may be niche public packages). Known public names are never reported here.
 */
function exposureFindings(
  input: CheckInput,
  fresh: ReadonlySet<string>,
  extraIndexes: readonly IndexConfig[],
  previousIndexes: ReadonlySet<string>,
  diffMode: boolean,
): Finding[] {
  const out: Finding[] = [];
  const extras = extraIndexes.filter((i) => !isPublicIndex(i.url));
  if (extras.length === 0) return out;
  const words = organisationWords(input.current.indexes.filter((i) => !isPublicIndex(i.url)));
  const newIndex = extras.some((i) => !previousIndexes.has(indexKey(i)));
  const indexList = extras.map((i) => i.url).join(', ');
  for (const p of input.current.packages) {
    if (p.ecosystem !== 'PyPI' || p.source.kind !== 'registry') continue;
    // Bound to one index (uv sources, Poetry `source =`, a Pipfile `index`): the installer does not choose.
    if (p.source.alternate === true || p.source.url !== undefined) continue;
    // A hash pin rejects a different artifact under the same name.
    if (p.artifacts.some((a) => a.hashes.length > 0)) continue;
    if (input.publicNames.evidence(p.ecosystem, p.name) !== undefined) continue;
    if (diffMode && !fresh.has(packageKey(p)) && !newIndex) continue;
    const internal = looksInternal(p.name, input.internalPrefixes ?? [], words);
    out.push(
      finding('exposure', internal !== undefined ? 'high' : 'low', {
        message:
          internal !== undefined
            ? `${label(p)} looks internal (${internal.reason}) and is not bound to an index nor hash-pinned, while ${indexList} is merged with the public index: a public upload under this name with a higher version would be installed (${TORCHTRITON_CASE_STUDY} pattern)`
            : `${label(p)} is not known on the public index (offline data) and is not bound to an index nor hash-pinned, while ${indexList} is merged with the public index: if it is a private package, a public upload under its name would be installed`,
        location: loc(input, p),
        confidence: internal !== undefined ? 0.8 : 0.3,
        evidence: `name not in the curated public-package list or the OSV data; ${internal !== undefined ? internal.reason : 'no internal naming pattern'}`,
      }),
    );
  }
  return out;
}
