import type { Catalog } from './catalog.js';

export interface CatalogStats {
  tactics: number;
  /** All techniques, sub-techniques included. */
  techniques: number;
  topLevelTechniques: number;
  subtechniques: number;
  mitigations: number;
  caseStudies: number;
  incidents: number;
  exercises: number;
  maturity: { realized: number; demonstrated: number; feasible: number; unspecified: number };
  /** Techniques with no mitigation of their own. */
  techniquesWithoutMitigation: number;
  /** Techniques with no mitigation of their own nor through their parent. */
  techniquesWithoutAnyMitigation: number;
  warnings: number;
}

/** Counts shown by `kb info`. */
export function catalogStats(catalog: Catalog): CatalogStats {
  const maturity = { realized: 0, demonstrated: 0, feasible: 0, unspecified: 0 };
  let subtechniques = 0;
  let withoutOwn = 0;
  let withoutAny = 0;
  for (const t of catalog.techniques) {
    maturity[t.maturity ?? 'unspecified']++;
    if (t.parent !== undefined) subtechniques++;
    if (t.mitigations.length === 0) {
      withoutOwn++;
      const parent = t.parent === undefined ? undefined : catalog.technique(t.parent);
      if ((parent?.mitigations.length ?? 0) === 0) withoutAny++;
    }
  }
  const incidents = catalog.caseStudies.filter((c) => c.type === 'incident').length;
  const exercises = catalog.caseStudies.filter((c) => c.type === 'exercise').length;
  return {
    tactics: catalog.tactics.length,
    techniques: catalog.techniques.length,
    topLevelTechniques: catalog.techniques.length - subtechniques,
    subtechniques,
    mitigations: catalog.mitigations.length,
    caseStudies: catalog.caseStudies.length,
    incidents,
    exercises,
    maturity,
    techniquesWithoutMitigation: withoutOwn,
    techniquesWithoutAnyMitigation: withoutAny,
    warnings: catalog.warnings.length,
  };
}
