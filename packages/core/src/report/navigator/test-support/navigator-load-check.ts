import type { Catalog } from '../../../atlas/catalog.js';

// Test support: what the ATT&CK / ATLAS Navigator does with a layer file, restated from its source code so
// that tests can hold our layers to every rule it enforces. Read from:
// - mitre-attack/attack-navigator (5.x, layer format 4.5): nav-app/src/app/tabs/tabs.component.ts
//   (readJSONFile, versionMismatchWarning), classes/view-model.ts (deserializeDomainVersionID, deserialize),
//   classes/technique-vm.ts, gradient.ts, metadata.ts, link.ts, layout-options.ts, filter.ts,
//   services/data.service.ts (getDomainVersionID), utils/globals.ts (layerVersion 4.5);
// - mitre-atlas/atlas-navigator, branch `atlas` (the 4.x fork behind the hosted ATLAS Navigator, built on
//   branch `atlas-gh-pages`): globals.ts (layer_version 4.3), viewmodels.service.ts, tabs/tabs.component.ts,
//   and the hosted assets/config.json (one version "4"; the domain with identifier `atlas-atlas`).
// A finding is `error` when the Navigator refuses the file or a field (console.error / alert / exception),
// `dropped` when it silently loses an annotation, `warning` when it loads with a notice.

export type NavigatorFlavour = 'attack-navigator-5' | 'atlas-navigator-4.3';
export interface LoadFinding {
  severity: 'error' | 'dropped' | 'warning';
  where: string;
  message: string;
}

/** Domains the hosted ATLAS Navigator knows: `<identifier>-<version number>` (config.json of atlas-gh-pages). */
const ATLAS_DOMAIN_VERSIONS = new Set(['atlas-atlas-4']);
const LATEST_VERSION = '4';
const LAYOUTS = ['side', 'flat', 'mini'];
const AGGREGATES = ['average', 'min', 'max', 'sum'];
const EXPANDED = ['none', 'annotated', 'all'];
// tinycolor accepts more (rgb(), hsl(), names); we hold our output to hex, which every version accepts.
const isColor = (v: unknown): boolean =>
  typeof v === 'string' && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(v);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed layer file as the given Navigator would load it. */
export function navigatorLoadCheck(
  file: unknown,
  catalog: Catalog,
  flavour: NavigatorFlavour = 'attack-navigator-5',
): LoadFinding[] {
  const out: LoadFinding[] = [];
  if (Array.isArray(file)) {
    if (flavour === 'atlas-navigator-4.3') {
      // readJSONFile parses one object: an array has no `domain`, so its key is "undefined-4" — which the
      // hosted config.json does know (its plain "ATLAS" domain has no identifier). Seen in the real app
      // (scripts/navigator-check): it opens an unnamed, empty layer with no alert; every layer is lost.
      out.push({
        severity: 'error',
        where: 'file',
        message: 'multi-layer files are not read: an unnamed, empty layer opens, with no alert',
      });
      return out;
    }
    if (file.length === 0) out.push({ severity: 'error', where: 'file', message: 'empty array' });
    file.forEach((layer, i) => out.push(...checkLayer(layer, catalog, flavour, `layer[${String(i)}]`)));
    return out;
  }
  return checkLayer(file, catalog, flavour, 'layer');
}

