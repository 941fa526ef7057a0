import type {
  AtlasObject,
  CaseStudy,
  CatalogData,
  CatalogWarning,
  Mitigation,
  Tactic,
  Technique,
} from './catalog-types.js';

const SITE = 'https://atlas.mitre.org';

/** Read-only lookups over a normalized catalog. Cheap to construct from cached `CatalogData`. */
export class Catalog {
  readonly data: CatalogData;
  private readonly tacticMap: Map<string, Tactic>;
  private readonly techniqueMap: Map<string, Technique>;
  private readonly mitigationMap: Map<string, Mitigation>;
  private readonly caseStudyMap: Map<string, CaseStudy>;
  private readonly tacticByShortname: Map<string, Tactic>;

  constructor(data: CatalogData) {
    this.data = data;
    this.tacticMap = new Map(data.tactics.map((t) => [t.id, t]));
    this.techniqueMap = new Map(data.techniques.map((t) => [t.id, t]));
    this.mitigationMap = new Map(data.mitigations.map((m) => [m.id, m]));
    this.caseStudyMap = new Map(data.caseStudies.map((c) => [c.id, c]));
    this.tacticByShortname = new Map(data.tactics.map((t) => [t.shortname, t]));
  }

  get version(): string {
    return this.data.version;
  }
  /** Tactics in matrix order. */
  get tactics(): readonly Tactic[] {
    return this.data.tactics;
  }
  get techniques(): readonly Technique[] {
    return this.data.techniques;
  }
  get mitigations(): readonly Mitigation[] {
    return this.data.mitigations;
  }
  get caseStudies(): readonly CaseStudy[] {
    return this.data.caseStudies;
  }
  get warnings(): readonly CatalogWarning[] {
    return this.data.warnings;
  }

  tactic(id: string): Tactic | undefined {
    return this.tacticMap.get(id);
  }
  tacticByShort(shortname: string): Tactic | undefined {
    return this.tacticByShortname.get(shortname);
  }
  technique(id: string): Technique | undefined {
    return this.techniqueMap.get(id);
  }
  mitigation(id: string): Mitigation | undefined {
    return this.mitigationMap.get(id);
  }
  caseStudy(id: string): CaseStudy | undefined {
    return this.caseStudyMap.get(id);
  }

  /** Any object by ID. */
  get(id: string): AtlasObject | undefined {
    const tactic = this.tacticMap.get(id);
    if (tactic) return { kind: 'tactic', value: tactic };
    const technique = this.techniqueMap.get(id);
    if (technique) return { kind: 'technique', value: technique };
    const mitigation = this.mitigationMap.get(id);
    if (mitigation) return { kind: 'mitigation', value: mitigation };
    const caseStudy = this.caseStudyMap.get(id);
    if (caseStudy) return { kind: 'case-study', value: caseStudy };
    return undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** All IDs of the catalog, for validating IDs named by content and findings. */
  allIds(): string[] {
    return [
      ...this.tacticMap.keys(),
      ...this.techniqueMap.keys(),
      ...this.mitigationMap.keys(),
      ...this.caseStudyMap.keys(),
    ];
  }

  /** Top-level techniques of a tactic, in catalog order. */
  techniquesOfTactic(tacticId: string): Technique[] {
    const tactic = this.tacticMap.get(tacticId);
    if (!tactic) return [];
    return tactic.techniques
      .map((id) => this.techniqueMap.get(id))
      .filter((t): t is Technique => t !== undefined);
  }

  subtechniquesOf(techniqueId: string): Technique[] {
    const technique = this.techniqueMap.get(techniqueId);
    if (!technique) return [];
    return technique.subtechniques
      .map((id) => this.techniqueMap.get(id))
      .filter((t): t is Technique => t !== undefined);
  }

  /** Mitigations linked to a technique, with their technique-specific `use` text. */
  mitigationsOf(techniqueId: string): Array<{ mitigation: Mitigation; use: string }> {
    const technique = this.techniqueMap.get(techniqueId);
    if (!technique) return [];
    const result: Array<{ mitigation: Mitigation; use: string }> = [];
    for (const link of technique.mitigations) {
      const mitigation = this.mitigationMap.get(link.id);
      if (mitigation) result.push({ mitigation, use: link.use });
    }
    return result;
  }

  /** Case studies whose procedure uses the technique (incidents first, then exercises). */
  caseStudiesOf(techniqueId: string): CaseStudy[] {
    const technique = this.techniqueMap.get(techniqueId);
    if (!technique) return [];
    const { incidents, exercises, other } = technique.caseStudies;
    return [...incidents, ...exercises, ...other]
      .map((id) => this.caseStudyMap.get(id))
      .filter((c): c is CaseStudy => c !== undefined);
  }

  /** Link to the object on the ATLAS site. */
  url(id: string): string {
    const object = this.get(id);
    const path =
      object?.kind === 'tactic'
        ? 'tactics'
        : object?.kind === 'mitigation'
          ? 'mitigations'
          : object?.kind === 'case-study'
            ? 'studies'
            : 'techniques';
    return `${SITE}/${path}/${id}`;
  }
}
