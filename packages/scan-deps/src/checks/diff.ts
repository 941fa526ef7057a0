import { packageKey, type Manifest, type ResolvedPackage } from '../manifest/types.js';
import { orderFor } from '../osv/match.js';

export type ChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed';

export interface PackageChange {
  kind: ChangeKind;
  ecosystem: ResolvedPackage['ecosystem'];
  name: string;
  displayName: string;
  from?: string;
  to?: string;
  direct: boolean;
  /** The package as in the new input (absent for removals). */
  pkg?: ResolvedPackage;
  previous?: ResolvedPackage;
}

export interface SourceChange {
  pkg: ResolvedPackage;
  from: string;
  to: string;
}

export interface HashChange {
  pkg: ResolvedPackage;
  /** Files whose hash changed at the same version (or `*` when the input names no files). */
  files: string[];
  /** True when no old hash is among the new ones. */
  disjoint: boolean;
}

export interface ManifestDiff {
  changes: PackageChange[];
  sourceChanges: SourceChange[];
  hashChanges: HashChange[];
}

export function describeSource(p: ResolvedPackage): string {
  const s = p.source;
  if (s.kind === 'registry') return s.url !== undefined ? `index ${s.url}` : 'default index';
  if (s.kind === 'vcs') return `${s.url ?? 'vcs'}${s.ref !== undefined ? `@${s.ref}` : ''}`;
  return `${s.kind} ${s.url ?? ''}`.trim();
}

function versionLabel(p: ResolvedPackage): string {
  return p.version ?? p.specifier ?? '*';
}

function groupByKey(packages: readonly ResolvedPackage[]): Map<string, ResolvedPackage[]> {
  const map = new Map<string, ResolvedPackage[]>();
  for (const p of packages) {
    const key = packageKey(p);
    let list = map.get(key);
    if (list === undefined) map.set(key, (list = []));
    list.push(p);
  }
  return map;
}

function hashChange(oldP: ResolvedPackage, newP: ResolvedPackage): HashChange | undefined {
  const oldFiles = new Map<string, Set<string>>();
  const oldAll = new Set<string>();
  for (const a of oldP.artifacts) {
    for (const h of a.hashes) oldAll.add(h);
    if (a.file !== undefined) oldFiles.set(a.file, new Set(a.hashes));
  }
  if (oldAll.size === 0) return undefined;
  const newAll = new Set(newP.artifacts.flatMap((a) => a.hashes));
  if (newAll.size === 0) return undefined;
  const changedFiles: string[] = [];
  for (const a of newP.artifacts) {
    if (a.file === undefined) continue;
    const before = oldFiles.get(a.file);
    if (
      before !== undefined &&
      before.size > 0 &&
      a.hashes.length > 0 &&
      !a.hashes.some((h) => before.has(h))
    )
      changedFiles.push(a.file);
  }
  const disjoint = ![...newAll].some((h) => oldAll.has(h));
  // Same file name, different digest: the artifact was replaced. Without file names, only fully disjoint
  // hash sets say so (new hashes next to old ones are usually new wheels for new platforms).
  if (changedFiles.length > 0) return { pkg: newP, files: changedFiles, disjoint };
  const named =
    newP.artifacts.some((a) => a.file !== undefined) && oldP.artifacts.some((a) => a.file !== undefined);
  if (!named && disjoint) return { pkg: newP, files: ['*'], disjoint };
  return undefined;
}

/** Compares two resolved sets: version changes (direct and transitive), sources, and artifact hashes. */
export function diffManifests(previous: Manifest, current: Manifest): ManifestDiff {
  const oldMap = groupByKey(previous.packages);
  const newMap = groupByKey(current.packages);
  const changes: PackageChange[] = [];
  const sourceChanges: SourceChange[] = [];
  const hashChanges: HashChange[] = [];
  const keys = [...new Set([...oldMap.keys(), ...newMap.keys()])].sort();
  for (const key of keys) {
    const olds = oldMap.get(key) ?? [];
    const news = newMap.get(key) ?? [];
    const oldByVersion = new Map(olds.map((p) => [versionLabel(p), p]));
    const newByVersion = new Map(news.map((p) => [versionLabel(p), p]));
    const gone = olds.filter((p) => !newByVersion.has(versionLabel(p)));
    const came = news.filter((p) => !oldByVersion.has(versionLabel(p)));
    for (const p of news) {
      const before = oldByVersion.get(versionLabel(p));
      if (before === undefined) continue;
      const from = describeSource(before);
      const to = describeSource(p);
      if (from !== to) sourceChanges.push({ pkg: p, from, to });
      if (p.version !== undefined) {
        const h = hashChange(before, p);
        if (h !== undefined) hashChanges.push(h);
      }
    }
    if (gone.length === 1 && came.length === 1) {
      const [a, b] = [gone[0] as ResolvedPackage, came[0] as ResolvedPackage];
      const from = versionLabel(a);
      const to = versionLabel(b);
      const c =
        a.version !== undefined && b.version !== undefined
          ? orderFor(b.ecosystem).compare(a.version, b.version)
          : undefined;
      const kind: ChangeKind =
        c === undefined ? 'changed' : c < 0 ? 'upgraded' : c > 0 ? 'downgraded' : 'changed';
      changes.push({
        kind,
        ecosystem: b.ecosystem,
        name: b.name,
        displayName: b.displayName,
        from,
        to,
        direct: b.direct || a.direct,
        pkg: b,
        previous: a,
      });
      const fromSrc = describeSource(a);
      const toSrc = describeSource(b);
      if (fromSrc !== toSrc) sourceChanges.push({ pkg: b, from: fromSrc, to: toSrc });
      continue;
    }
    for (const a of gone)
      changes.push({
        kind: 'removed',
        ecosystem: a.ecosystem,
        name: a.name,
        displayName: a.displayName,
        from: versionLabel(a),
        direct: a.direct,
        previous: a,
      });
    for (const b of came) {
      // A name that existed before at another version is not "new" for typosquat or confusion checks.
      changes.push({
        kind: 'added',
        ecosystem: b.ecosystem,
        name: b.name,
        displayName: b.displayName,
        to: versionLabel(b),
        direct: b.direct,
        pkg: b,
      });
    }
  }
  return { changes, sourceChanges, hashChanges };
}
