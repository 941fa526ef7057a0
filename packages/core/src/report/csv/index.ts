export * from './csv-writer.js';
export * from './csv-encode.js';
