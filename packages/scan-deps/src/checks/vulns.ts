import { compareSeverity, maxSeverity } from '@atlasguard/core';
import { packageKey, type ResolvedPackage } from '../manifest/types.js';
import type { IndexedVuln } from '../osv/index-types.js';
import type { OsvIndex } from '../osv/osv-index.js';
import { matchEntry, orderFor } from '../osv/match.js';

/** One vulnerability (aliases merged) affecting one resolved package. */
export interface VulnHit {
  pkg: ResolvedPackage;
  vuln: IndexedVuln;
  /** All record IDs merged into this hit (the primary ID first). */
  ids: string[];
  /** Versions that fix it, smallest first (empty: no fix known). */
  fixes: string[];
}

export interface MatchSummary {
  hits: VulnHit[];
  /** Packages without an exact version (ranges only): not matched, reported as such. */
  unpinned: ResolvedPackage[];
  /** Packages whose version could not be ordered against some record. */
  uncertain: Array<{ pkg: ResolvedPackage; ids: string[] }>;
}

function rank(id: string): number {
  if (id.startsWith('MAL-')) return 0;
  if (id.startsWith('GHSA-')) return 1;
  if (id.startsWith('PYSEC-')) return 2;
  return 3;
}

/** Merges records that describe the same vulnerability (shared IDs or aliases) into one hit. */
function mergeAliases(pkg: ResolvedPackage, raw: Array<{ vuln: IndexedVuln; fixes: string[] }>): VulnHit[] {
  const groups: Array<{ names: Set<string>; items: Array<{ vuln: IndexedVuln; fixes: string[] }> }> = [];
  for (const item of raw) {
    const names = new Set([item.vuln.id, ...item.vuln.aliases]);
    const joined = groups.filter((g) => [...names].some((n) => g.names.has(n)));
    const merged = { names, items: [item] };
    for (const g of joined) {
      for (const n of g.names) merged.names.add(n);
      merged.items.push(...g.items);
      groups.splice(groups.indexOf(g), 1);
    }
    groups.push(merged);
  }
  const order = orderFor(pkg.ecosystem);
  return groups.map((g) => {
    const items = [...g.items].sort(
      (a, b) => rank(a.vuln.id) - rank(b.vuln.id) || a.vuln.id.localeCompare(b.vuln.id),
    );
    const primary = items[0]?.vuln ?? (g.items[0] as { vuln: IndexedVuln }).vuln;
    const severity = maxSeverity(items.map((i) => i.vuln.severity)) ?? primary.severity;
    const fixes = [...new Set(items.flatMap((i) => i.fixes))].sort(
      (a, b) => order.compare(a, b) ?? a.localeCompare(b),
    );
    const best = items.find((i) => i.vuln.severity === severity)?.vuln ?? primary;
    return {
      pkg,
      vuln: {
        ...primary,
        severity,
        ...(best.score !== undefined ? { score: best.score, vector: best.vector ?? '' } : {}),
        malicious: items.some((i) => i.vuln.malicious),
      },
      ids: items.map((i) => i.vuln.id),
      fixes,
    };
  });
}

/** Matches every package with an exact version against the OSV index. */
export function matchPackages(packages: readonly ResolvedPackage[], index: OsvIndex): MatchSummary {
  const hits: VulnHit[] = [];
  const unpinned: ResolvedPackage[] = [];
  const uncertain: MatchSummary['uncertain'] = [];
  for (const pkg of packages) {
    if (pkg.ecosystem === 'conda') continue;
    const found = index.lookup(packageKey(pkg));
    if (pkg.version === undefined) {
      if (pkg.source.kind === 'registry') unpinned.push(pkg);
      continue;
    }
    if (found.length === 0) continue;
    const byVuln = new Map<string, { vuln: IndexedVuln; fixes: string[] }>();
    const unsure: string[] = [];
    for (const hit of found) {
      // `hit.vuln` is read only for matches: a cached index parses a package's records on first use.
      const m = matchEntry(pkg.ecosystem, pkg.version, hit.entry);
      if (m.uncertain) unsure.push(hit.vuln.id);
      if (!m.affected) continue;
      const vuln = hit.vuln;
      const seen = byVuln.get(vuln.id);
      if (seen) seen.fixes.push(...m.fixes);
      else byVuln.set(vuln.id, { vuln, fixes: [...m.fixes] });
    }
    if (unsure.length > 0) uncertain.push({ pkg, ids: [...new Set(unsure)] });
    if (byVuln.size > 0) hits.push(...mergeAliases(pkg, [...byVuln.values()]));
  }
  hits.sort(
    (a, b) =>
      compareSeverity(a.vuln.severity, b.vuln.severity) ||
      a.pkg.name.localeCompare(b.pkg.name) ||
      (a.pkg.version ?? '').localeCompare(b.pkg.version ?? '') ||
      a.vuln.id.localeCompare(b.vuln.id),
  );
  return { hits, unpinned, uncertain };
}

/** A stable key for "this vulnerability affects this package" across an update. */
export function hitKey(hit: VulnHit): string {
  return `${packageKey(hit.pkg)}|${hit.ids.join(',')}`;
}
