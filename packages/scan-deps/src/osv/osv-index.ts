import type { AffectedEntry, IndexedVuln, OsvIndexData } from './index-types.js';

export type IndexMeta = Pick<
  OsvIndexData,
  'digest' | 'dbTime' | 'source' | 'recordCount' | 'withdrawnCount' | 'invalidCount'
>;

function metaOf(x: IndexMeta): IndexMeta {
  return {
    digest: x.digest,
    dbTime: x.dbTime,
    source: x.source,
    recordCount: x.recordCount,
    withdrawnCount: x.withdrawnCount,
    invalidCount: x.invalidCount,
  };
}

export interface IndexHit {
  entry: AffectedEntry;
  vuln: IndexedVuln;
}

/** Lookups over OSV data: which records affect a package key (`PyPI:<name>`, `npm:<name>`). */
export interface OsvIndex {
  readonly meta: IndexMeta;
  hasPackage(key: string): boolean;
  lookup(key: string): readonly IndexHit[];
  packageKeys(): string[];
}

/** An index just built from the records. */
export class MemoryOsvIndex implements OsvIndex {
  readonly meta: IndexMeta;
  private readonly data: OsvIndexData;

  constructor(data: OsvIndexData) {
    this.data = data;
    this.meta = metaOf(data);
  }

  hasPackage(key: string): boolean {
    return Object.hasOwn(this.data.packages, key);
  }

  lookup(key: string): readonly IndexHit[] {
    if (!this.hasPackage(key)) return [];
    const out: IndexHit[] = [];
    for (const entry of this.data.packages[key] ?? []) {
      const vuln = this.data.vulns[entry.v];
      if (vuln !== undefined) out.push({ entry, vuln });
    }
    return out;
  }

  packageKeys(): string[] {
    return Object.keys(this.data.packages);
  }
}

// 3: range events presorted at build time; a block's records are parsed only when a hit needs them.
const CACHE_FORMAT = 3;

interface CacheHeader extends IndexMeta {
  format: number;
  /** Package key → byte offsets in the body: [entries line start, records line start, records line end). */
  keys: Record<string, [number, number, number]>;
}

/** The first line of a package block: how many records the second line holds, and the affected entries. */
interface CacheEntries {
  n: number;
  e: AffectedEntry[];
}

/**
 * Cache file: one JSON header line (metadata and byte offsets per package key), then two JSON lines per
 * package key: its affected entries, and the records they belong to. A run parses the header and, for each
 * package it looks up, the entries line; the records line only when an entry matches. A warm start parses
 * neither the whole database nor the records of packages that are not affected.
 */
export function serializeIndex(data: OsvIndexData): Buffer {
  const blocks: Buffer[] = [];
  const keys: Record<string, [number, number, number]> = {};
  const newline = Buffer.from('\n');
  let offset = 0;
  for (const [key, entries] of Object.entries(data.packages)) {
    const local = new Map<number, number>();
    const vulns: IndexedVuln[] = [];
    const e: AffectedEntry[] = [];
    for (const entry of entries) {
      let v = local.get(entry.v);
      if (v === undefined) {
        const vuln = data.vulns[entry.v];
        if (vuln === undefined) continue;
        v = vulns.length;
        local.set(entry.v, v);
        vulns.push(vuln);
      }
      e.push({ ...entry, v });
    }
    const head = Buffer.from(JSON.stringify({ n: vulns.length, e } satisfies CacheEntries), 'utf8');
    const tail = Buffer.from(JSON.stringify(vulns), 'utf8');
    const mid = offset + head.length + 1;
    keys[key] = [offset, mid, mid + tail.length];
    blocks.push(head, newline, tail, newline);
    offset = mid + tail.length + 1;
  }
  const header: CacheHeader = { format: CACHE_FORMAT, ...metaOf(data), keys };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...blocks]);
}

/** An index read lazily from its cache file. */
export class CachedOsvIndex implements OsvIndex {
  readonly meta: IndexMeta;
  private readonly header: CacheHeader;
  private readonly body: Buffer;
  private readonly parsed = new Map<string, IndexHit[]>();

  private constructor(header: CacheHeader, body: Buffer) {
    this.header = header;
    this.body = body;
    this.meta = metaOf(header);
  }

  /** Undefined when the file is not a cache of this digest (then the caller rebuilds). */
  static parse(file: Buffer, digest: string): CachedOsvIndex | undefined {
    const newline = file.indexOf(0x0a);
    if (newline === -1) return undefined;
    let header: CacheHeader;
    try {
      header = JSON.parse(file.toString('utf8', 0, newline)) as CacheHeader;
    } catch {
      return undefined;
    }
    if (header.format !== CACHE_FORMAT || header.digest !== digest || typeof header.keys !== 'object')
      return undefined;
    return new CachedOsvIndex(header, file.subarray(newline + 1));
  }

  hasPackage(key: string): boolean {
    return Object.hasOwn(this.header.keys, key);
  }

  lookup(key: string): readonly IndexHit[] {
    const cached = this.parsed.get(key);
    if (cached !== undefined) return cached;
    const range = this.hasPackage(key) ? this.header.keys[key] : undefined;
    if (range === undefined) return [];
    const [start, mid, end] = range;
    const body = this.body;
    const block = JSON.parse(body.toString('utf8', start, mid - 1)) as CacheEntries;
    let records: IndexedVuln[] | undefined;
    const recordsOf = (): IndexedVuln[] =>
      (records ??= JSON.parse(body.toString('utf8', mid, end)) as IndexedVuln[]);
    const hits: IndexHit[] = [];
    for (const entry of block.e) {
      if (!Number.isInteger(entry.v) || entry.v < 0 || entry.v >= block.n) continue;
      hits.push({
        entry,
        get vuln(): IndexedVuln {
          const vuln = recordsOf()[entry.v];
          if (vuln === undefined) throw new Error(`the cached OSV index is damaged at ${key}`);
          return vuln;
        },
      });
    }
    this.parsed.set(key, hits);
    return hits;
  }

  packageKeys(): string[] {
    return Object.keys(this.header.keys);
  }
}
