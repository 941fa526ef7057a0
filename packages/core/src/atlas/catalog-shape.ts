import type { CatalogData } from './catalog-types.js';
import { CATALOG_FORMAT_VERSION } from './format-version.js';

// A structural check of `CatalogData` read back from a cache file, written by hand rather than with zod so
// that a warm start loads no schema library. The cache is ours, but a damaged file must be detected and
// rebuilt, never trusted: every field a renderer reads is checked for its type.

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(item);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && Object.entries(fields).every(([key, check]) => check(v[key]));

const strings = arrayOf(isString);
const attackReference = optional(shape({ id: isString, url: optional(isString) }));
const idUse = shape({ id: isString, use: isString });
const common = {
  id: isString,
  name: isString,
  attackReference,
  created: optional(isString),
  modified: optional(isString),
};

const tactic = shape({
  ...common,
  description: isString,
  shortname: isString,
  order: isNumber,
  techniques: strings,
});
const technique = shape({
  ...common,
  description: isString,
  tactics: strings,
  parent: optional(isString),
  subtechniques: strings,
  maturity: optional((v) => v === 'realized' || v === 'demonstrated' || v === 'feasible'),
  links: strings,
  mitigations: arrayOf(idUse),
  caseStudies: shape({ incidents: strings, exercises: strings, other: strings }),
});
const mitigation = shape({
  ...common,
  description: isString,
  techniques: arrayOf(idUse),
  mlLifecycle: strings,
  category: strings,
  links: strings,
});
const caseStudy = shape({
  id: isString,
  name: isString,
  summary: isString,
  type: optional((v) => v === 'incident' || v === 'exercise'),
  date: optional(isString),
  dateGranularity: optional(isString),
  target: optional(isString),
  actor: optional(isString),
  reporter: optional(isString),
  procedure: arrayOf(shape({ tactic: isString, technique: isString, description: isString })),
  references: arrayOf(shape({ title: optional(isString), url: optional(isString) })),
  links: strings,
});
const catalogData = shape({
  formatVersion: (v) => v === CATALOG_FORMAT_VERSION,
  id: isString,
  name: isString,
  version: isString,
  matrix: shape({ id: isString, name: isString }),
  tactics: arrayOf(tactic),
  techniques: arrayOf(technique),
  mitigations: arrayOf(mitigation),
  caseStudies: arrayOf(caseStudy),
  warnings: arrayOf(shape({ code: isString, id: optional(isString), message: isString })),
});

/** True when `value` has the shape of `CatalogData` of the current format version. */
export function isCatalogData(value: unknown): value is CatalogData {
  return catalogData(value);
}
