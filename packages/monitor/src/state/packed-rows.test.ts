import { describe, expect, it } from 'vitest';
import { Rng } from '../stats/rng.js';
import { EVIDENCE_LINES, PackedRows, PackedWindow } from './packed-rows.js';
import { WindowShape } from './window.js';

describe('packed rows', () => {
  it('keeps the last lines oldest first, as shift/push would, and restores them from a checkpoint', () => {
    const rows = new PackedRows(100, 1);
    const id = rows.create('p');
    const ref: number[] = [];
    for (let k = 1; k <= 47; k++) {
      rows.pushLine(id, k);
      ref.push(k);
      if (ref.length > EVIDENCE_LINES) ref.shift();
      expect(rows.linesOf(id)).toEqual(ref);
    }
    const other = rows.create('q');
    rows.setLines(other, [1, 'x', ...Array.from({ length: 30 }, (_, i) => 100 + i)]);
    expect(rows.linesOf(other)).toEqual(Array.from({ length: 20 }, (_, i) => 110 + i));
    rows.pushLine(other, 7);
    expect(rows.linesOf(other)).toEqual([...Array.from({ length: 19 }, (_, i) => 111 + i), 7]);
  });

  it('evicts as the LruMap does and hands the freed row, zeroed, to the next key', () => {
    const rows = new PackedRows(4, 3);
    const ids = ['a', 'b', 'c', 'd', 'e'].map((k) => {
      const id = rows.create(k);
      rows.values.fill(9, id * 3, id * 3 + 3);
      rows.pushLine(id, 1);
      return id;
    });
    // two generations of two: creating c and e each dropped the older generation
    expect(rows.get('a')).toBeUndefined();
    expect(rows.get('e')).toBe(ids[4]);
    expect(rows.size).toBeLessThanOrEqual(4);
    const reused = rows.create('f');
    expect(ids.slice(0, 4)).toContain(reused);
    expect(Array.from(rows.values.subarray(reused * 3, reused * 3 + 3))).toEqual([0, 0, 0]);
    expect(rows.linesOf(reused)).toEqual([]);
  });

  it('grows without losing rows', () => {
    const rows = new PackedRows(10_000, 2);
    for (let i = 0; i < 1000; i++) {
      const id = rows.create(`k${String(i)}`);
      rows.values[id * 2] = i;
      rows.pushLine(id, i);
    }
    for (let i = 0; i < 1000; i++) {
      const id = rows.get(`k${String(i)}`) ?? -1;
      expect([rows.values[id * 2], rows.linesOf(id)]).toEqual([i, [i]]);
    }
  });

  it('a packed window computes what WindowShape computes, bit for bit, and checkpoints as a BucketWindow', () => {
    const rng = new Rng(3);
    for (const [seconds, slots, fields] of [
      [60, 6, 3],
      [600, 10, 4],
      [7, 3, 1],
    ] as const) {
      const shape = new WindowShape(seconds, slots, fields);
      const packed = new PackedWindow(seconds, slots, fields);
      const v = new Float64Array(5 + packed.width);
      const at = 5;
      let time = 1_767_600_000_000;
      const w = shape.create(time);
      packed.init(v, at, time);
      for (let i = 0; i < 3000; i++) {
        time += rng.chance(0.1) ? -rng.int(seconds * 2000) : rng.int(seconds * 300);
        const b = shape.advance(w, time);
        expect(packed.advance(v, at, time)).toBe(b);
        const field = rng.int(fields);
        const amount = rng.chance(0.5) ? rng.int(5000) : rng.next() * 10;
        shape.add(w, b, field, amount);
        packed.add(v, at, b, field, amount);
        for (let f = 0; f < fields; f++) expect(Object.is(packed.sum(v, at, f), shape.sum(w, f))).toBe(true);
        expect(packed.start(v, at)).toBe(shape.start(w));
      }
      expect(packed.toJson(v, at)).toEqual(w);
      const copy = new Float64Array(packed.width);
      packed.fromJson(copy, 0, JSON.parse(JSON.stringify(w)) as unknown);
      expect(packed.toJson(copy, 0)).toEqual(w);
    }
  });
});
