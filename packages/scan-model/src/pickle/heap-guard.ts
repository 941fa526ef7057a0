import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resourceLimits } from 'node:worker_threads';

/** Heap a scan may add on top of what was in use when it started (main thread: the CLI's ~60 MB RSS). */
export const MAIN_HEAP_BUDGET = 64 * 1024 * 1024;

/** Room a scan always gets, even when the heap is already near the isolate cap when it starts. */
const MIN_ROOM = 8 * 1024 * 1024;

let isolateCap: number | undefined;

/**
 * The most a scan may fill: in a worker, a third of the old generation the pool gave it (the rest is room
 * for garbage between collections; the young generation counts in the heap limit but cannot hold what a
 * scan keeps); elsewhere 60% of the heap limit.
 */
function cap(): number {
  const old = resourceLimits.maxOldGenerationSizeMb;
  isolateCap ??=
    old !== undefined && old > 0
      ? Math.floor((old * 1024 * 1024) / 3)
      : Math.floor(getHeapStatistics().heap_size_limit * 0.6);
  return isolateCap;
}

/**
 * The heap in use when a scan starts, as a base for `heapCeiling`. Garbage in it (an earlier file's) only
 * widens the room until the first over-reading: the collection it makes shrinks the base (HeapBudget).
 * No collection here: once per file cost ~1.5 ms a file (1,000 small files: 0.6 -> 1.3 s of CPU).
 */
export function heapStart(): number {
  return oldUsed();
}

/**
 * Heap in use outside the young generation's semispaces (garbage included): what a scan keeps ends up
 * there, and it is what runs out. Small young objects, collected every few MB, would only make the reading
 * jitter; large ones (big strings) are counted from the start.
 */
export function oldUsed(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space') used += space.space_used_size;
  }
  return used;
}

/**
 * The heap in use (bytes, live) at which a pickle scan that started at `base` ends as inconclusive:
 * `base + added` (default MAIN_HEAP_BUDGET), and not above the isolate's cap (see `cap`; unless that
 * leaves less than 8 MB), so that a worker whose limit the pool set stops here rather than dying.
 */
export function heapCeiling(base: number, added = MAIN_HEAP_BUDGET): number {
  return Math.min(base + added, Math.max(cap(), base + MIN_ROOM));
}

let collect: (() => void) | undefined;

/** A full garbage collection: `gc` exposed in a fresh context (the flag only adds that global). */
function fullGc(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** What a heap check found: under the limit, under it only after a full collection, or over it. */
export type HeapReading = 'under' | 'collected' | 'over';

/**
 * The heap budget of one scan: it may add `added` bytes (default MAIN_HEAP_BUDGET) to the heap in use at
 * `base`, within the isolate's cap. The cheap reading (garbage included) decides alone when it is under the
 * limit; over it, one full collection tells live data from garbage, and garbage counted in the base is
 * taken out of it. Callers space their checks out (every 16,384 opcodes, and after big operands).
 */
export class HeapBudget {
  limit: number;
  constructor(
    private base: number,
    private readonly added?: number,
  ) {
    this.limit = heapCeiling(base, added);
  }

  /** Bytes the scan may add, as it stands. */
  get allowed(): number {
    return this.limit - this.base;
  }

  check(): HeapReading {
    if (oldUsed() <= this.limit) return 'under';
    fullGc();
    const live = oldUsed();
    if (live < this.base) {
      this.base = live;
      this.limit = heapCeiling(live, this.added);
    }
    return live > this.limit ? 'over' : 'collected';
  }
}
