export * from './markdown-writer.js';
export * from './markdown-escape.js';