function checkLayer(
  layer: unknown,
  catalog: Catalog,
  flavour: NavigatorFlavour,
  where: string,
): LoadFinding[] {
  const out: LoadFinding[] = [];
  const err = (w: string, message: string): void => void out.push({ severity: 'error', where: w, message });
  const drop = (w: string, message: string): void =>
    void out.push({ severity: 'dropped', where: w, message });
  const warn = (w: string, message: string): void =>
    void out.push({ severity: 'warning', where: w, message });
  if (!isObj(layer)) {
    err(where, 'not an object');
    return out;
  }
  if (typeof layer.name !== 'string' || layer.name === '') err(`${where}.name`, 'name missing');

  // deserializeDomainVersionID: version from versions.attack (digits), else the latest; domain key = domain-version
  let version = LATEST_VERSION;
  let layerVersion = '';
  if (isObj(layer.versions)) {
    if ('attack' in layer.versions) {
      const attack = layer.versions.attack;
      if (typeof attack !== 'string') err(`${where}.versions.attack`, 'attack version field is not a string');
      else if (attack.length > 0) version = /\d+/.exec(attack)?.[0] ?? 'null';
    }
    layerVersion = String(layer.versions.layer);
  }
  if ('version' in layer) layerVersion = String(layer.version);
  const domain = typeof layer.domain === 'string' ? layer.domain : String(layer.domain);
  if (!ATLAS_DOMAIN_VERSIONS.has(`${domain}-${version}`))
    err(`${where}.domain`, `'${domain}' (v${version}) is an invalid domain`);

  // layer version: 5.x warns on a minor mismatch and stops on a major one; the 4.3 fork alerts on any mismatch
  if (flavour === 'attack-navigator-5') {
    const [major, minor] = layerVersion.split('.');
    if (major !== '4') err(`${where}.versions.layer`, `layer version ${layerVersion} is not 4.x (dialog)`);
    else if (minor !== '5') warn(`${where}.versions.layer`, `layer version ${layerVersion} is out of date`);
  } else if (layerVersion !== '4.3') {
    warn(`${where}.versions.layer`, `layer version ${layerVersion} is not 4.3: may not be fully restored`);
  }

  if ('description' in layer && typeof layer.description !== 'string')
    err(`${where}.description`, 'not a string');
  if ('sorting' in layer && typeof layer.sorting !== 'number') err(`${where}.sorting`, 'not a number');
  if ('hideDisabled' in layer && typeof layer.hideDisabled !== 'boolean')
    err(`${where}.hideDisabled`, 'not a boolean');
  if ('filters' in layer && isObj(layer.filters) && layer.filters.platforms !== undefined) {
    const p = layer.filters.platforms;
    if (!Array.isArray(p) || p.some((x) => typeof x !== 'string'))
      err(`${where}.filters.platforms`, 'not string[]');
  }
  if ('gradient' in layer) {
    const g = layer.gradient;
    if (!isObj(g) || !Array.isArray(g.colors) || !g.colors.every(isColor))
      err(`${where}.gradient.colors`, 'gradient colors field is not a color-string[]');
    else if (g.colors.length < 2) err(`${where}.gradient.colors`, 'a gradient needs two colours');
    if (!isObj(g) || typeof g.minValue !== 'number' || typeof g.maxValue !== 'number')
      err(`${where}.gradient`, 'minValue / maxValue are copied as given and must be numbers');
    else if (g.maxValue <= g.minValue) err(`${where}.gradient`, 'maxValue must exceed minValue');
  }
  if ('legendItems' in layer) {
    const items = Array.isArray(layer.legendItems) ? layer.legendItems : [];
    items.forEach((item: unknown, i) => {
      const w = `${where}.legendItems[${String(i)}]`;
      if (!isObj(item) || !('label' in item) || !('color' in item)) err(w, 'label and color required');
      else if (typeof item.label !== 'string') err(w, 'label is not a string');
      else if (!isColor(item.color)) err(w, 'color is not a color-string');
    });
  }
  for (const key of [
    'showTacticRowBackground',
    'selectTechniquesAcrossTactics',
    'selectSubtechniquesWithParent',
    'selectVisibleTechniques',
  ])
    if (key in layer && typeof layer[key] !== 'boolean') err(`${where}.${key}`, 'not a boolean');
  if ('tacticRowBackground' in layer && !isColor(layer.tacticRowBackground))
    err(`${where}.tacticRowBackground`, 'not a color-string');
  if ('layout' in layer && isObj(layer.layout)) {
    const l = layer.layout;
    for (const key of ['showID', 'showName', 'showAggregateScores', 'countUnscored'])
      if (key in l && typeof l[key] !== 'boolean') err(`${where}.layout.${key}`, 'not a boolean');
    if ('layout' in l && !LAYOUTS.includes(String(l.layout))) err(`${where}.layout.layout`, 'unknown layout');
    if ('aggregateFunction' in l && !AGGREGATES.includes(String(l.aggregateFunction)))
      err(`${where}.layout.aggregateFunction`, 'unknown aggregate function');
    if ('expandedSubtechniques' in l && !EXPANDED.includes(String(l.expandedSubtechniques)))
      err(`${where}.layout.expandedSubtechniques`, 'unknown option');
  }
  checkMetadataLinks(layer, where, err, drop);

  // techniques: with a tactic → stored under `ID^tactic`; without → once per tactic of the technique (or of
  // the sub-technique, found among its parent's sub-techniques); later entries overwrite earlier ones.
  const placements = new Map<string, string>();
  const techniques = Array.isArray(layer.techniques) ? layer.techniques : [];
  techniques.forEach((t: unknown, i) => {
    const w = `${where}.techniques[${String(i)}]`;
    if (!isObj(t)) {
      err(w, 'not an object');
      return;
    }
    const id = t.techniqueID;
    if (typeof id !== 'string') {
      err(w, 'TechniqueID field not present in technique');
      return;
    }
    const technique = catalog.technique(id);
    const shortnames = (technique?.tactics ?? []).map((x) => catalog.tactic(x)?.shortname ?? x);
    let tactics: string[];
    if ('tactic' in t) {
      if (typeof t.tactic !== 'string' || t.tactic === '') {
        err(w, 'tactic field not present in technique (alert)');
        return;
      }
      if (!shortnames.includes(t.tactic))
        drop(w, `${id} is not under tactic ${t.tactic} in the matrix: its annotation is never shown`);
      tactics = [t.tactic];
    } else {
      if (technique === undefined) drop(w, `${id} is not a technique of the domain: ignored`);
      tactics = shortnames;
    }
    for (const tactic of tactics) {
      const key = `${id}^${tactic}`;
      const before = placements.get(key);
      if (before !== undefined) drop(w, `${key} overwrites ${before}`);
      placements.set(key, w);
    }
    if ('comment' in t && typeof t.comment !== 'string') err(`${w}.comment`, 'not a string');
    if ('color' in t && t.color !== '' && !isColor(t.color)) err(`${w}.color`, 'not a color-string');
    if ('score' in t && typeof t.score !== 'number') err(`${w}.score`, 'not a number');
    if ('enabled' in t && typeof t.enabled !== 'boolean') err(`${w}.enabled`, 'not a boolean');
    if ('showSubtechniques' in t && typeof t.showSubtechniques !== 'boolean')
      err(`${w}.showSubtechniques`, 'not a boolean');
    checkMetadataLinks(t, w, err, drop);
  });
  return out;
}

