/**
 * A bounded map with approximate least-recently-used eviction (two generations, as in "hashlru"): reads of
 * recent keys cost one Map lookup, and when the young generation is full the old one is dropped whole. The
 * keyed per-principal state of every detector lives in one of these, so memory stays bounded (at most
 * `maxEntries` keys) however many principals a log names.
 */
export class LruMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;
  evictions = 0;

  constructor(
    readonly maxEntries: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    this.half = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.promote(key, aged);
    }
    return aged;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  set(key: K, value: V): void {
    if (this.young.has(key)) {
      this.young.set(key, value);
      return;
    }
    this.old.delete(key);
    this.promote(key, value);
  }

  private promote(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.half) {
      this.evictions += this.old.size;
      if (this.onEvict) for (const [k, v] of this.old) this.onEvict(k, v);
      this.old = this.young;
      this.young = new Map();
    }
  }

  getOrCreate(key: K, create: () => V): V {
    const found = this.get(key);
    if (found !== undefined) return found;
    const value = create();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    const a = this.young.delete(key);
    const b = this.old.delete(key);
    return a || b;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** Oldest generation first. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.old.entries();
    yield* this.young.entries();
  }

  *values(): IterableIterator<V> {
    yield* this.old.values();
    yield* this.young.values();
  }
}

/** Rough heap bytes of a JSON-like value: for reporting state size, not for accounting to the byte. */
export function estimateBytes(value: unknown, depth = 0): number {
  if (depth > 6) return 8;
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return 8;
    case 'string':
      return 16 + value.length * 2;
    case 'object': {
      if (value === null) return 8;
      if (ArrayBuffer.isView(value)) return 32 + value.byteLength;
      if (Array.isArray(value)) {
        let n = 16;
        for (const v of value) n += 8 + (typeof v === 'number' ? 0 : estimateBytes(v, depth + 1));
        return n;
      }
      let n = 32;
      for (const [k, v] of Object.entries(value)) n += 16 + k.length + estimateBytes(v, depth + 1);
      return n;
    }
    default:
      return 8;
  }
}
