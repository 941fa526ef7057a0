/** Label text ↔ small integer, in order of first appearance (at most 65534 labels). */
export class LabelIndex {
  readonly names: string[] = [];
  private readonly map = new Map<string, number>();
  indexOf(label: string | undefined): number {
    if (label === undefined) return 0xffff;
    let i = this.map.get(label);
    if (i === undefined) {
      if (this.names.length >= 0xfffe) return 0xffff;
      i = this.names.length;
      this.names.push(label);
      this.map.set(label, i);
    }
    return i;
  }
  get(label: string): number | undefined {
    return this.map.get(label);
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Median and median absolute deviation. */
export function robustStats(values: readonly number[]): { n: number; median: number; mad: number } {
  const m = median(values);
  return { n: values.length, median: m, mad: median(values.map((v) => Math.abs(v - m))) };
}
