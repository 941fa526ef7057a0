import { LruMap } from './lru.js';

/** How many lines of evidence a keyed state keeps. */
export const EVIDENCE_LINES = 20;

/**
 * Keyed numeric state packed in typed rows: each key (principal) owns one row of `width` doubles and one
 * ring of its last `EVIDENCE_LINES` line numbers, in two shared `Float64Array`s. One event touches a few
 * adjacent cache lines instead of a state object, a window object, its array and an evidence array spread
 * over the heap (which the parse of each line keeps pushing out of the caches: see
 * docs/benchmarks/monitor.md).
 *
 * Keys map to rows through the same bounded `LruMap` the object states used, with the same get/set pattern,
 * so eviction is unchanged; an evicted key's row is zeroed and reused.
 */
export class PackedRows {
  readonly ids: LruMap<string, number>;
  /** row `id` occupies `[id * width, (id + 1) * width)` */
  values: Float64Array;
  /** per row: EVIDENCE_LINES slots, then the slot of the oldest line, then how many lines are kept */
  lines: Float64Array;
  private readonly free: number[] = [];
  private next = 0;
  private static readonly RING = EVIDENCE_LINES + 2;

  constructor(
    maxKeys: number,
    readonly width: number,
  ) {
    this.ids = new LruMap<string, number>(maxKeys, (_key, id) => {
      this.release(id);
    });
    this.values = new Float64Array(16 * width);
    this.lines = new Float64Array(16 * PackedRows.RING);
  }

  get size(): number {
    return this.ids.size;
  }

  /** The key's row, touching its recency; undefined when the key has none. */
  get(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** A new zeroed row for a key that has none. */
  create(key: string): number {
    const id = this.free.pop() ?? this.next++;
    if ((id + 1) * this.width > this.values.length) this.grow();
    this.ids.set(key, id);
    return id;
  }

  clear(): void {
    this.ids.clear();
    this.free.length = 0;
    this.next = 0;
    this.values.fill(0);
    this.lines.fill(0);
  }

  private release(id: number): void {
    this.values.fill(0, id * this.width, (id + 1) * this.width);
    this.lines.fill(0, id * PackedRows.RING, (id + 1) * PackedRows.RING);
    this.free.push(id);
  }

  /** Half as many rows again (doubling would leave up to half of the memory unused). */
  private grow(): void {
    const rows = Math.ceil((this.values.length / this.width) * 1.5);
    const values = new Float64Array(rows * this.width);
    values.set(this.values);
    this.values = values;
    const lines = new Float64Array(rows * PackedRows.RING);
    lines.set(this.lines);
    this.lines = lines;
  }

  /** Adds a line to the row's evidence, dropping the oldest once `EVIDENCE_LINES` are kept. */
  pushLine(id: number, line: number): void {
    const l = this.lines;
    const o = id * PackedRows.RING;
    const n = l[o + EVIDENCE_LINES + 1] as number;
    if (n < EVIDENCE_LINES) {
      l[o + n] = line;
      l[o + EVIDENCE_LINES + 1] = n + 1;
      return;
    }
    const head = l[o + EVIDENCE_LINES] as number;
    l[o + head] = line;
    l[o + EVIDENCE_LINES] = head + 1 === EVIDENCE_LINES ? 0 : head + 1;
  }

  /** The row's evidence lines, oldest first. */
  linesOf(id: number): number[] {
    const l = this.lines;
    const o = id * PackedRows.RING;
    const n = l[o + EVIDENCE_LINES + 1] as number;
    const head = l[o + EVIDENCE_LINES] as number;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = l[o + ((head + i) % EVIDENCE_LINES)] as number;
    return out;
  }

  /** Sets the row's evidence from a checkpoint (oldest first; only the last `EVIDENCE_LINES` numbers). */
  setLines(id: number, lines: unknown): void {
    const o = id * PackedRows.RING;
    const l = this.lines;
    l.fill(0, o, o + PackedRows.RING);
    if (!Array.isArray(lines)) return;
    const numbers = lines.filter((x): x is number => typeof x === 'number');
    for (const x of numbers.slice(Math.max(0, numbers.length - EVIDENCE_LINES))) this.pushLine(id, x);
  }

  /** Oldest generation first, as `LruMap.entries`. */
  entries(): IterableIterator<[string, number]> {
    return this.ids.entries();
  }

  /** Bytes a row takes (values and evidence), for the state-size report. */
  get rowBytes(): number {
    return (this.width + PackedRows.RING) * 8;
  }

  /** Estimated bytes of every key and row, for the state-size report. */
  stateBytes(): number {
    let n = 0;
    for (const [k] of this.entries()) n += 48 + k.length * 2 + this.rowBytes;
    return n;
  }

  /**
   * Rebuilds rows from a checkpoint's `[key, state]` entries (anything else is skipped): each key gets a new
   * zeroed row with its evidence lines, and `fill` sets the rest from the saved state object.
   */
  restoreEntries(entries: unknown, fill: (id: number, saved: Record<string, unknown>) => void): void {
    if (!Array.isArray(entries)) return;
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const saved = (typeof entry[1] === 'object' && entry[1] !== null ? entry[1] : {}) as Record<
        string,
        unknown
      >;
      const id = this.create(entry[0]);
      fill(id, saved);
      this.setLines(id, saved.lines);
    }
  }
}

