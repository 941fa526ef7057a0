export * from './partition.js';
export * from './publish.js';
export * from './worker.js';
