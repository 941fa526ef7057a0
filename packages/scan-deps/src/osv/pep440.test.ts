import * as reference from '@renovatebot/pep440';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { comparePep440, parsePep440 } from './pep440.js';

function cmp(a: string, b: string): number | undefined {
  const x = parsePep440(a);
  const y = parsePep440(b);
  return x === undefined || y === undefined ? undefined : comparePep440(x, y);
}

describe('PEP 440 versions', () => {
  it('orders the PEP example sequence (dev < pre < final < post, epochs last)', () => {
    const ordered = [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
      '1!0.1',
    ];
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(cmp(ordered[i] ?? '', ordered[i + 1] ?? ''), `${ordered[i]} < ${ordered[i + 1]}`).toBe(-1);
      expect(cmp(ordered[i + 1] ?? '', ordered[i] ?? '')).toBe(1);
    }
  });
  it('normalises spellings and trailing zeros', () => {
    expect(cmp('1.0', '1.0.0')).toBe(0);
    expect(cmp('v1.0', '1')).toBe(0);
    expect(cmp('1.0-alpha.1', '1.0a1')).toBe(0);
    expect(cmp('1.0c1', '1.0rc1')).toBe(0);
    expect(cmp('1.0-1', '1.0.post1')).toBe(0);
    expect(cmp('1.0.rev', '1.0.post0')).toBe(0);
    expect(cmp('1.0.DEV', '1.0.dev0')).toBe(0);
    expect(cmp('01.002', '1.2')).toBe(0);
    expect(cmp('1.0+ABC', '1.0+abc')).toBe(0);
    expect(cmp('1.0+1_2', '1.0+1.2')).toBe(0);
  });
  it('compares numbers of any length exactly', () => {
    expect(cmp('1.99999999999999999999', '1.99999999999999999998')).toBe(1);
    expect(cmp('20230101', '9')).toBe(1);
  });
  it('rejects what the PEP grammar rejects', () => {
    for (const bad of [
      '',
      'a',
      '1.',
      '.1',
      '1..2',
      '1.0-',
      '1.0+',
      '1.0+a..b',
      ' 1.0',
      '1.0 ',
      '1.0!',
      '1.0.x',
      'latest',
    ])
      expect(parsePep440(bad), bad).toBeUndefined();
    expect(parsePep440('9'.repeat(300))).toBeUndefined();
  });
  it('agrees with an independent implementation on random versions (seeded)', () => {
    const random = seededRandom(440);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const n = (): string => String(Math.floor(random() * 12));
    const sep = (): string => pick(['', '.', '-', '_']);
    const version = (): string => {
      let v = random() < 0.1 ? `${n()}!` : '';
      v += Array.from({ length: 1 + Math.floor(random() * 4) }, n).join('.');
      if (random() < 0.3)
        v += `${sep()}${pick(['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview'])}${random() < 0.8 ? n() : ''}`;
      if (random() < 0.25)
        v += random() < 0.3 ? `-${n()}` : `${sep()}${pick(['post', 'rev', 'r'])}${random() < 0.8 ? n() : ''}`;
      if (random() < 0.25) v += `${sep()}dev${random() < 0.8 ? n() : ''}`;
      if (random() < 0.15)
        v += `+${Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.5 ? n() : pick(['abc', 'ubuntu', 'cu118', 'z']))).join(pick(['.', '-', '_']))}`;
      if (random() < 0.05) v = pick(['V', 'v']) + v;
      if (random() < 0.05) v = v.toUpperCase();
      if (random() < 0.03) v += pick(['.', '+', '!', 'x', ' ']);
      return v;
    };
    for (let i = 0; i < 3000; i++) {
      const a = version();
      const b = random() < 0.2 ? a.replace(/\.0$/, '') : version();
      expect(parsePep440(a) !== undefined, a).toBe(reference.valid(a) !== null);
      if (reference.valid(a) === null || reference.valid(b) === null) continue;
      expect(cmp(a, b), `${a} vs ${b}`).toBe(Math.sign(reference.compare(a, b)));
    }
  });
});
