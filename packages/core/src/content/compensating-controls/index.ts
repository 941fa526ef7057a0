export * from './control-schema.js';
export * from './control-catalog.js';
