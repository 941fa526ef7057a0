// `@atlasguard/core/errors`: the error type and exit codes, importable without loading the rest of core.
export * from './exit-codes.js';
export * from './atlasguard-error.js';
