import type { Ecosystem } from '../manifest/types.js';
import type { AffectedEntry, IndexedRange } from './index-types.js';
import { orderFor, type VersionOrder } from './version-order.js';

/** Result of evaluating one range: affected or not, or unknown when versions could not be ordered. */
type Verdict = boolean | undefined;

/** OSV range evaluation (spec algorithm): events sorted by version, then walked; `limit` caps the range. */
export function inRange(version: string, range: IndexedRange, order: VersionOrder): Verdict {
  const keyed: Array<{ at: string; kind: 'introduced' | 'fixed' | 'last_affected' | 'limit' }> = [];
  for (const e of range.events) {
    if (e.introduced !== undefined) keyed.push({ at: e.introduced, kind: 'introduced' });
    if (e.fixed !== undefined) keyed.push({ at: e.fixed, kind: 'fixed' });
    if (e.last_affected !== undefined) keyed.push({ at: e.last_affected, kind: 'last_affected' });
    if (e.limit !== undefined) keyed.push({ at: e.limit, kind: 'limit' });
  }
  const state = { unknown: false };
  const cmp = (a: string, b: string): number => {
    if (a === '0' && b !== '0') return -1;
    if (b === '0' && a !== '0') return 1;
    const c = order.compare(a, b);
    if (c === undefined) {
      state.unknown = true;
      return 0;
    }
    return c;
  };
  for (const limit of keyed) {
    if (limit.kind === 'limit' && limit.at !== '*' && cmp(version, limit.at) >= 0)
      return state.unknown ? undefined : false;
  }
  const sorted = keyed.filter((k) => k.kind !== 'limit').sort((a, b) => cmp(a.at, b.at));
  let status = false;
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (e.at === '0' || cmp(version, e.at) >= 0) status = true;
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.at) >= 0) status = false;
    } else if (cmp(version, e.at) > 0) {
      status = false;
    }
  }
  return state.unknown ? undefined : status;
}

export interface EntryMatch {
  affected: boolean;
  /** Some range could not be evaluated (an unparsable version); reported, never silently dropped. */
  uncertain: boolean;
  /** Fixed versions greater than the installed one, smallest first. */
  fixes: string[];
}

/** Whether `version` is affected by one `affected[]` entry: explicit versions, or ECOSYSTEM/SEMVER ranges. */
export function matchEntry(ecosystem: Ecosystem, version: string, entry: AffectedEntry): EntryMatch {
  let affected = false;
  let uncertain = false;
  const order = orderFor(ecosystem);
  if (entry.versions !== undefined) {
    for (const v of entry.versions) {
      if (v === version || order.equal(v, version)) {
        affected = true;
        break;
      }
    }
  }
  const fixes: string[] = [];
  for (const range of entry.ranges ?? []) {
    const rangeOrder = orderFor(ecosystem);
    const verdict = inRange(version, range, rangeOrder);
    if (verdict === undefined) uncertain = true;
    if (verdict === true) affected = true;
    for (const e of range.events) {
      if (e.fixed !== undefined && (rangeOrder.compare(e.fixed, version) ?? 0) > 0) fixes.push(e.fixed);
    }
  }
  if (affected && fixes.length > 1) {
    fixes.sort((a, b) => order.compare(a, b) ?? a.localeCompare(b));
  }
  return { affected, uncertain: uncertain && !affected, fixes: affected ? [...new Set(fixes)] : [] };
}

export { orderFor };
