import type { Catalog } from './catalog.js';
import type { AttackReference, CaseStudyReference, CaseStudyType, Maturity } from './catalog-types.js';
import { atlasUrl } from './links.js';

// View models for `kb show` and the web app: one ATLAS object with everything it points at resolved to
// names. Descriptions stay Markdown; renderers decide how to show links.

export interface AtlasRef {
  id: string;
  name: string;
}
export interface CaseStudyMention extends AtlasRef {
  date: string | null;
}
interface Dates {
  created: string | null;
  modified: string | null;
}

export interface TechniqueView extends AtlasRef, Dates {
  kind: 'technique';
  url: string;
  description: string;
  maturity: Maturity | null;
  parent: AtlasRef | null;
  subtechniques: AtlasRef[];
  tactics: AtlasRef[];
  attackReference: AttackReference | null;
  mitigations: Array<AtlasRef & { use: string }>;
  /** Mitigations of the parent technique, which also apply to a sub-technique. */
  parentMitigations: Array<AtlasRef & { use: string }>;
  caseStudies: CaseStudyGroups;
  /** Case studies that use one of the sub-techniques but not the technique itself. */
  subtechniqueCaseStudies: CaseStudyGroups;
}

export interface CaseStudyGroups {
  incidents: CaseStudyMention[];
  exercises: CaseStudyMention[];
  other: CaseStudyMention[];
}

export interface TacticView extends AtlasRef, Dates {
  kind: 'tactic';
  url: string;
  shortname: string;
  /** Position in the matrix, 1-based. */
  position: number;
  description: string;
  attackReference: AttackReference | null;
  techniques: Array<AtlasRef & { subtechniques: number }>;
}

export interface MitigationView extends AtlasRef, Dates {
  kind: 'mitigation';
  url: string;
  description: string;
  category: string[];
  mlLifecycle: string[];
  attackReference: AttackReference | null;
  techniques: Array<AtlasRef & { use: string }>;
}

export interface CaseStudyView extends AtlasRef {
  kind: 'case-study';
  url: string;
  type: CaseStudyType | null;
  date: string | null;
  dateGranularity: string | null;
  target: string | null;
  actor: string | null;
  reporter: string | null;
  summary: string;
  procedure: Array<{ tactic: AtlasRef; technique: AtlasRef; description: string }>;
  references: CaseStudyReference[];
}

export type ObjectView = TechniqueView | TacticView | MitigationView | CaseStudyView;

/** Name to show for an ID: sub-techniques as "Parent: Name"; `(unknown ID)` for IDs not in the catalog. */
export function displayName(catalog: Catalog, id: string): string {
  const object = catalog.get(id);
  if (!object) return '(unknown ID)';
  if (object.kind === 'technique' && object.value.parent !== undefined) {
    const parent = catalog.technique(object.value.parent);
    if (parent) return `${parent.name}: ${object.value.name}`;
  }
  return object.value.name;
}

function viaSubtechniques(
  catalog: Catalog,
  id: string,
  study: (id: string) => CaseStudyMention,
): CaseStudyGroups {
  const technique = catalog.technique(id);
  const own = new Set([
    ...(technique?.caseStudies.incidents ?? []),
    ...(technique?.caseStudies.exercises ?? []),
    ...(technique?.caseStudies.other ?? []),
  ]);
  const groups = { incidents: new Set<string>(), exercises: new Set<string>(), other: new Set<string>() };
  for (const sub of catalog.subtechniquesOf(id)) {
    for (const key of ['incidents', 'exercises', 'other'] as const) {
      for (const c of sub.caseStudies[key]) if (!own.has(c)) groups[key].add(c);
    }
  }
  const list = (ids: Set<string>): CaseStudyMention[] => [...ids].sort().map(study);
  return { incidents: list(groups.incidents), exercises: list(groups.exercises), other: list(groups.other) };
}

/** The view of one object, or undefined when the ID is not in the catalog. */
export function describeObject(catalog: Catalog, id: string): ObjectView | undefined {
  const object = catalog.get(id);
  if (!object) return undefined;
  const ref = (refId: string): AtlasRef => ({ id: refId, name: displayName(catalog, refId) });
  const study = (refId: string): CaseStudyMention => ({
    ...ref(refId),
    date: catalog.caseStudy(refId)?.date ?? null,
  });
  switch (object.kind) {
    case 'technique': {
      const t = object.value;
      const withUse = (
        links: ReadonlyArray<{ id: string; use: string }>,
      ): Array<AtlasRef & { use: string }> => links.map((l) => ({ ...ref(l.id), use: l.use }));
      const parent = t.parent === undefined ? undefined : catalog.technique(t.parent);
      return {
        kind: 'technique',
        id: t.id,
        name: t.name,
        url: atlasUrl(t.id),
        description: t.description,
        maturity: t.maturity ?? null,
        parent: t.parent === undefined ? null : ref(t.parent),
        subtechniques: t.subtechniques.map(ref),
        tactics: t.tactics.map(ref),
        attackReference: t.attackReference ?? null,
        mitigations: withUse(t.mitigations),
        parentMitigations: parent
          ? withUse(parent.mitigations.filter((m) => !t.mitigations.some((own) => own.id === m.id)))
          : [],
        caseStudies: {
          incidents: t.caseStudies.incidents.map(study),
          exercises: t.caseStudies.exercises.map(study),
          other: t.caseStudies.other.map(study),
        },
        subtechniqueCaseStudies: viaSubtechniques(catalog, t.id, study),
        created: t.created ?? null,
        modified: t.modified ?? null,
      };
    }
    case 'tactic': {
      const t = object.value;
      return {
        kind: 'tactic',
        id: t.id,
        name: t.name,
        url: atlasUrl(t.id),
        shortname: t.shortname,
        position: t.order + 1,
        description: t.description,
        attackReference: t.attackReference ?? null,
        techniques: catalog
          .techniquesOfTactic(t.id)
          .map((tech) => ({ id: tech.id, name: tech.name, subtechniques: tech.subtechniques.length })),
        created: t.created ?? null,
        modified: t.modified ?? null,
      };
    }
    case 'mitigation': {
      const m = object.value;
      return {
        kind: 'mitigation',
        id: m.id,
        name: m.name,
        url: atlasUrl(m.id),
        description: m.description,
        category: m.category,
        mlLifecycle: m.mlLifecycle,
        attackReference: m.attackReference ?? null,
        techniques: m.techniques.map((l) => ({ ...ref(l.id), use: l.use })),
        created: m.created ?? null,
        modified: m.modified ?? null,
      };
    }
    case 'case-study': {
      const c = object.value;
      return {
        kind: 'case-study',
        id: c.id,
        name: c.name,
        url: atlasUrl(c.id),
        type: c.type ?? null,
        date: c.date ?? null,
        dateGranularity: c.dateGranularity ?? null,
        target: c.target ?? null,
        actor: c.actor ?? null,
        reporter: c.reporter ?? null,
        summary: c.summary,
        procedure: c.procedure.map((s) => ({
          tactic: ref(s.tactic),
          technique: ref(s.technique),
          description: s.description,
        })),
        references: c.references,
      };
    }
  }
}
