export * from './json-writer.js';
export * from './assessment-json-schema.js';
