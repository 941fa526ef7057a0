import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast.js';

const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

/** Every rule of styles.css that sets both a background and a text colour, as [selector, bg, fg]. */
function colourPairs(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const m of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const body = m[2] ?? '';
    const bg = /(?:^|;|\s)background:\s*(#[0-9a-f]{6})\s*;/i.exec(body)?.[1];
    const fg = /(?:^|;|\s)color:\s*(#[0-9a-f]{6})\s*;/i.exec(body)?.[1];
    if (bg !== undefined && fg !== undefined) out.push([(m[1] ?? '').trim(), bg, fg]);
  }
  return out;
}

describe('colour contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/#rrggbb/);
  });

  it('keeps text on every coloured background of the app at 4.5:1 or more', () => {
    const pairs = colourPairs();
    // The heat map levels, coverage buckets and statuses are all among them.
    for (const cls of [
      '.lvl-critical',
      '.lvl-high',
      '.lvl-medium',
      '.lvl-low',
      '.cov-0',
      '.cov-4',
      '.st-implemented',
    ]) {
      expect(
        pairs.some(([sel]) => sel.includes(cls)),
        cls,
      ).toBe(true);
    }
    for (const [selector, bg, fg] of pairs) {
      expect(contrastRatio(bg, fg), `${selector}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
