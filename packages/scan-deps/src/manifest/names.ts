import type { Ecosystem } from './types.js';

/** PEP 503 normalisation: lowercase, runs of `-`, `_` and `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The name used to key a package: PEP 503 for PyPI, lowercase for npm (the registry is case-insensitive on new names). */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'PyPI') return normalizePypiName(name);
  if (ecosystem === 'npm') return name.toLowerCase();
  return name.toLowerCase();
}

/** A valid PEP 508 project name (before normalisation). */
export const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** A valid npm package name, scoped or not. */
export const NPM_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9_.~-][\w.~-]*$/i;
