import type { Assessment, LedgerEntry } from '../../assess/assessment-types.js';
import type { Catalog } from '../../atlas/catalog.js';
import type { Technique } from '../../atlas/catalog-types.js';
import type { AssessmentWriter } from '../writer-types.js';
import type { NavigatorLayer, NavigatorTechnique } from './navigator-layer-schema.js';

/** Layer and Navigator versions written into `versions` (never `attack`: see research notes §8.4). */
export interface NavigatorVersions {
  layer: string;
  navigator: string;
}
export const DEFAULT_NAVIGATOR_VERSIONS: NavigatorVersions = { layer: '4.5', navigator: '5.3.2' };
export const ATLAS_NAVIGATOR_DOMAIN = 'atlas-atlas';

type Annotation = Omit<NavigatorTechnique, 'techniqueID' | 'tactic' | 'showSubtechniques'>;

interface LayerSpec {
  kind: string;
  title: string;
  annotate: (technique: Technique, entry: LedgerEntry | undefined) => Annotation;
  gradient: NonNullable<NavigatorLayer['gradient']>;
  legend: NonNullable<NavigatorLayer['legendItems']>;
}

const COMMENT_MAX = 600;
const clip = (text: string): string =>
  text.length > COMMENT_MAX ? `${text.slice(0, COMMENT_MAX - 1)}…` : text;
const inScope = (entry: LedgerEntry | undefined): entry is LedgerEntry =>
  entry !== undefined && entry.decision !== 'not-applicable';
const disabled = (entry: LedgerEntry | undefined): Annotation => ({
  enabled: false,
  comment: clip(
    entry === undefined
      ? 'Not in this assessment'
      : /^not applicable/i.test(entry.reason)
        ? entry.reason
        : `Not applicable: ${entry.reason}`,
  ),
});

const RISK_GRADIENT = { colors: ['#ffffff', '#fbc02d', '#b71c1c'], minValue: 0, maxValue: 25 };

function riskLayer(kind: 'inherent' | 'residual'): LayerSpec {
  return {
    kind,
    title: `${kind} risk`,
    gradient: RISK_GRADIENT,
    legend: [
      { label: 'low (1–5)', color: '#fff6dc' },
      { label: 'medium (6–11)', color: '#fbe3a0' },
      { label: 'high (12–19)', color: '#e8853d' },
      { label: 'critical (20–25)', color: '#b71c1c' },
    ],
    annotate: (_t, entry) => {
      const score = inScope(entry) ? entry[kind] : undefined;
      if (!inScope(entry) || score === undefined) return disabled(entry);
      const mitigations = entry.mitigations.filter((m) => m.status === 'implemented').map((m) => m.id);
      return {
        score: score.score,
        comment: clip(
          `${score.level} (${String(score.likelihood)} likelihood × ${String(score.impact)} impact)` +
            (kind === 'residual' && mitigations.length > 0 ? `; in place: ${mitigations.join(', ')}` : '') +
            ` — ${entry.reason}`,
        ),
        metadata: [
          { name: 'level', value: score.level },
          { name: 'decision', value: entry.decision },
          { name: 'assets', value: entry.assets.map((a) => a.id).join(', ') },
        ],
      };
    },
  };
}

const COVERAGE_COLORS = { covered: '#43a047', partial: '#ffb300', none: '#e53935', gap: '#8e24aa' } as const;

const LAYERS: readonly LayerSpec[] = [
  {
    kind: 'applicability',
    title: 'applicability',
    gradient: { colors: ['#ffffff', '#1e88e5'], minValue: 0, maxValue: 2 },
    legend: [
      { label: 'applies', color: '#1e88e5' },
      { label: 'unknown (question pending)', color: '#90caf9' },
    ],
    annotate: (_t, entry) => {
      if (!inScope(entry)) return disabled(entry);
      const question = entry.decidingQuestion ? ` Deciding question: ${entry.decidingQuestion}.` : '';
      return {
        score: entry.decision === 'applies' ? 2 : 1,
        comment: clip(`${entry.decision}: ${entry.reason}${question}`),
        metadata: [
          { name: 'decision', value: entry.decision },
          { name: 'assets', value: entry.assets.map((a) => `${a.name} (${a.element})`).join(', ') },
          { name: 'rules', value: entry.rules.join(', ') },
        ],
      };
    },
  },
  riskLayer('inherent'),
  riskLayer('residual'),
  {
    kind: 'mitigation-coverage',
    title: 'mitigation coverage',
    gradient: { colors: ['#e53935', '#ffb300', '#43a047'], minValue: 0, maxValue: 100 },
    legend: [
      { label: 'ATLAS mitigation implemented', color: COVERAGE_COLORS.covered },
      { label: 'partial or planned only', color: COVERAGE_COLORS.partial },
      { label: 'ATLAS mitigations exist, none in place', color: COVERAGE_COLORS.none },
      { label: 'no ATLAS mitigation (see compensating controls)', color: COVERAGE_COLORS.gap },
    ],
    annotate: (_t, entry) => {
      if (!inScope(entry)) return disabled(entry);
      const ms = entry.mitigations.filter((m) => m.status !== 'not-applicable');
      if (entry.gap || ms.length === 0) {
        const controls = entry.compensatingControls.map((c) => c.id).join(', ');
        return {
          color: COVERAGE_COLORS.gap,
          comment: clip(`No ATLAS mitigation. Compensating controls: ${controls || 'none listed'}`),
          metadata: [{ name: 'coverage', value: 'gap' }],
        };
      }
      const implemented = ms.filter((m) => m.status === 'implemented').length;
      const partial = ms.filter((m) => m.status === 'partial' || m.status === 'planned').length;
      const state = implemented > 0 ? 'covered' : partial > 0 ? 'partial' : 'none';
      return {
        score: Math.round(((implemented + partial / 2) / ms.length) * 100),
        color: COVERAGE_COLORS[state],
        comment: clip(ms.map((m) => `${m.id} ${m.name}: ${m.status}`).join('; ')),
        metadata: [
          { name: 'coverage', value: state },
          { name: 'implemented', value: String(implemented) },
          { name: 'mitigations', value: String(ms.length) },
        ],
      };
    },
  },
];

