import type { z } from 'zod';
import { linkedIds, tacticShortname } from './links.js';
import {
  rawAtlasSchema,
  rawCaseStudySchema,
  rawMitigationSchema,
  rawProcedureStepSchema,
  rawReferenceSchema,
  rawTacticSchema,
  rawTechniqueSchema,
  rawTechniqueUseSchema,
} from './raw-schema.js';
import {
  MATURITIES,
  type CaseStudy,
  type CaseStudyReference,
  type CatalogData,
  type CatalogWarning,
  type Maturity,
  type Mitigation,
  type ProcedureStep,
  type Tactic,
  type Technique,
} from './catalog-types.js';
import { AtlasGuardError } from '../errors/atlasguard-error.js';
import { CATALOG_FORMAT_VERSION } from './format-version.js';

export { CATALOG_FORMAT_VERSION };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = value.id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/**
 * Turns the parsed content of an official ATLAS.yaml into the normalized catalog with indices both ways.
 * Bad entries and broken cross-references become warnings; only a document that is not ATLAS at all throws.
 */
export function buildCatalog(document: unknown): CatalogData {
  const top = rawAtlasSchema.safeParse(document);
  if (!top.success) {
    throw new AtlasGuardError(`not an ATLAS data file: ${describeIssues(top.error)}`, {
      hint: 'expected the distributed ATLAS.yaml (top-level id, name, version, matrices, case-studies)',
    });
  }
  const raw = top.data;
  const warnings: CatalogWarning[] = [];
  const warn = (code: string, message: string, id?: string): void => {
    warnings.push(id === undefined ? { code, message } : { code, id, message });
  };
  const matrix = raw.matrices[0];
  if (matrix === undefined) throw new AtlasGuardError('ATLAS data has no matrix');
  if (raw.matrices.length > 1)
    warn('extra-matrices', `${String(raw.matrices.length)} matrices; only the first is used`);

  const tactics: Tactic[] = [];
  for (const item of matrix.tactics) {
    const parsed = rawTacticSchema.safeParse(item);
    if (!parsed.success) {
      warn('invalid-tactic', `skipped a tactic: ${describeIssues(parsed.error)}`, idOf(item));
      continue;
    }
    const t = parsed.data;
    tactics.push({
      id: t.id,
      name: t.name,
      description: t.description,
      shortname: tacticShortname(t.name),
      order: tactics.length,
      ...(t['ATT&CK-reference'] ? { attackReference: stripRef(t['ATT&CK-reference']) } : {}),
      ...(t.created_date ? { created: t.created_date } : {}),
      ...(t.modified_date ? { modified: t.modified_date } : {}),
      techniques: [],
    });
  }
  const tacticById = new Map(tactics.map((t) => [t.id, t]));

  const techniques: Technique[] = [];
  const techniqueById = new Map<string, Technique>();
  for (const item of matrix.techniques) {
    const parsed = rawTechniqueSchema.safeParse(item);
    if (!parsed.success) {
      warn('invalid-technique', `skipped a technique: ${describeIssues(parsed.error)}`, idOf(item));
      continue;
    }
    const t = parsed.data;
    if (techniqueById.has(t.id)) {
      warn('duplicate-id', `technique ${t.id} appears twice; the first is kept`, t.id);
      continue;
    }
    let maturity: Maturity | undefined;
    if (t.maturity !== undefined) {
      if ((MATURITIES as readonly string[]).includes(t.maturity)) maturity = t.maturity as Maturity;
      else warn('unknown-maturity', `technique ${t.id} has unknown maturity "${t.maturity}"`, t.id);
    }
    const technique: Technique = {
      id: t.id,
      name: t.name,
      description: t.description,
      tactics: t.tactics ?? [],
      ...(t['subtechnique-of'] ? { parent: t['subtechnique-of'] } : {}),
      subtechniques: [],
      ...(maturity ? { maturity } : {}),
      ...(t['ATT&CK-reference'] ? { attackReference: stripRef(t['ATT&CK-reference']) } : {}),
      ...(t.created_date ? { created: t.created_date } : {}),
      ...(t.modified_date ? { modified: t.modified_date } : {}),
      links: linkedIds(t.description),
      mitigations: [],
      caseStudies: { incidents: [], exercises: [], other: [] },
    };
    techniques.push(technique);
    techniqueById.set(t.id, technique);
  }

  // Parent ↔ sub-techniques; sub-techniques inherit their parent's tactics.
  for (const t of techniques) {
    if (t.parent === undefined) continue;
    const parent = techniqueById.get(t.parent);
    if (!parent) {
      warn('broken-reference', `sub-technique ${t.id} names unknown parent ${t.parent}`, t.id);
      continue;
    }
    parent.subtechniques.push(t.id);
    if (t.tactics.length === 0) t.tactics = [...parent.tactics];
  }
  for (const t of techniques) {
    const known: string[] = [];
    for (const tacticId of t.tactics) {
      const tactic = tacticById.get(tacticId);
      if (!tactic) {
        warn('broken-reference', `technique ${t.id} names unknown tactic ${tacticId}`, t.id);
        continue;
      }
      known.push(tacticId);
      if (t.parent === undefined) tactic.techniques.push(t.id);
    }
    t.tactics = known;
    if (t.tactics.length === 0) warn('no-tactic', `technique ${t.id} belongs to no known tactic`, t.id);
  }

  const mitigations: Mitigation[] = [];
  const mitigationIds = new Set<string>();
  for (const item of matrix.mitigations) {
    const parsed = rawMitigationSchema.safeParse(item);
    if (!parsed.success) {
      warn('invalid-mitigation', `skipped a mitigation: ${describeIssues(parsed.error)}`, idOf(item));
      continue;
    }
    const m = parsed.data;
    if (mitigationIds.has(m.id)) {
      warn('duplicate-id', `mitigation ${m.id} appears twice; the first is kept`, m.id);
      continue;
    }
    mitigationIds.add(m.id);
    const links: Array<{ id: string; use: string }> = [];
    const addLink = (value: unknown, where: string): void => {
      const use = rawTechniqueUseSchema.safeParse(value);
      if (!use.success) {
        warn('invalid-mitigation-use', `mitigation ${m.id} has an unreadable ${where} entry`, m.id);
        return;
      }
      const technique = techniqueById.get(use.data.id);
      if (!technique) {
        warn('broken-reference', `mitigation ${m.id} names unknown technique ${use.data.id}`, m.id);
        return;
      }
      if (links.some((l) => l.id === use.data.id)) return;
      const entry = { id: use.data.id, use: use.data.use.trim() };
      links.push(entry);
      technique.mitigations.push({ id: m.id, use: entry.use });
    };
    for (const value of m.techniques) addLink(value, 'techniques');
    const lifecycle: string[] = [];
    for (const value of m['ml-lifecycle']) {
      if (typeof value === 'string') lifecycle.push(value);
      else {
        // Known 5.6.0 quirk: technique-use objects misplaced in ml-lifecycle (AML.M0018, AML.M0034).
        warn(
          'misplaced-technique-use',
          `mitigation ${m.id} has a technique link (${idOf(value) ?? 'unknown'}) inside ml-lifecycle; it is used as a technique link`,
          m.id,
        );
        addLink(value, 'ml-lifecycle');
      }
    }
    const category = m.category.filter((c): c is string => typeof c === 'string');
    if (category.length !== m.category.length)
      warn('invalid-category', `mitigation ${m.id} has non-text categories`, m.id);
    mitigations.push({
      id: m.id,
      name: m.name,
      description: m.description,
      techniques: links,
      mlLifecycle: lifecycle,
      category,
      ...(m['ATT&CK-reference'] ? { attackReference: stripRef(m['ATT&CK-reference']) } : {}),
      ...(m.created_date ? { created: m.created_date } : {}),
      ...(m.modified_date ? { modified: m.modified_date } : {}),
      links: linkedIds(m.description),
    });
  }

  const caseStudies: CaseStudy[] = [];
  const caseStudyIds = new Set<string>();
  for (const item of raw['case-studies']) {
    const parsed = rawCaseStudySchema.safeParse(item);
    if (!parsed.success) {
      warn('invalid-case-study', `skipped a case study: ${describeIssues(parsed.error)}`, idOf(item));
      continue;
    }
    const c = parsed.data;
    if (caseStudyIds.has(c.id)) {
      warn('duplicate-id', `case study ${c.id} appears twice; the first is kept`, c.id);
      continue;
    }
    caseStudyIds.add(c.id);
    const type = c['case-study-type'];
    if (type !== undefined && type !== 'incident' && type !== 'exercise') {
      warn('unknown-case-study-type', `case study ${c.id} has unknown type "${type}"`, c.id);
    }
    const procedure: ProcedureStep[] = [];
    for (const stepValue of c.procedure) {
      const step = rawProcedureStepSchema.safeParse(stepValue);
      if (!step.success) {
        warn('invalid-procedure-step', `case study ${c.id} has an unreadable procedure step`, c.id);
        continue;
      }
      if (!techniqueById.has(step.data.technique)) {
        warn('broken-reference', `case study ${c.id} uses unknown technique ${step.data.technique}`, c.id);
      }
      if (!tacticById.has(step.data.tactic)) {
        warn('broken-reference', `case study ${c.id} uses unknown tactic ${step.data.tactic}`, c.id);
      }
      procedure.push({
        tactic: step.data.tactic,
        technique: step.data.technique,
        description: step.data.description,
      });
    }
    const references: CaseStudyReference[] = [];
    for (const refValue of c.references ?? []) {
      const ref = rawReferenceSchema.safeParse(refValue);
      if (!ref.success) continue;
      references.push({
        ...(ref.data.title ? { title: ref.data.title } : {}),
        ...(ref.data.url ? { url: ref.data.url } : {}),
      });
    }
    const study: CaseStudy = {
      id: c.id,
      name: c.name,
      summary: c.summary,
      ...(type === 'incident' || type === 'exercise' ? { type } : {}),
      ...(c['incident-date'] ? { date: c['incident-date'] } : {}),
      ...(c['incident-date-granularity'] ? { dateGranularity: c['incident-date-granularity'] } : {}),
      ...(c.target ? { target: c.target } : {}),
      ...(c.actor ? { actor: c.actor } : {}),
      ...(c.reporter ? { reporter: c.reporter } : {}),
      procedure,
      references,
      links: linkedIds(c.summary),
    };
    caseStudies.push(study);
    const used = new Set(procedure.map((s) => s.technique));
    for (const techniqueId of used) {
      const technique = techniqueById.get(techniqueId);
      if (!technique) continue;
      const bucket =
        study.type === 'incident'
          ? technique.caseStudies.incidents
          : study.type === 'exercise'
            ? technique.caseStudies.exercises
            : technique.caseStudies.other;
      bucket.push(study.id);
    }
  }

  // Broken Markdown links in descriptions.
  const known = new Set<string>([
    ...tacticById.keys(),
    ...techniqueById.keys(),
    ...mitigationIds,
    ...caseStudyIds,
  ]);
  const checkLinks = (owner: string, links: string[]): void => {
    for (const id of links) if (!known.has(id)) warn('broken-link', `${owner} links to unknown ${id}`, owner);
  };
  for (const t of techniques) checkLinks(t.id, t.links);
  for (const m of mitigations) checkLinks(m.id, m.links);
  for (const c of caseStudies) checkLinks(c.id, c.links);

  return {
    formatVersion: CATALOG_FORMAT_VERSION,
    id: raw.id,
    name: raw.name,
    version: raw.version,
    matrix: { id: matrix.id, name: matrix.name },
    tactics,
    techniques,
    mitigations,
    caseStudies,
    warnings,
  };
}

function stripRef(ref: { id: string; url?: string | undefined }): { id: string; url?: string } {
  return ref.url === undefined ? { id: ref.id } : { id: ref.id, url: ref.url };
}
