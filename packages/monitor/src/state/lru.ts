/**
 * A bounded map with least-recently-used eviction: the keyed per-principal state of every detector lives in
 * one of these, so memory stays bounded however many principals a log names.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  evictions = 0;

  constructor(
    readonly maxEntries: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      const evicted = this.map.get(oldest.value);
      this.map.delete(oldest.value);
      this.evictions++;
      if (evicted !== undefined) this.onEvict?.(oldest.value, evicted);
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
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  values(): IterableIterator<V> {
    return this.map.values();
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