function caseStudyLayer(catalog: Catalog): LayerSpec {
  const total = (t: Technique): number =>
    t.caseStudies.incidents.length + t.caseStudies.exercises.length + t.caseStudies.other.length;
  const max = Math.max(1, ...catalog.techniques.map(total));
  return {
    kind: 'case-study-frequency',
    title: 'case-study frequency',
    gradient: { colors: ['#ffffff', '#d32f2f'], minValue: 0, maxValue: max },
    legend: [{ label: `used by ${String(max)} case studies`, color: '#d32f2f' }],
    annotate: (t, entry) => {
      const n = total(t);
      const here = inScope(entry) ? `${entry.decision} here` : 'not applicable here';
      if (n === 0) return { comment: `No ATLAS case study uses it; ${here}.` };
      const ids = [...t.caseStudies.incidents, ...t.caseStudies.exercises, ...t.caseStudies.other];
      return {
        score: n,
        comment: clip(`${String(n)} case studies (${ids.join(', ')}); ${here}.`),
        metadata: [
          { name: 'incidents', value: String(t.caseStudies.incidents.length) },
          { name: 'exercises', value: String(t.caseStudies.exercises.length) },
        ],
      };
    },
  };
}

/**
 * The Navigator keeps a metadata entry only when both its name and value are non-empty (`Metadata.valid()`):
 * an empty value would be dropped silently on load, so it is left out here.
 */
function withoutEmptyMetadata(a: Annotation): Annotation {
  if (a.metadata === undefined) return a;
  const metadata = a.metadata.filter((m) => !('value' in m) || m.value.length > 0);
  const rest: Annotation = { ...a };
  delete rest.metadata;
  return metadata.length > 0 ? { ...rest, metadata } : rest;
}

function techniquesOf(spec: LayerSpec, assessment: Assessment, catalog: Catalog): NavigatorTechnique[] {
  const ledger = new Map(assessment.ledger.map((e) => [e.techniqueId, e]));
  const out: NavigatorTechnique[] = [];
  for (const t of catalog.techniques) {
    const annotation = {
      ...withoutEmptyMetadata(spec.annotate(t, ledger.get(t.id))),
      links: [{ label: 'ATLAS', url: catalog.url(t.id) }],
    };
    if (t.parent !== undefined) {
      out.push({ techniqueID: t.id, ...annotation });
      continue;
    }
    const subsInScope = t.subtechniques.some((s) => inScope(ledger.get(s)));
    // One entry per (top-level technique, tactic), as MITRE's own ATLAS layers do.
    for (const tacticId of t.tactics) {
      const tactic = catalog.tactic(tacticId);
      if (tactic === undefined) continue;
      out.push({
        techniqueID: t.id,
        tactic: tactic.shortname,
        ...annotation,
        ...(subsInScope ? { showSubtechniques: true } : {}),
      });
    }
  }
  return out;
}

/** The five assessment layers (applicability, inherent, residual, mitigation coverage, case studies). */
export function navigatorLayers(
  assessment: Assessment,
  catalog: Catalog,
  versions: NavigatorVersions = DEFAULT_NAVIGATOR_VERSIONS,
): NavigatorLayer[] {
  const specs = [...LAYERS, caseStudyLayer(catalog)];
  return specs.map((spec) => ({
    name: `${assessment.system.name} — ${spec.title}`,
    versions: { layer: versions.layer, navigator: versions.navigator },
    domain: ATLAS_NAVIGATOR_DOMAIN,
    description:
      `AtlasGuard ${assessment.tool.version} assessment of ${assessment.source} against ATLAS ` +
      `${catalog.version} on ${assessment.assessedOn}: ${spec.title}.`,
    sorting: 0,
    layout: { layout: 'side', showID: true, showName: true, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques: techniquesOf(spec, assessment, catalog),
    gradient: spec.gradient,
    legendItems: spec.legend,
    selectSubtechniquesWithParent: false,
    metadata: [
      { name: 'atlas_data_version', value: catalog.version },
      { name: 'assessed_on', value: assessment.assessedOn },
      { name: 'system', value: assessment.system.id },
      { name: 'layer', value: spec.kind },
    ],
  }));
}

/** The layer kinds, in file order (`--layer` values). */
export const NAVIGATOR_LAYER_KINDS = [
  'applicability',
  'inherent',
  'residual',
  'mitigation-coverage',
  'case-study-frequency',
] as const;
export type NavigatorLayerKind = (typeof NAVIGATOR_LAYER_KINDS)[number];

/** One JSON file holding all assessment layers (a multi-layer Navigator file). */
export const writeNavigator: AssessmentWriter = (assessment, catalog) =>
  `${JSON.stringify(navigatorLayers(assessment, catalog), null, 2)}\n`;

/**
 * One layer as a single JSON object: what Navigators without multi-layer files read (the hosted ATLAS
 * Navigator, a 4.x fork, parses a file as one layer object; see docs/reports.md).
 */
export function navigatorLayerWriter(kind: NavigatorLayerKind): AssessmentWriter {
  return (assessment, catalog) => {
    const layer = navigatorLayers(assessment, catalog).find((l) =>
      l.metadata?.some((m) => 'name' in m && m.name === 'layer' && m.value === kind),
    );
    return `${JSON.stringify(layer, null, 2)}\n`;
  };
}
