// The zod- and YAML-free part of the ATLAS catalog (`@atlasguard/core/atlas`): lookups, search, diff and
// views over an already built catalog. A warm start imports only this; parsing ATLAS.yaml is in the package
// root (`parseAtlasYaml`), loaded when a release has to be parsed.
export type * from './catalog-types.js';
export * from './catalog.js';
export * from './catalog-shape.js';
export * from './format-version.js';
export * from './links.js';
export * from './stats.js';
export * from './search.js';
export * from './suggest.js';
export * from './diff.js';
export * from './matrix-bands.js';
export * from './object-view.js';
