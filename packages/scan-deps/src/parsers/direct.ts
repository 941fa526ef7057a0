import type { ResolvedPackage } from '../manifest/types.js';

/**
 * Marks direct dependencies of a lockfile: the names the project declares when known (a sibling
 * pyproject.toml, the lock's own project entry), else the roots of the dependency graph (packages no other
 * locked package depends on).
 */
export function markDirect(
  packages: ResolvedPackage[],
  dependsOn: ReadonlyMap<string, readonly string[]>,
  declared: ReadonlySet<string> | undefined,
): void {
  if (declared !== undefined && declared.size > 0) {
    for (const p of packages) p.direct = declared.has(p.name);
    return;
  }
  const depended = new Set<string>();
  for (const [from, list] of dependsOn) for (const to of list) if (to !== from) depended.add(to);
  for (const p of packages) p.direct = !depended.has(p.name);
}
