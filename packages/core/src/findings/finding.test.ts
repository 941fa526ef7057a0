import { describe, expect, it } from 'vitest';
import { atlasIdsOf, findingSchema, type Finding } from './finding.js';

const valid: Finding = {
  ruleId: 'model/pickle-global',
  title: 'Pickle imports a dangerous callable',
  severity: 'critical',
  confidence: 0.9,
  element: 'model',
  atlas: { techniques: ['AML.T0010.003', 'AML.T0011'], mitigations: ['AML.M0016'] },
  location: { path: 'model.pkl', member: 'data.pkl', offset: 0, row: 0, line: 1, column: 1, pointer: '/a' },
  message: 'os.system',
  evidence: 'GLOBAL os system',
  remediation: 'use safetensors',
  references: [{ label: 'ATLAS', url: 'https://atlas.mitre.org/' }],
};

describe('findingSchema', () => {
  it('accepts a complete finding and a minimal one', () => {
    expect(findingSchema.parse(valid)).toEqual(valid);
    const minimal = {
      ruleId: 'r',
      title: 't',
      severity: 'info',
      element: 'data',
      atlas: { techniques: [], mitigations: [] },
      message: '',
    };
    expect(findingSchema.parse(minimal)).toEqual(minimal);
  });

  it.each([
    ['an empty ruleId', { ruleId: '' }],
    ['an unknown severity', { severity: 'severe' }],
    ['an unknown element', { element: 'network' }],
    ['confidence above 1', { confidence: 1.5 }],
    ['a negative confidence', { confidence: -0.1 }],
    ['a mitigation among techniques', { atlas: { techniques: ['AML.M0016'], mitigations: [] } }],
    ['a technique among mitigations', { atlas: { techniques: [], mitigations: ['AML.T0010'] } }],
    ['a malformed technique ID', { atlas: { techniques: ['T0010'], mitigations: [] } }],
    ['a 0-based line', { location: { line: 0 } }],
    ['a negative row', { location: { row: -1 } }],
    ['a fractional offset', { location: { offset: 1.5 } }],
    ['a reference without url', { references: [{ label: 'x' }] }],
  ])('rejects %s', (_name, change) => {
    expect(findingSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});

describe('atlasIdsOf', () => {
  it('collects every technique and mitigation ID once', () => {
    const other: Finding = { ...valid, atlas: { techniques: ['AML.T0011'], mitigations: ['AML.M0001'] } };
    expect([...atlasIdsOf([valid, other])].sort()).toEqual([
      'AML.M0001',
      'AML.M0016',
      'AML.T0010.003',
      'AML.T0011',
    ]);
    expect(atlasIdsOf([]).size).toBe(0);
  });
});
