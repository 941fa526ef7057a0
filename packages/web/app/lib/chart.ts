export interface Point {
  x: number;
  y: number;
}

/**
 * Scales values into a width × height box (SVG coordinates: y grows downwards, the largest value at the
 * top). `max` fixes the top of the scale (e.g. the highest possible score) so that charts compare.
 */
export function scalePoints(
  values: readonly number[],
  width: number,
  height: number,
  pad = 2,
  max?: number,
): Point[] {
  if (values.length === 0) return [];
  const top = Math.max(max ?? 0, ...values, 1e-9);
  const innerW = width - pad * 2;
  const innerH = height - pad * 2;
  const step = values.length === 1 ? 0 : innerW / (values.length - 1);
  return values.map((v, i) => ({
    x: round(values.length === 1 ? width / 2 : pad + i * step),
    y: round(pad + innerH - (Math.max(0, v) / top) * innerH),
  }));
}

/** The `points` attribute of an SVG polyline. */
export function polyline(points: readonly Point[]): string {
  return points.map((p) => `${String(p.x)},${String(p.y)}`).join(' ');
}

const round = (n: number): number => Math.round(n * 100) / 100;
