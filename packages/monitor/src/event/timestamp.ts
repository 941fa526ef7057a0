/**
 * `Date.parse` for event timestamps, with a fast path for the form nearly every log uses
 * (`YYYY-MM-DDTHH:MM:SS[.sss]Z`): digits are read in place and the day is looked up in a small cache of
 * `Date.parse` results, so the result is exactly `Date.parse`'s (timestamp.test.ts fuzzes the two against
 * each other). Anything else — offsets, 24:00, other precisions, non-ISO forms — goes to `Date.parse`.
 */
const dayCache = new Map<number, number>();
const MAX_DAYS = 4096;
/** The day of the previous timestamp: logs are in time order, so most lookups skip the map. */
let lastDayKey = -1;
let lastDay = 0;

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function number(text: string, at: number, width: number): number {
  let v = 0;
  for (let i = at; i < at + width; i++) {
    const d = digit(text, i);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Where `parseTimestamp` takes its result from. */
const RESULT = new Float64Array(1);

export function parseTimestamp(text: string): number {
  parseTimestampInto(text, RESULT);
  return RESULT[0] as number;
}

/**
 * `parseTimestamp`'s result written to `out[0]`: for the per-event path, where a double returned from a call
 * the compiler does not inline is a new heap number per event.
 */
export function parseTimestampInto(text: string, out: Float64Array): void {
  const n = text.length;
  if (
    (n === 24 || n === 20) &&
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(n - 1) === 90 && // Z
    (n === 20 || text.charCodeAt(19) === 46) // .
  ) {
    const y = number(text, 0, 4);
    const mo = number(text, 5, 2);
    const d = number(text, 8, 2);
    const h = number(text, 11, 2);
    const mi = number(text, 14, 2);
    const s = number(text, 17, 2);
    const ms = n === 24 ? number(text, 20, 3) : 0;
    if (
      y >= 0 &&
      mo >= 0 &&
      d >= 0 &&
      h >= 0 &&
      h <= 23 &&
      mi >= 0 &&
      mi <= 59 &&
      s >= 0 &&
      s <= 59 &&
      ms >= 0
    ) {
      const dayKey = y * 10_000 + mo * 100 + d;
      let day = dayKey === lastDayKey ? lastDay : dayCache.get(dayKey);
      if (day === undefined) {
        day = Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
        if (dayCache.size >= MAX_DAYS) dayCache.clear();
        dayCache.set(dayKey, day);
      }
      lastDayKey = dayKey;
      lastDay = day;
      out[0] = Number.isNaN(day) ? Date.parse(text) : day + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
      return;
    }
  }
  out[0] = Date.parse(text);
}
