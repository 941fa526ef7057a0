export * from './atomic-write.js';
export * from './atlas-data/index.js';
