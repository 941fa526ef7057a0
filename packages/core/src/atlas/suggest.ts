import type { Catalog } from './catalog.js';
import type { AtlasObject } from './catalog-types.js';
import { searchCatalog } from './search.js';
import { editDistance, tokenize } from './text-tokens.js';

export interface IdSuggestion {
  id: string;
  kind: AtlasObject['kind'];
  name: string;
}

/**
 * The object a user meant by `input`: an ID in any letter case (`aml.t0051`), or a tactic's Navigator
 * shortname (`reconnaissance`). Undefined when nothing matches exactly.
 */
export function resolveObject(catalog: Catalog, input: string): AtlasObject | undefined {
  const text = input.trim();
  const upper = text.toUpperCase();
  const exact =
    catalog.get(text) ??
    catalog.get(upper) ??
    (/^(TA|T|M|CS)\d{4}/.test(upper) ? catalog.get(`AML.${upper}`) : undefined);
  if (exact) return exact;
  const tactic = catalog.tacticByShort(text.toLowerCase());
  return tactic ? { kind: 'tactic', value: tactic } : undefined;
}

function entries(catalog: Catalog): IdSuggestion[] {
  return [
    ...catalog.tactics.map((t) => ({ id: t.id, kind: 'tactic' as const, name: t.name })),
    ...catalog.techniques.map((t) => ({ id: t.id, kind: 'technique' as const, name: t.name })),
    ...catalog.mitigations.map((m) => ({ id: m.id, kind: 'mitigation' as const, name: m.name })),
    ...catalog.caseStudies.map((c) => ({ id: c.id, kind: 'case-study' as const, name: c.name })),
  ];
}

/**
 * "Did you mean": IDs close to `input` by prefix or edit distance and objects whose name is a near typo of
 * it first, then the best full-text matches of it over names and descriptions.
 */
export function suggestIds(catalog: Catalog, input: string, limit = 5): IdSuggestion[] {
  const raw = input.trim();
  if (raw === '') return [];
  const upper = raw.toUpperCase();
  const asId = upper.startsWith('AML.') ? upper : `AML.${upper}`;
  const lower = tokenize(raw).join(' ');
  const ranked: Array<{ entry: IdSuggestion; rank: number }> = [];
  for (const entry of entries(catalog)) {
    let rank = Number.POSITIVE_INFINITY;
    // IDs: a prefix (AML.T005 → AML.T0050…) or a typo (AML.T0515 → AML.T0051).
    if (entry.id.startsWith(asId) && asId.length >= 6)
      rank = Math.min(rank, 1 + (entry.id.length - asId.length) / 10);
    const idDistance = editDistance(asId, entry.id, 2);
    if (idDistance <= 2) rank = Math.min(rank, idDistance);
    // Names: a typo of the whole name, or the name starting with (or containing) what was typed.
    if (lower.length >= 3) {
      const name = tokenize(entry.name).join(' ');
      const allowed = Math.max(1, Math.floor(lower.length / 4));
      const nameDistance = editDistance(lower, name, allowed);
      if (nameDistance <= allowed) rank = Math.min(rank, 0.5 + nameDistance);
    }
    if (rank !== Number.POSITIVE_INFINITY) ranked.push({ entry, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.entry.id.localeCompare(b.entry.id));
  const result = ranked.slice(0, limit).map((r) => r.entry);
  if (result.length < limit && lower.length >= 3) {
    for (const hit of searchCatalog(catalog, raw, { limit })) {
      if (result.length >= limit) break;
      if (!result.some((r) => r.id === hit.id)) result.push({ id: hit.id, kind: hit.kind, name: hit.name });
    }
  }
  return result;
}
