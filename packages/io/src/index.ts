export * from './atomic-write.js';
export * from './load-catalog.js';
