import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { resolveObject, suggestIds } from './suggest.js';

const catalog = testCatalog('5.6.0');

describe('resolveObject', () => {
  it.each([
    ['AML.T0051', 'AML.T0051'],
    ['aml.t0051', 'AML.T0051'],
    ['T0051', 'AML.T0051'],
    [' AML.TA0002 ', 'AML.TA0002'],
    ['reconnaissance', 'AML.TA0002'],
    ['ai-model-access', 'AML.TA0000'],
    ['m0015', 'AML.M0015'],
    ['cs0009', 'AML.CS0009'],
  ])('%s → %s', (input, id) => {
    expect(resolveObject(catalog, input)?.value.id).toBe(id);
  });

  it('does not guess', () => {
    expect(resolveObject(catalog, 'AML.T9999')).toBeUndefined();
    expect(resolveObject(catalog, 'prompt injection')).toBeUndefined();
  });
});

describe('suggestIds', () => {
  const suggested = (input: string): string[] => suggestIds(catalog, input).map((s) => s.id);

  it('suggests IDs one or two edits away', () => {
    expect(suggested('AML.T0515')).toContain('AML.T0015');
    expect(suggested('AML.T051')).toContain('AML.T0051');
    expect(suggested('AML.M015')).toContain('AML.M0015');
  });

  it('suggests by ID prefix', () => {
    expect(suggested('AML.T0051.0')).toEqual(
      expect.arrayContaining(['AML.T0051.000', 'AML.T0051.001', 'AML.T0051.002']),
    );
  });

  it('suggests by name, typos included', () => {
    expect(suggested('prompt injection')[0]).toBe('AML.T0051');
    expect(suggested('LLM Jailbrake')[0]).toBe('AML.T0054');
    expect(suggested('Recconnaissance')[0]).toBe('AML.TA0002');
  });

  it('is bounded and never throws on odd input', () => {
    expect(suggestIds(catalog, 'x'.repeat(10_000))).toEqual([]);
    expect(suggestIds(catalog, '')).toEqual([]);
    expect(suggestIds(catalog, 'AML.T0051', 2)).toHaveLength(2);
  });
});
