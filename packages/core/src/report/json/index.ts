export * from './json-writer.js';
