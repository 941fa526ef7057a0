export * from './question-schema.js';
export * from './question-bank.js';
export * from './question-lookup.js';
export * from './text-specificity.js';
