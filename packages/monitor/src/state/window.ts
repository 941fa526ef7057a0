/**
 * A sliding event-time window as a ring of buckets, each holding a few counters — constant memory per key
 * (slots × fields numbers), plain JSON so it can be checkpointed.
 */
export interface BucketWindow {
  /** Absolute index of the newest bucket. */
  h: number;
  v: number[];
}

export class WindowShape {
  readonly bucketMs: number;
  constructor(
    windowSeconds: number,
    readonly slots: number,
    readonly fields: number,
  ) {
    this.bucketMs = Math.max(1, Math.floor((windowSeconds * 1000) / slots));
  }

  create(time: number): BucketWindow {
    return { h: this.bucket(time), v: new Array<number>(this.slots * this.fields).fill(0) };
  }

  bucket(time: number): number {
    return Math.floor(time / this.bucketMs);
  }

  /** Moves the window so that `time` falls into it; returns the bucket index to add to (or -1 if too old). */
  advance(w: BucketWindow, time: number): number {
    const b = this.bucket(time);
    if (b > w.h) {
      const gap = Math.min(b - w.h, this.slots);
      for (let g = 1; g <= gap; g++) {
        const slot = (w.h + g) % this.slots;
        w.v.fill(0, slot * this.fields, slot * this.fields + this.fields);
      }
      w.h = b;
    }
    if (b <= w.h - this.slots) return -1;
    return b;
  }

  add(w: BucketWindow, bucket: number, field: number, amount: number): void {
    if (bucket < 0) return;
    const i = (bucket % this.slots) * this.fields + field;
    w.v[i] = (w.v[i] ?? 0) + amount;
  }

  sum(w: BucketWindow, field: number): number {
    let s = 0;
    for (let slot = 0; slot < this.slots; slot++) s += w.v[slot * this.fields + field] ?? 0;
    return s;
  }

  /** Start of the window in ms. */
  start(w: BucketWindow): number {
    return (w.h - this.slots + 1) * this.bucketMs;
  }
}
