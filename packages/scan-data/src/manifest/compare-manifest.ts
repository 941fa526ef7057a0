import type { ManifestStatement } from './manifest-schema.js';

export type RecordChange = 'changed' | 'injected' | 'removed' | 'duplicate-id';

export interface ManifestDiff {
  changed: number[];
  injected: number[];
  duplicateIds: number[];
  /** Manifest entries (0-based index in the manifest) with no matching row in the batch. */
  removed: Array<{ index: number; id?: string }>;
  matched: number;
}

/**
 * Compares rows of a batch with a trusted manifest, one row at a time (split-view detection).
 * With ids: same id + other hash = changed, unknown id = injected, id seen twice = duplicate.
 * Without ids: rows are compared as a multiset of hashes (changed rows show as injected + removed).
 */
export class ManifestComparer {
  private readonly byId = new Map<string, { hash: string; index: number; seen: boolean }>();
  private readonly byHash = new Map<string, number[]>();
  readonly diff: ManifestDiff = { changed: [], injected: [], duplicateIds: [], removed: [], matched: 0 };

  constructor(private readonly statement: ManifestStatement) {
    statement.predicate.records.forEach((entry, index) => {
      const [hash, id] = entry;
      if (id !== undefined && !this.byId.has(id)) this.byId.set(id, { hash, index, seen: false });
      else {
        const list = this.byHash.get(hash);
        if (list) list.push(index);
        else this.byHash.set(hash, [index]);
      }
    });
  }

  /** Records one batch row; returns what is wrong with it, if anything. */
  add(row: number, hash: string, id: string | undefined): RecordChange | undefined {
    if (id !== undefined && this.byId.size > 0) {
      const known = this.byId.get(id);
      if (known) {
        if (known.seen) {
          this.diff.duplicateIds.push(row);
          return 'duplicate-id';
        }
        known.seen = true;
        if (known.hash !== hash) {
          this.diff.changed.push(row);
          return 'changed';
        }
        this.diff.matched++;
        return undefined;
      }
    }
    const list = this.byHash.get(hash);
    if (list && list.length > 0) {
      list.pop();
      this.diff.matched++;
      return undefined;
    }
    this.diff.injected.push(row);
    return 'injected';
  }

  /** Call once after the last row. */
  finish(): ManifestDiff {
    const records = this.statement.predicate.records;
    for (const [id, v] of this.byId) if (!v.seen) this.diff.removed.push({ index: v.index, id });
    for (const list of this.byHash.values()) {
      for (const index of list) {
        const id = records[index]?.[1];
        this.diff.removed.push(id === undefined ? { index } : { index, id });
      }
    }
    this.diff.removed.sort((a, b) => a.index - b.index);
    return this.diff;
  }
}
