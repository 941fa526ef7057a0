import { describe, expect, it } from 'vitest';
import type { Risk } from '../api/schemas.js';
import { daysToExpiry, EMPTY_FILTER, filterRisks, sortRisks } from './risk-table.js';

function risk(over: Partial<Risk>): Risk {
  return {
    id: 'r',
    systemId: 's1',
    techniqueId: null,
    title: 'x',
    level: 'low',
    owner: '',
    treatment: null,
    status: 'open',
    notes: '',
    acceptance: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const risks = [
  risk({
    id: 'a',
    title: 'Evade ML Model',
    techniqueId: 'AML.T0015',
    level: 'critical',
    owner: 'Fraud Analytics',
  }),
  risk({
    id: 'b',
    title: 'Exfiltration via inference API',
    level: 'high',
    systemId: 's2',
    treatment: 'mitigate',
  }),
  risk({
    id: 'c',
    title: 'Poison training data',
    level: 'high',
    status: 'accepted',
    treatment: 'accept',
    notes: 'vendor contract covers it',
    acceptance: {
      approver: 'CRO',
      reason: 'r',
      acceptedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-04-01T00:00:00.000Z',
    },
  }),
  risk({ id: 'd', title: 'Manual risk', level: 'medium', owner: 'SRE' }),
];

describe('risk register table', () => {
  it('filters by every field together, case-insensitively for text and owner', () => {
    const ids = (f: Partial<typeof EMPTY_FILTER>) =>
      filterRisks(risks, { ...EMPTY_FILTER, ...f }).map((r) => r.id);
    expect(ids({})).toEqual(['a', 'b', 'c', 'd']);
    expect(ids({ level: 'high' })).toEqual(['b', 'c']);
    expect(ids({ level: 'high', status: 'open' })).toEqual(['b']);
    expect(ids({ systemId: 's2' })).toEqual(['b']);
    expect(ids({ text: 'aml.t0015' })).toEqual(['a']);
    expect(ids({ text: 'VENDOR' })).toEqual(['c']);
    expect(ids({ owner: 'fraud' })).toEqual(['a']);
    expect(ids({ treatment: 'none' })).toEqual(['a', 'd']);
    expect(ids({ treatment: 'accept' })).toEqual(['c']);
    expect(ids({ text: 'no such risk' })).toEqual([]);
  });

  it('sorts by level worst first, then title, and reverses on asc; ties stay stable', () => {
    const name = (id: string) => (id === 's2' ? 'Beta' : 'Alpha');
    const ids = (key: Parameters<typeof sortRisks>[1]['key'], dir: 'asc' | 'desc') =>
      sortRisks(risks, { key, dir }, name).map((r) => r.id);
    expect(ids('level', 'desc')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('level', 'asc')).toEqual(['d', 'b', 'c', 'a']);
    expect(ids('title', 'asc')).toEqual(['a', 'b', 'd', 'c']);
    expect(ids('system', 'desc')).toEqual(['b', 'a', 'c', 'd']);
    expect(ids('expires', 'desc')[0]).toBe('c');
  });

  it('counts days to an acceptance expiry, negative once expired', () => {
    const c = risks[2]!;
    expect(daysToExpiry(c, new Date('2026-03-31T00:00:00.000Z'))).toBe(1);
    expect(daysToExpiry(c, new Date('2026-04-02T00:00:00.000Z'))).toBe(-1);
    expect(daysToExpiry(risks[0]!, new Date())).toBeNull();
  });
});
