// Findings and severities without the rest of core (`@atlasguard/core/findings`): scanners that only report
// findings import this, not the package root with every command's schemas and the YAML parser.
export * from './severity.js';
export * from './finding.js';
