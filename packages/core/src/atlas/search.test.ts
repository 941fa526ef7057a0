import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { searchCatalog } from './search.js';

const catalog = testCatalog('5.6.0');
const ids = (query: string, limit = 5): string[] => searchCatalog(catalog, query, { limit }).map((r) => r.id);

describe('searchCatalog', () => {
  it('ranks AML.T0020 Poison Training Data among the first results for "poisoning"', () => {
    expect(ids('poisoning', 3)).toContain('AML.T0020');
  });

  it.each([
    ['prompt injection', 'AML.T0051'],
    ['jailbreak', 'AML.T0054'],
    ['deepfakes', 'AML.T0088'],
    ['exfiltration via inference api', 'AML.T0024'],
    ['model extraction', 'AML.T0024.002'],
  ])('puts the obvious technique first for "%s"', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  it('finds IDs exactly, by prefix and without the AML. prefix', () => {
    expect(ids('AML.T0051')[0]).toBe('AML.T0051');
    expect(ids('t0051', 4)).toEqual(['AML.T0051', 'AML.T0051.000', 'AML.T0051.001', 'AML.T0051.002']);
    expect(ids('aml.m0015')[0]).toBe('AML.M0015');
    expect(ids('CS0009')[0]).toBe('AML.CS0009');
  });

  it('searches every kind and can be limited to some', () => {
    const kinds = new Set(searchCatalog(catalog, 'model', { limit: 500 }).map((r) => r.kind));
    expect(kinds).toEqual(new Set(['technique', 'tactic', 'mitigation', 'case-study']));
    const onlyMitigations = searchCatalog(catalog, 'model', { limit: 500, kinds: ['mitigation'] });
    expect(onlyMitigations.length).toBeGreaterThan(0);
    expect(onlyMitigations.every((r) => r.kind === 'mitigation')).toBe(true);
  });

  it('matches sub-techniques through their parent name', () => {
    // "Direct" alone says little: the sub-technique is found as "LLM Prompt Injection: Direct".
    expect(ids('direct prompt injection', 3)).toContain('AML.T0051.000');
  });

  it('returns snippets around the match, ranked and deterministic', () => {
    const results = searchCatalog(catalog, 'poisoning', { limit: 10 });
    for (let i = 1; i < results.length; i++) {
      expect(results[i - 1]!.score).toBeGreaterThanOrEqual(results[i]!.score);
    }
    expect(results[0]!.snippet.length).toBeLessThanOrEqual(162);
    expect(results.some((r) => /poison/i.test(r.snippet))).toBe(true);
    expect(searchCatalog(catalog, 'poisoning', { limit: 10 })).toEqual(results);
  });

  it('returns nothing for nonsense, an empty query or a zero limit', () => {
    expect(ids('xyzzyplugh')).toEqual([]);
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
    expect(searchCatalog(catalog, 'poisoning', { limit: 0 })).toEqual([]);
  });

  it('stays fast on hostile queries', () => {
    const start = performance.now();
    searchCatalog(catalog, 'a '.repeat(2000) + '('.repeat(1000), { limit: 5 });
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