/**
 * A sliding event-time window of `slots` buckets × `fields` counters inside a packed row at `offset`: the
 * newest bucket's absolute index, then the counters (the layout `WindowShape` keeps in a `BucketWindow`, with
 * the same arithmetic in the same order).
 */
export class PackedWindow {
  readonly bucketMs: number;
  /** doubles the window takes in a row */
  readonly width: number;

  constructor(
    windowSeconds: number,
    readonly slots: number,
    readonly fields: number,
  ) {
    this.bucketMs = Math.max(1, Math.floor((windowSeconds * 1000) / slots));
    this.width = 1 + slots * fields;
  }

  bucket(time: number): number {
    return Math.floor(time / this.bucketMs);
  }

  init(v: Float64Array, at: number, time: number): void {
    v[at] = this.bucket(time);
    v.fill(0, at + 1, at + this.width);
  }

  /** Moves the window so that `time` falls into it; returns the bucket to add to (or -1 if too old). */
  advance(v: Float64Array, at: number, time: number): number {
    const b = this.bucket(time);
    const h = v[at] as number;
    if (b > h) {
      const gap = Math.min(b - h, this.slots);
      const fields = this.fields;
      for (let g = 1; g <= gap; g++) {
        const from = at + 1 + ((h + g) % this.slots) * fields;
        for (let i = from; i < from + fields; i++) v[i] = 0;
      }
      v[at] = b;
      return b;
    }
    if (b <= h - this.slots) return -1;
    return b;
  }

  add(v: Float64Array, at: number, bucket: number, field: number, amount: number): void {
    if (bucket < 0) return;
    const i = at + 1 + (bucket % this.slots) * this.fields + field;
    v[i] = (v[i] as number) + amount;
  }

  sum(v: Float64Array, at: number, field: number): number {
    let s = 0;
    for (let slot = 0; slot < this.slots; slot++) s += v[at + 1 + slot * this.fields + field] as number;
    return s;
  }

  /** Start of the window in ms. */
  start(v: Float64Array, at: number): number {
    return ((v[at] as number) - this.slots + 1) * this.bucketMs;
  }

  /** The window as checkpoints store it (`BucketWindow`). */
  toJson(v: Float64Array, at: number): { h: number; v: number[] } {
    return { h: v[at] as number, v: Array.from(v.subarray(at + 1, at + this.width)) };
  }

  /** A checkpointed `BucketWindow` into the row (missing or non-numeric counters read as 0). */
  fromJson(v: Float64Array, at: number, w: unknown): void {
    const o = (typeof w === 'object' && w !== null ? w : {}) as { h?: unknown; v?: unknown };
    v[at] = typeof o.h === 'number' ? o.h : 0;
    const counters = Array.isArray(o.v) ? (o.v as unknown[]) : [];
    for (let i = 0; i < this.width - 1; i++) {
      const x = counters[i];
      v[at + 1 + i] = typeof x === 'number' ? x : 0;
    }
  }
}
