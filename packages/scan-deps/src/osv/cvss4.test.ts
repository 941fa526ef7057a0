import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { OsvIndexBuilder, recordSeverity } from './build-index.js';
import { cvss4Score } from './cvss4.js';

const BASE = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('CVSS v4.0 score (MacroVector method)', () => {
  // Expected values worked by hand from the specification's method (MacroVector score from the lookup table,
  // minus the mean proportional distance to the next lower MacroVectors); the working is noted per case.
  const cases: Array<[string, number, string]> = [
    // MacroVector 000200 = 9.3; at the top of its MacroVector (all distances 0).
    [BASE, 9.3, 'MacroVector 000200 at its highest-severity vector'],
    // 002201 = 6.9, distances 0.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9, 'MacroVector 002201'],
    // 000100 = 10.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'MacroVector 000100'],
    // 100200 = 8.7; EQ1 distance 0.2 of depth 0.4 × gap 1.7 (to 200200 = 7.0) = 0.85; mean over 4 EQs = 0.2125 → 8.4875.
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'EQ1 interpolation'],
    // 001200 = 8.8; EQ3/EQ6 distance 0.3 of depth 0.8 × gap 0.8 (to 001201 = 8.0) = 0.3; mean /4 = 0.075 → 8.725.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7, 'EQ3/EQ6 interpolation'],
    // 102201 = 5.3; top vector AV:N/PR:N/UI:P, distances 0 → 5.3.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.3, 'UI:P at the top of 102201'],
    // 102201 = 5.3; UI:A is 0.1 below UI:P: 0.1/0.4 × gap 2.9 (to 202201 = 2.4) = 0.725; mean over 3 EQs → 5.058.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1, 'UI:A interpolation'],
    // Threat metric E:P selects 000210 = 8.9.
    [`${BASE}/E:P`, 8.9, 'threat metric'],
    // Modified subsequent-system integrity Safety (MSI:S) selects EQ4 = 0 (000000 = 10); gap to 000100 (10) is 0.
    [`${BASE}/MSI:S`, 10, 'environmental MSI:S'],
    // Supplemental metrics do not change the score.
    [`${BASE}/S:P/AU:Y/R:A/V:C/RE:H/U:Red`, 9.3, 'supplemental metrics'],
    // No impact on either system: 0.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'no impact'],
  ];
  for (const [vector, score, why] of cases) {
    it(`${vector} = ${String(score)} (${why})`, () => {
      expect(cvss4Score(vector)).toEqual({ score });
    });
  }

  it('fails closed on malformed vectors, with a message naming the problem', () => {
    const bad: Array<[string, RegExp]> = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /CVSS:4\.0/],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', /missing base metric\(s\) SA/],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/E:A', /appears twice/],
      ['CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /out of order|missing/],
      ['CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /AV:X is not a valid value/],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', /SI:S is not a valid value/],
      [`${BASE}/ZZ:1`, /unknown metric "ZZ"/],
      [`${BASE}/`, /unknown metric ""/],
      ['', /CVSS:4\.0/],
      [`${BASE}/U:${'x'.repeat(600)}`, /too long/],
    ];
    for (const [vector, message] of bad) {
      const result = cvss4Score(vector);
      expect(result, vector).toHaveProperty('error');
      expect('error' in result ? result.error : '', vector).toMatch(message);
    }
  });

  it('scores every mutation in [0, 10] or rejects it (seeded fuzz)', () => {
    const random = seededRandom(4040);
    const values = ['N', 'A', 'L', 'P', 'H', 'S', 'X', 'U', 'M', 'Y', ''];
    const keys = [
      'AV',
      'AC',
      'AT',
      'PR',
      'UI',
      'VC',
      'VI',
      'VA',
      'SC',
      'SI',
      'SA',
      'E',
      'CR',
      'MAV',
      'MSI',
      'MSA',
      'Q',
    ];
    let scored = 0;
    for (let i = 0; i < 3000; i++) {
      const parts = BASE.split('/');
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = 1 + Math.floor(random() * (parts.length - 1));
        const r = random();
        const key = keys[Math.floor(random() * keys.length)] ?? 'AV';
        const value = values[Math.floor(random() * values.length)] ?? 'N';
        if (r < 0.6) parts[at] = `${(parts[at] ?? 'AV:N').split(':')[0] ?? 'AV'}:${value}`;
        else if (r < 0.8) parts.push(`${key}:${value}`);
        else parts.splice(at, 1);
      }
      const result = cvss4Score(parts.join('/'));
      if ('score' in result) {
        scored++;
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(10);
        expect(Math.round(result.score * 10) / 10).toBe(result.score);
      } else {
        expect(result.error.length).toBeGreaterThan(0);
      }
    }
    expect(scored).toBeGreaterThan(150);
  });

  it('every base vector scores: exhaustive over the 11 base metrics, monotone in attack vector', () => {
    const av = ['N', 'A', 'L', 'P'];
    const choices: Array<[string, string[]]> = [
      ['AC', ['L', 'H']],
      ['AT', ['N', 'P']],
      ['PR', ['N', 'L', 'H']],
      ['UI', ['N', 'P', 'A']],
      ['VC', ['H', 'L', 'N']],
      ['VI', ['H', 'L', 'N']],
      ['VA', ['H', 'L', 'N']],
      ['SC', ['H', 'L', 'N']],
      ['SI', ['H', 'L', 'N']],
      ['SA', ['H', 'L', 'N']],
    ];
    let count = 0;
    const violations: string[] = [];
    const walk = (i: number, rest: string): void => {
      if (i === choices.length) {
        const scores = av.map((v) => {
          const r = cvss4Score(`CVSS:4.0/AV:${v}${rest}`);
          if (!('score' in r)) throw new Error(`${rest}: ${r.error}`);
          return r.score;
        });
        count += 4;
        // A physical-only attack vector never scores above the network one.
        if ((scores[3] ?? 0) > (scores[0] ?? 10)) violations.push(rest);
        return;
      }
      const [key, vals] = choices[i] ?? ['', []];
      for (const v of vals) walk(i + 1, `${rest}/${key}:${v}`);
    };
    walk(0, '');
    expect(violations).toEqual([]);
    expect(count).toBe(4 * 2 * 2 * 3 * 3 * 3 ** 6);
  });

  it('record severity: the highest of the v3/v4 scores; malformed vectors are reported, never scored low', () => {
    const record = (severity: Array<{ type: string; score: string }>, ghsa?: string) => ({
      id: 'GHSA-test-0000-0000',
      severity,
      ...(ghsa !== undefined ? { database_specific: { severity: ghsa } } : {}),
    });
    expect(recordSeverity(record([{ type: 'CVSS_V4', score: BASE }]))).toMatchObject({
      severity: 'critical',
      score: 9.3,
      severitySource: 'cvss4',
      vector: BASE,
    });
    expect(
      recordSeverity(
        record([
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N' },
          { type: 'CVSS_V4', score: BASE },
        ]),
      ),
    ).toMatchObject({ score: 9.3, severitySource: 'cvss4' });
    const problems: string[] = [];
    expect(
      recordSeverity(record([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }], 'HIGH'), (p) =>
        problems.push(p.message),
      ),
    ).toMatchObject({ severity: 'high', severitySource: 'ghsa' });
    expect(recordSeverity(record([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }]))).toMatchObject({
      severity: 'medium',
      severitySource: 'default',
    });
    expect(problems).toEqual(['missing base metric(s) AC, AT, PR, UI, VC, VI, VA, SC, SI, SA']);
    const builder = new OsvIndexBuilder();
    builder.add(
      {
        ...record([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:Q' }]),
        affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, versions: ['1.0'] }],
      },
      'x.json',
    );
    expect(builder.badVectorCount).toBe(1);
    expect(builder.firstBadVector?.message).toMatch(/AC:Q is not a valid value/);
  });
});
