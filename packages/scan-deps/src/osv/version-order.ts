import semver, { type SemVer } from 'semver';
import type { Ecosystem } from '../manifest/types.js';
import { comparePep440, parsePep440, type Pep440Version } from './pep440.js';

/** Orders two versions; undefined when either cannot be parsed under the ecosystem's rules. */
export interface VersionOrder {
  compare(a: string, b: string): number | undefined;
  equal(a: string, b: string): boolean;
}

// Versions repeat across records and lockfiles: each distinct string is parsed once (bounded memo).
const MEMO_LIMIT = 200_000;
const pepParsed = new Map<string, Pep440Version | null>();
function pep(v: string): Pep440Version | null {
  let parsed = pepParsed.get(v);
  if (parsed === undefined) {
    parsed = parsePep440(v) ?? null;
    if (pepParsed.size >= MEMO_LIMIT) pepParsed.clear();
    pepParsed.set(v, parsed);
  }
  return parsed;
}

/** PEP 440 ordering (PyPI): pre-, post- and dev-releases, epochs, local versions. */
export const PEP440_ORDER: VersionOrder = {
  compare(a, b) {
    if (a === b) return 0;
    const x = pep(a);
    const y = pep(b);
    if (x === null || y === null) return undefined;
    return comparePep440(x, y);
  },
  equal(a, b) {
    if (a === b) return true;
    const x = pep(a);
    const y = pep(b);
    return x !== null && y !== null && comparePep440(x, y) === 0;
  },
};

const semParsed = new Map<string, SemVer | null>();
function sem(v: string): SemVer | null {
  let parsed = semParsed.get(v);
  if (parsed === undefined) {
    parsed = semver.parse(v, { loose: true });
    if (semParsed.size >= MEMO_LIMIT) semParsed.clear();
    semParsed.set(v, parsed);
  }
  return parsed;
}

/** Semantic Versioning 2.0 ordering (npm); a leading `v` or `=` is tolerated as npm does. */
export const SEMVER_ORDER: VersionOrder = {
  compare(a, b) {
    if (a === b) return 0;
    const x = sem(a);
    const y = sem(b);
    if (x === null || y === null) return undefined;
    return x.compare(y);
  },
  equal(a, b) {
    if (a === b) return true;
    const x = sem(a);
    const y = sem(b);
    return x !== null && y !== null && x.compare(y) === 0;
  },
};

/** The ordering OSV ranges use for an ecosystem (GHSA marks some PyPI ranges SEMVER; PEP 440 orders them too). */
export function orderFor(ecosystem: Ecosystem): VersionOrder {
  return ecosystem === 'npm' ? SEMVER_ORDER : PEP440_ORDER;
}