function checkMetadataLinks(
  o: Obj,
  where: string,
  err: (w: string, m: string) => void,
  drop: (w: string, m: string) => void,
): void {
  const metadata = Array.isArray(o.metadata) ? o.metadata : [];
  metadata.forEach((m: unknown, i) => {
    const w = `${where}.metadata[${String(i)}]`;
    if (!isObj(m)) {
      err(w, 'not an object');
      return;
    }
    if ('name' in m) {
      if (typeof m.name !== 'string') err(w, "metadata 'name' is not a string");
      if (!('value' in m)) err(w, "metadata required field 'value' not present");
      else if (typeof m.value !== 'string') err(w, "metadata 'value' is not a string");
      // Metadata.valid(): name and value non-empty, or a divider
      if (typeof m.name !== 'string' || m.name === '' || typeof m.value !== 'string' || m.value === '')
        drop(w, 'metadata without a non-empty name and value is dropped');
    } else if ('divider' in m) {
      if (typeof m.divider !== 'boolean') err(w, "metadata 'divider' is not a boolean");
    } else err(w, "metadata required field 'name' or 'divider' not present");
  });
  const links = Array.isArray(o.links) ? o.links : [];
  links.forEach((l: unknown, i) => {
    const w = `${where}.links[${String(i)}]`;
    if (!isObj(l)) {
      err(w, 'not an object');
      return;
    }
    if ('url' in l) {
      if (typeof l.url !== 'string') err(w, "link 'url' is not a string");
      if (!('label' in l)) err(w, "link required field 'label' not present");
      if (typeof l.url !== 'string' || l.url === '' || typeof l.label !== 'string' || l.label === '')
        drop(w, 'link without a non-empty label and url is dropped');
    } else if ('divider' in l) {
      if (typeof l.divider !== 'boolean') err(w, "link 'divider' is not a boolean");
    } else err(w, "link required field 'url' or 'divider' not present");
  });
}
