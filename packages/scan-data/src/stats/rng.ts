/** Small deterministic PRNG (mulberry32): the same seed gives the same profile on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixed-size uniform sample of a stream (Vitter's algorithm R) with a seeded generator. */
export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  private readonly random: () => number;
  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }
  add(item: T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.capacity) this.items[j] = item;
  }
}
