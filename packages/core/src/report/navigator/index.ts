export * from './navigator-writer.js';
export * from './navigator-layer-schema.js';
