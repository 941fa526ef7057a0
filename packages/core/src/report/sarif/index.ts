// The SARIF 2.1.0 writer alone (`@atlasguard/core/sarif`), for scanners that render findings as SARIF without
// loading the rest of core.
export * from './sarif-writer.js';
