import type { Catalog } from '../../atlas/catalog.js';
import type { Technique } from '../../atlas/catalog-types.js';
import type { CompensatingControl, NoControlNeeded } from './control-schema.js';
import { POST_ACCESS_CONTROLS } from './controls-post-access.js';
import { PRE_ACCESS_CONTROLS } from './controls-pre-access.js';
import { NO_CONTROL_NEEDED } from './no-control-needed.js';

/** Every compensating control of AtlasGuard's own content. */
export const COMPENSATING_CONTROLS: readonly CompensatingControl[] = [
  ...PRE_ACCESS_CONTROLS,
  ...POST_ACCESS_CONTROLS,
];

const byId = new Map(COMPENSATING_CONTROLS.map((c) => [c.id, c]));
const noneNeeded = new Map(NO_CONTROL_NEEDED.map((n) => [n.technique, n]));

export function compensatingControlById(id: string): CompensatingControl | undefined {
  return byId.get(id);
}

/** Compensating controls naming the technique, in content order. */
export function compensatingControlsFor(techniqueId: string): readonly CompensatingControl[] {
  return COMPENSATING_CONTROLS.filter((c) => c.techniques.includes(techniqueId));
}

/** The recorded reason why a technique needs no compensating control, if it is one of those. */
export function noControlNeededFor(techniqueId: string): NoControlNeeded | undefined {
  return noneNeeded.get(techniqueId);
}

/** True when ATLAS links no mitigation to the technique nor to its parent. */
export function hasNoAtlasMitigation(catalog: Catalog, technique: Technique): boolean {
  if (technique.mitigations.length > 0) return false;
  const parent = technique.parent === undefined ? undefined : catalog.technique(technique.parent);
  return parent === undefined || parent.mitigations.length === 0;
}

/** Techniques of the catalog with no ATLAS mitigation (even through their parent), in catalog order. */
export function unmitigatedTechniques(catalog: Catalog): Technique[] {
  return catalog.techniques.filter((t) => hasNoAtlasMitigation(catalog, t));
}
