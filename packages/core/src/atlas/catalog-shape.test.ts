import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { isCatalogData } from './catalog-shape.js';

describe('isCatalogData', () => {
  const data = testCatalog('5.6.0').data;
  const json = (): Record<string, unknown> => JSON.parse(JSON.stringify(data)) as Record<string, unknown>;

  it('accepts a catalog after a JSON round trip', () => {
    expect(isCatalogData(json())).toBe(true);
  });

  it.each([
    ['null', () => null],
    ['an array', () => []],
    ['another format version', () => ({ ...json(), formatVersion: 99 })],
    ['missing techniques', () => ({ ...json(), techniques: undefined })],
    [
      'a technique without tactics',
      () => {
        const d = json() as { techniques: Array<Record<string, unknown>> };
        delete d.techniques[3]!.tactics;
        return d;
      },
    ],
    [
      'an unknown maturity',
      () => {
        const d = json() as { techniques: Array<Record<string, unknown>> };
        d.techniques[0]!.maturity = 'legendary';
        return d;
      },
    ],
    [
      'a mitigation link without use',
      () => {
        const d = json() as { mitigations: Array<{ techniques: Array<Record<string, unknown>> }> };
        delete d.mitigations[0]!.techniques[0]!.use;
        return d;
      },
    ],
    [
      'a procedure step with a number',
      () => {
        const d = json() as { caseStudies: Array<{ procedure: Array<Record<string, unknown>> }> };
        d.caseStudies[0]!.procedure[0]!.technique = 7;
        return d;
      },
    ],
  ])('rejects %s', (_name, make) => {
    expect(isCatalogData(make())).toBe(false);
  });
});
