/** Binary min-heap on a numeric key. */
export class MinHeap<T> {
  private readonly items: { k: number; v: T }[] = [];
  get size(): number {
    return this.items.length;
  }
  push(k: number, v: T): void {
    const a = this.items;
    a.push({ k, v });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pi = a[p];
      const ci = a[i];
      if (!pi || !ci || pi.k <= ci.k) break;
      a[p] = ci;
      a[i] = pi;
      i = p;
    }
  }
  pop(): { k: number; v: T } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && (a[l]?.k ?? 0) < (a[m]?.k ?? 0)) m = l;
        if (r < a.length && (a[r]?.k ?? 0) < (a[m]?.k ?? 0)) m = r;
        if (m === i) break;
        const tmp = a[i];
        const am = a[m];
        if (!tmp || !am) break;
        a[i] = am;
        a[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}
