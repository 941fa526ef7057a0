export * from './system-model-schema.js';
export * from './parse-model.js';
export * from './check-model.js';
export * from './did-you-mean.js';
export * from './starter-model.js';
export * from './json-schema.js';
