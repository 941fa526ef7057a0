export * from './main.js';
export * from './program.js';
export * from './context.js';
