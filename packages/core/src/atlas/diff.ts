import type { Catalog } from './catalog.js';
import type { CaseStudyType, Maturity } from './catalog-types.js';

export interface DiffRef {
  id: string;
  name: string;
}
export interface DiffRename {
  id: string;
  from: string;
  to: string;
}
export interface DiffAddedRemoved<T> {
  added: T[];
  removed: T[];
}
export interface DiffTechniqueRef extends DiffRef {
  /** Parent technique of a sub-technique. */
  parent?: string;
}
export interface TacticMembershipChange {
  technique: string;
  name: string;
  added: string[];
  removed: string[];
}
export interface MaturityChange {
  id: string;
  name: string;
  from: Maturity | null;
  to: Maturity | null;
}
export interface DiffMitigationLink {
  mitigation: string;
  technique: string;
}
export interface DiffCaseStudyRef extends DiffRef {
  type: CaseStudyType | null;
}

/** What changed between two ATLAS releases. Lists are sorted by ID; objects are compared by ID. */
export interface CatalogDiff {
  from: { version: string };
  to: { version: string };
  tactics: DiffAddedRemoved<DiffRef> & { renamed: DiffRename[] };
  techniques: DiffAddedRemoved<DiffTechniqueRef> & { renamed: DiffRename[]; descriptionChanged: string[] };
  tacticMembership: TacticMembershipChange[];
  maturity: MaturityChange[];
  mitigations: DiffAddedRemoved<DiffRef> & { renamed: DiffRename[] };
  mitigationLinks: DiffAddedRemoved<DiffMitigationLink>;
  caseStudies: DiffAddedRemoved<DiffCaseStudyRef>;
  summary: {
    tacticsAdded: number;
    tacticsRemoved: number;
    techniquesAdded: number;
    techniquesRemoved: number;
    techniquesRenamed: number;
    tacticMembershipChanges: number;
    maturityChanges: number;
    mitigationsAdded: number;
    mitigationsRemoved: number;
    mitigationLinksAdded: number;
    mitigationLinksRemoved: number;
    caseStudiesAdded: number;
    caseStudiesRemoved: number;
    /** True when no listed category changed. */
    unchanged: boolean;
  };
}

const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);

function compareSets<T extends { id: string; name: string }, R>(
  before: readonly T[],
  after: readonly T[],
  ref: (value: T) => R,
): DiffAddedRemoved<R> & { renamed: DiffRename[] } {
  const old = new Map(before.map((v) => [v.id, v]));
  const now = new Map(after.map((v) => [v.id, v]));
  const added = [...now.values()].filter((v) => !old.has(v.id)).sort(byId);
  const removed = [...old.values()].filter((v) => !now.has(v.id)).sort(byId);
  const renamed: DiffRename[] = [];
  for (const value of now.values()) {
    const previous = old.get(value.id);
    if (previous && previous.name !== value.name)
      renamed.push({ id: value.id, from: previous.name, to: value.name });
  }
  return { added: added.map(ref), removed: removed.map(ref), renamed: renamed.sort(byId) };
}

const linkKey = (l: DiffMitigationLink): string => `${l.mitigation} ${l.technique}`;

function links(catalog: Catalog): Map<string, DiffMitigationLink> {
  const result = new Map<string, DiffMitigationLink>();
  for (const m of catalog.mitigations) {
    for (const t of m.techniques) {
      const link = { mitigation: m.id, technique: t.id };
      result.set(linkKey(link), link);
    }
  }
  return result;
}

/** Compares two releases: the core of `kb diff`. */
export function diffCatalogs(before: Catalog, after: Catalog): CatalogDiff {
  const named = (v: { id: string; name: string }): DiffRef => ({ id: v.id, name: v.name });
  const tactics = compareSets(before.tactics, after.tactics, named);
  const compared = compareSets(before.techniques, after.techniques, (t) =>
    t.parent === undefined ? named(t) : { ...named(t), parent: t.parent },
  );
  const tacticMembership: TacticMembershipChange[] = [];
  const maturity: MaturityChange[] = [];
  const descriptionChanged: string[] = [];
  for (const t of [...after.techniques].sort(byId)) {
    const previous = before.technique(t.id);
    if (!previous) continue;
    const added = t.tactics.filter((id) => !previous.tactics.includes(id));
    const removed = previous.tactics.filter((id) => !t.tactics.includes(id));
    if (added.length > 0 || removed.length > 0)
      tacticMembership.push({ technique: t.id, name: t.name, added, removed });
    if (previous.maturity !== t.maturity)
      maturity.push({ id: t.id, name: t.name, from: previous.maturity ?? null, to: t.maturity ?? null });
    if (previous.description.trim() !== t.description.trim()) descriptionChanged.push(t.id);
  }
  const mitigations = compareSets(before.mitigations, after.mitigations, named);
  const oldLinks = links(before);
  const newLinks = links(after);
  const sortLinks = (a: DiffMitigationLink, b: DiffMitigationLink): number =>
    a.mitigation.localeCompare(b.mitigation) || a.technique.localeCompare(b.technique);
  const mitigationLinks = {
    added: [...newLinks]
      .filter(([key]) => !oldLinks.has(key))
      .map(([, l]) => l)
      .sort(sortLinks),
    removed: [...oldLinks]
      .filter(([key]) => !newLinks.has(key))
      .map(([, l]) => l)
      .sort(sortLinks),
  };
  const studies = compareSets(before.caseStudies, after.caseStudies, (c) => ({
    ...named(c),
    type: c.type ?? null,
  }));
  const caseStudies = { added: studies.added, removed: studies.removed };
  const summary = {
    tacticsAdded: tactics.added.length,
    tacticsRemoved: tactics.removed.length,
    techniquesAdded: compared.added.length,
    techniquesRemoved: compared.removed.length,
    techniquesRenamed: compared.renamed.length,
    tacticMembershipChanges: tacticMembership.length,
    maturityChanges: maturity.length,
    mitigationsAdded: mitigations.added.length,
    mitigationsRemoved: mitigations.removed.length,
    mitigationLinksAdded: mitigationLinks.added.length,
    mitigationLinksRemoved: mitigationLinks.removed.length,
    caseStudiesAdded: caseStudies.added.length,
    caseStudiesRemoved: caseStudies.removed.length,
  };
  const unchanged =
    Object.values(summary).every((n) => n === 0) &&
    tactics.renamed.length === 0 &&
    mitigations.renamed.length === 0 &&
    descriptionChanged.length === 0;
  return {
    from: { version: before.version },
    to: { version: after.version },
    tactics,
    techniques: { ...compared, descriptionChanged },
    tacticMembership,
    maturity,
    mitigations,
    mitigationLinks,
    caseStudies,
    summary: { ...summary, unchanged },
  };
}
