export * from './sarif-assess-writer.js';
