import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { Ecosystem } from '../manifest/types.js';

/** Orders two versions; undefined when either cannot be parsed under the ecosystem's rules. */
export interface VersionOrder {
  compare(a: string, b: string): number | undefined;
  equal(a: string, b: string): boolean;
}

const pepValid = new Map<string, boolean>();
function isPep440(v: string): boolean {
  let ok = pepValid.get(v);
  if (ok === undefined) {
    ok = pep440.valid(v) !== null;
    if (pepValid.size > 200_000) pepValid.clear();
    pepValid.set(v, ok);
  }
  return ok;
}

// Advisory ranges reuse a few bounds for many installed versions: remembering results avoids re-parsing.
const pepCompared = new Map<string, Map<string, number>>();
let pepComparedSize = 0;
function pepCompare(a: string, b: string): number {
  let row = pepCompared.get(a);
  if (row === undefined) {
    if (pepComparedSize > 500_000) {
      pepCompared.clear();
      pepComparedSize = 0;
    }
    pepCompared.set(a, (row = new Map<string, number>()));
  }
  let result = row.get(b);
  if (result === undefined) {
    result = Math.sign(pep440.compare(a, b));
    row.set(b, result);
    pepComparedSize++;
  }
  return result;
}

/** PEP 440 ordering (PyPI): pre-, post- and dev-releases, epochs, local versions. */
export const PEP440_ORDER: VersionOrder = {
  compare(a, b) {
    if (a === b) return 0;
    if (!isPep440(a) || !isPep440(b)) return undefined;
    return pepCompare(a, b);
  },
  equal(a, b) {
    if (a === b) return true;
    return isPep440(a) && isPep440(b) && pepCompare(a, b) === 0;
  },
};

/** Semantic Versioning 2.0 ordering (npm); a leading `v` or `=` is tolerated as npm does. */
export const SEMVER_ORDER: VersionOrder = {
  compare(a, b) {
    if (a === b) return 0;
    const x = semver.valid(a, { loose: true });
    const y = semver.valid(b, { loose: true });
    if (x === null || y === null) return undefined;
    return semver.compare(x, y);
  },
  equal(a, b) {
    if (a === b) return true;
    const x = semver.valid(a, { loose: true });
    const y = semver.valid(b, { loose: true });
    return x !== null && y !== null && semver.eq(x, y);
  },
};

/** The ordering OSV ranges use for an ecosystem (GHSA marks some PyPI ranges SEMVER; PEP 440 orders them too). */
export function orderFor(ecosystem: Ecosystem): VersionOrder {
  return ecosystem === 'npm' ? SEMVER_ORDER : PEP440_ORDER;
}
