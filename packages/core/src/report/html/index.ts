export * from './html-writer.js';
export * from './html-escape.js';
