/** Distinct keys remembered for near-duplicate grouping (beyond it, rows only join existing groups). */
export const ROW_GROUP_KEY_CAP = 4_000_000;

/**
 * Groups rows that share any of their keys (union-find over row numbers). Memory: one map entry per
 * distinct key (capped) and one 32-bit parent per row.
 */
export class RowGroups {
  private readonly first = new Map<number, number>();
  private parent = new Uint32Array(1024);
  private maxRow = -1;
  /** true once a key was not remembered because of the cap. */
  capped = false;

  private find(r: number): number {
    let x = r;
    while ((this.parent[x] ?? x) !== x) {
      const up = this.parent[x] ?? x;
      this.parent[x] = this.parent[up] ?? up;
      x = this.parent[x] ?? x;
    }
    return x;
  }

  add(row: number, keys: readonly number[]): void {
    if (row >= this.parent.length) {
      const grown = new Uint32Array(Math.max(row + 1, this.parent.length * 2));
      grown.set(this.parent);
      this.parent = grown;
    }
    for (let r = this.maxRow + 1; r <= row; r++) this.parent[r] = r;
    this.maxRow = Math.max(this.maxRow, row);
    for (const key of keys) {
      const other = this.first.get(key);
      if (other === undefined) {
        if (this.first.size < ROW_GROUP_KEY_CAP) this.first.set(key, row);
        else this.capped = true;
        continue;
      }
      const a = this.find(row);
      const b = this.find(other);
      if (a !== b) this.parent[Math.max(a, b)] = Math.min(a, b);
    }
  }

  /** Groups of ≥ 2 rows among the rows added (root → rows in order). */
  groups(rows: Iterable<number>): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const r of rows) {
      const root = this.find(r);
      const list = out.get(root);
      if (list) list.push(r);
      else out.set(root, [r]);
    }
    return out;
  }
}
