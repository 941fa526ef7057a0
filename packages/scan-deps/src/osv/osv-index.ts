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

const CACHE_FORMAT = 2;

interface CacheHeader extends IndexMeta {
  format: number;
  /** Package key → [start, end) byte range of its block in the body. */
  keys: Record<string, [number, number]>;
}

interface CacheBlock {
  e: AffectedEntry[];
  v: IndexedVuln[];
}

/**
 * Cache file: one JSON header line (metadata and a byte range per package key), then one JSON block per
 * package key holding its affected entries and the records they belong to. A run parses the header and
 * only the blocks of the packages it looks up, so a warm start does not parse the whole database.
 */
export function serializeIndex(data: OsvIndexData): Buffer {
  const blocks: Buffer[] = [];
  const keys: Record<string, [number, number]> = {};
  let offset = 0;
  for (const [key, entries] of Object.entries(data.packages)) {
    const local = new Map<number, number>();
    const vulns: IndexedVuln[] = [];
    const e = entries.map((entry) => {
      let v = local.get(entry.v);
      if (v === undefined) {
        v = vulns.length;
        local.set(entry.v, v);
        const vuln = data.vulns[entry.v];
        if (vuln !== undefined) vulns.push(vuln);
      }
      return { ...entry, v };
    });
    const block = Buffer.from(JSON.stringify({ e, v: vulns } satisfies CacheBlock), 'utf8');
    keys[key] = [offset, offset + block.length];
    blocks.push(block, Buffer.from('\n'));
    offset += block.length + 1;
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
    const block = JSON.parse(this.body.toString('utf8', range[0], range[1])) as CacheBlock;
    const hits: IndexHit[] = [];
    for (const entry of block.e) {
      const vuln = block.v[entry.v];
      if (vuln !== undefined) hits.push({ entry, vuln });
    }
    this.parsed.set(key, hits);
    return hits;
  }

  packageKeys(): string[] {
    return Object.keys(this.header.keys);
  }
}
