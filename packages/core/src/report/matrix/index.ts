export * from './matrix-layout.js';
export * from './assessment-matrix.js';
export * from './heat-colors.js';
export * from './report-digest.js';
