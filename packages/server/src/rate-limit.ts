/**
 * Fixed-window counters in memory, bounded in size (oldest keys evicted first), for login throttling on one
 * node. `hit` counts an attempt; `blocked` says whether the key has used up its window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  private current(key: string): { start: number; count: number } | undefined {
    const w = this.windows.get(key);
    if (w === undefined) return undefined;
    if (this.now() - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  /** Seconds until the key may try again, or 0 when it is not blocked. */
  retryAfter(key: string): number {
    const w = this.current(key);
    if (w === undefined || w.count < this.limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const w = this.current(key);
    if (w !== undefined) {
      w.count += 1;
      return;
    }
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done !== true) this.windows.delete(oldest.value);
    }
    this.windows.set(key, { start: this.now(), count: 1 });
  }

  reset(key: string): void {
    this.windows.delete(key);
  }
}
