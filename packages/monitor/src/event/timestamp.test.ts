import { describe, expect, it } from 'vitest';
import { Rng } from '../stats/rng.js';
import { parseTimestamp, parseTimestampInto } from './timestamp.js';

const pad = (v: number, w: number): string => String(v).padStart(w, '0');

function randomTimestamp(rng: Rng): string {
  const y = rng.pick([1969, 1970, 2000, 2024, 2026, 9999, 275760, 0]);
  const parts = [
    pad(y, 4),
    '-',
    pad(rng.int(14), 2),
    '-',
    pad(rng.int(33), 2),
    rng.pick(['T', 'T', 'T', ' ', 't']),
    pad(rng.int(26), 2),
    ':',
    pad(rng.int(61), 2),
    ':',
    pad(rng.int(61), 2),
    rng.pick(['.', '.', '']),
    rng.pick([pad(rng.int(1000), 3), pad(rng.int(10), 1), pad(rng.int(1e6), 6), '']),
    rng.pick(['Z', 'Z', 'Z', '+01:00', '', 'z']),
  ];
  let s = parts.join('');
  if (rng.chance(0.05)) s = s.replace(/\d/, rng.pick(['a', ' ', '-', '١']));
  if (rng.chance(0.03))
    s = rng.pick(['2026-01-05', 'Mon, 05 Jan 2026 09:00:00 GMT', '', 'now', '2026-02-29T00:00:00Z']);
  return s;
}

describe('parseTimestamp', () => {
  it('is Date.parse on 50,000 seeded near-ISO strings, valid and invalid', () => {
    const rng = new Rng(99);
    const out = new Float64Array(1);
    let fastShape = 0;
    for (let i = 0; i < 50_000; i++) {
      const s = randomTimestamp(rng);
      const got = parseTimestamp(s);
      const want = Date.parse(s);
      if (!Object.is(got, want))
        throw new Error(`${JSON.stringify(s)}: ${String(got)} ≠ Date.parse ${String(want)}`);
      out[0] = 12345;
      parseTimestampInto(s, out);
      if (!Object.is(out[0], want))
        throw new Error(
          `${JSON.stringify(s)}: parseTimestampInto ${String(out[0])} ≠ Date.parse ${String(want)}`,
        );
      if ((s.length === 24 || s.length === 20) && s.endsWith('Z') && !Number.isNaN(want)) fastShape++;
    }
    expect(fastShape).toBeGreaterThan(3_000);
  });

  it('reads the common forms', () => {
    expect(parseTimestamp('2026-01-05T08:00:00.074Z')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0, 74));
    expect(parseTimestamp('2026-01-05T08:00:00Z')).toBe(Date.UTC(2026, 0, 5, 8, 0, 0));
    expect(parseTimestamp('2026-02-30T08:00:00.000Z')).toBe(Date.parse('2026-02-30T08:00:00.000Z'));
    expect(parseTimestamp('2026-01-05T24:00:00Z')).toBe(Date.parse('2026-01-05T24:00:00Z'));
  });
});
