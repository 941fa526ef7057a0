import { describe, expect, it } from 'vitest';
import { polyline, scalePoints } from './chart.js';

describe('chart geometry', () => {
  it('puts the largest value at the top and zero at the bottom, evenly spaced', () => {
    const pts = scalePoints([0, 5, 10], 100, 50, 0);
    expect(pts).toEqual([
      { x: 0, y: 50 },
      { x: 50, y: 25 },
      { x: 100, y: 0 },
    ]);
    expect(polyline(pts)).toBe('0,50 50,25 100,0');
  });

  it('uses a fixed top when given, centres a single point, and handles no data', () => {
    expect(scalePoints([5], 100, 50, 0, 10)).toEqual([{ x: 50, y: 25 }]);
    expect(scalePoints([], 100, 50)).toEqual([]);
    expect(scalePoints([0, 0], 10, 10, 0)).toEqual([
      { x: 0, y: 10 },
      { x: 10, y: 10 },
    ]);
    expect(scalePoints([-3], 10, 10, 0)[0]?.y).toBe(10);
  });
});
