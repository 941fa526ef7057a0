import { describe, expect, it } from 'vitest';
import { pushLine } from './detector.js';

/** The evidence ring as it was first written: shift the oldest out, push the newest. */
function reference(lines: number[], line: number, max: number): void {
  while (lines.length >= max) lines.shift();
  lines.push(line);
}

describe('pushLine', () => {
  it('keeps the same last `max` lines as shift/push, from any start (restored checkpoints too)', () => {
    for (const start of [0, 5, 18, 19, 20, 21, 45])
      for (const max of [1, 2, 3, 20]) {
        let ring = Array.from({ length: start }, (_, i) => i);
        const ref = [...ring];
        for (let k = 100; k < 160; k++) {
          ring = pushLine(ring, k, max);
          reference(ref, k, max);
          expect(ring).toEqual(ref);
        }
      }
  });
});
