import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { inRange, matchEntry, presortRange } from './match.js';
import { PEP440_ORDER, SEMVER_ORDER } from './version-order.js';

describe('OSV range evaluation', () => {
  const range = (events: Array<Record<string, string>>) => ({ type: 'ECOSYSTEM' as const, events });
  it('introduced/fixed with PEP 440 ordering (pre-releases, post-releases, epochs)', () => {
    const r = range([{ introduced: '0' }, { fixed: '2.6.0' }]);
    expect(inRange('2.5.1', r, PEP440_ORDER)).toBe(true);
    expect(inRange('2.6.0rc1', r, PEP440_ORDER)).toBe(true);
    expect(inRange('2.6.0', r, PEP440_ORDER)).toBe(false);
    expect(inRange('2.6.0.post1', r, PEP440_ORDER)).toBe(false);
    expect(inRange('2.10.0', r, PEP440_ORDER)).toBe(false);
    expect(inRange('1!0.1', r, PEP440_ORDER)).toBe(false);
    expect(inRange('2.0.0.dev20221230', r, PEP440_ORDER)).toBe(true);
  });
  it('several introduced/fixed pairs, unsorted events', () => {
    const r = range([{ fixed: '1.5' }, { introduced: '2.0' }, { introduced: '1.0' }, { fixed: '2.3' }]);
    expect(
      ['0.9', '1.0', '1.4.9', '1.5', '1.9', '2.0', '2.2', '2.3'].map((v) => inRange(v, r, PEP440_ORDER)),
    ).toEqual([false, true, true, false, false, true, true, false]);
  });
  it('last_affected is inclusive, limit caps the range', () => {
    expect(inRange('1.2', range([{ introduced: '1.0' }, { last_affected: '1.2' }]), PEP440_ORDER)).toBe(true);
    expect(inRange('1.2.1', range([{ introduced: '1.0' }, { last_affected: '1.2' }]), PEP440_ORDER)).toBe(
      false,
    );
    expect(inRange('3.0', range([{ introduced: '0' }, { limit: '3.0' }]), PEP440_ORDER)).toBe(false);
    expect(inRange('2.9', range([{ introduced: '0' }, { limit: '3.0' }]), PEP440_ORDER)).toBe(true);
  });
  it('SemVer ordering for npm (numeric, not lexical)', () => {
    const r = { type: 'SEMVER' as const, events: [{ introduced: '0.8.1' }, { fixed: '1.6.0' }] };
    expect(inRange('1.5.1', r, SEMVER_ORDER)).toBe(true);
    expect(inRange('1.10.0', r, SEMVER_ORDER)).toBe(false);
    expect(inRange('1.6.0-beta.1', r, SEMVER_ORDER)).toBe(true);
    expect(inRange('0.8.0', r, SEMVER_ORDER)).toBe(false);
  });
  it('unparsable versions give "unknown", never "not affected"', () => {
    expect(
      inRange('not-a-version', range([{ introduced: '1.0' }, { fixed: '2.0' }]), PEP440_ORDER),
    ).toBeUndefined();
    const m = matchEntry('PyPI', 'weird_version!', {
      v: 0,
      ranges: [range([{ introduced: '1.0' }, { fixed: '2.0' }])],
    });
    expect(m).toMatchObject({ affected: false, uncertain: true });
  });
  it('explicit versions match by PEP 440 equality', () => {
    expect(matchEntry('PyPI', '2.9.1', { v: 0, versions: ['2.9.0', '2.9.1'] }).affected).toBe(true);
    expect(matchEntry('PyPI', '2.9.1.0', { v: 0, versions: ['2.9.1'] }).affected).toBe(true);
    expect(matchEntry('PyPI', '2.9.10', { v: 0, versions: ['2.9.1'] }).affected).toBe(false);
  });
  it('reports the smallest fixed version above the installed one', () => {
    const m = matchEntry('PyPI', '1.2', {
      v: 0,
      ranges: [range([{ introduced: '1.0' }, { fixed: '1.5' }, { introduced: '2.0' }, { fixed: '2.3' }])],
    });
    expect(m.fixes).toEqual(['1.5', '2.3']);
  });
  it('a presorted range gives the same verdict as the walk over unsorted events (seeded)', () => {
    const random = seededRandom(2026);
    const versions = [
      '0',
      '0.9',
      '1.0',
      '1.0rc1',
      '1.0.post1',
      '1.2',
      '1.5',
      '2.0',
      '2.0.dev1',
      '2.3',
      '3.0',
      '1!0.1',
    ];
    const pick = (): string => versions[Math.floor(random() * versions.length)] ?? '1.0';
    const kinds = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
    let sortedCount = 0;
    for (let i = 0; i < 2000; i++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const kind = kinds[Math.floor(random() * (random() < 0.1 ? 4 : 3))] ?? 'introduced';
        return { [kind]: kind === 'limit' && random() < 0.2 ? '*' : pick() };
      });
      const r = range(events);
      const pre = presortRange(r, PEP440_ORDER);
      if (pre.sorted === true) sortedCount++;
      for (const v of [...versions, '0.1', '2.1', '9', 'not-a-version']) {
        expect(inRange(v, pre, PEP440_ORDER), `${v} in ${JSON.stringify(events)}`).toBe(
          inRange(v, r, PEP440_ORDER),
        );
      }
    }
    expect(sortedCount).toBeGreaterThan(1500);
    const semverRange = presortRange(
      { type: 'SEMVER', events: [{ fixed: '1.10.0' }, { introduced: '1.2.0' }] },
      SEMVER_ORDER,
    );
    expect(semverRange.events).toEqual([{ introduced: '1.2.0' }, { fixed: '1.10.0' }]);
    expect(
      presortRange(range([{ introduced: 'junk!' }, { fixed: '2.0' }]), PEP440_ORDER).sorted,
    ).toBeUndefined();
  });
});
