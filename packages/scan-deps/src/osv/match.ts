import type { Ecosystem } from '../manifest/types.js';
import type { AffectedEntry, IndexedRange } from './index-types.js';
import { orderFor, type VersionOrder } from './version-order.js';

/** Result of evaluating one range: affected or not, or unknown when versions could not be ordered. */
type Verdict = boolean | undefined;

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

function keyedEvents(range: IndexedRange): Array<{ at: string; kind: EventKind }> {
  const keyed: Array<{ at: string; kind: EventKind }> = [];
  for (const e of range.events) {
    if (e.introduced !== undefined) keyed.push({ at: e.introduced, kind: 'introduced' });
    if (e.fixed !== undefined) keyed.push({ at: e.fixed, kind: 'fixed' });
    if (e.last_affected !== undefined) keyed.push({ at: e.last_affected, kind: 'last_affected' });
    if (e.limit !== undefined) keyed.push({ at: e.limit, kind: 'limit' });
  }
  return keyed;
}

/** `0` (the OSV "from the beginning" marker) sorts before every version. */
function compareAt(a: string, b: string, order: VersionOrder): number | undefined {
  if (a === '0' && b !== '0') return -1;
  if (b === '0' && a !== '0') return 1;
  return order.compare(a, b);
}

/**
 * Puts a range's events in version order once (when the index is built), so that matching is a binary
 * search instead of a sort per installed version. Ranges with an unorderable bound are left as they are
 * (evaluated, and reported as uncertain, at match time).
 */
export function presortRange(range: IndexedRange, order: VersionOrder): IndexedRange {
  const keyed = keyedEvents(range);
  const single = range.events.every((e) => Object.keys(e).length === 1);
  if (!single) return range;
  const limits = keyed.filter((k) => k.kind === 'limit');
  const rest = keyed.filter((k) => k.kind !== 'limit');
  const state = { orderable: true };
  const sorted = rest
    .map((k, i) => ({ k, i }))
    .sort((x, y) => {
      const c = compareAt(x.k.at, y.k.at, order);
      if (c === undefined) state.orderable = false;
      return c || x.i - y.i;
    })
    .map((x) => x.k);
  if (!state.orderable) return range;
  return {
    type: range.type,
    events: [...limits, ...sorted].map((k) => ({ [k.kind]: k.at })),
    sorted: true,
  };
}

/** OSV range evaluation (spec algorithm): events sorted by version, then walked; `limit` caps the range. */
export function inRange(version: string, range: IndexedRange, order: VersionOrder): Verdict {
  if (range.sorted === true) return inSortedRange(version, range, order);
  const keyed = keyedEvents(range);
  const state = { unknown: false };
  const cmp = (a: string, b: string): number => {
    const c = compareAt(a, b, order);
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

/**
 * The same verdict on a presorted range: limits first, then events in version order. The last event at
 * or below the version decides (a `last_affected` equal to the version does not end the range).
 */
function inSortedRange(version: string, range: IndexedRange, order: VersionOrder): Verdict {
  const events = range.events;
  let lo = 0;
  while (lo < events.length && events[lo]?.limit !== undefined) {
    const at = events[lo]?.limit ?? '*';
    if (at !== '*') {
      const c = compareAt(version, at, order);
      if (c === undefined) return undefined;
      if (c >= 0) return false;
    }
    lo++;
  }
  // Binary search: the first event strictly above the version.
  let hi = events.length;
  const first = lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = events[mid];
    const at = e?.introduced ?? e?.fixed ?? e?.last_affected ?? '0';
    const c = compareAt(version, at, order);
    if (c === undefined) return undefined;
    if (c >= 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= first; i--) {
    const e = events[i];
    if (e?.introduced !== undefined) return true;
    if (e?.fixed !== undefined) return false;
    if (e?.last_affected !== undefined) {
      if (compareAt(version, e.last_affected, order) === 0) continue;
      return false;
    }
  }
  return false;
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
