import { seededRandom } from '@atlasguard/core';

export { seededRandom };

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
