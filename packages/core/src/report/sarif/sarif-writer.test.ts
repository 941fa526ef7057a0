import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { expectGolden } from '../../../../../test/golden.js';
import { sarifErrors, sarifValidator } from '../../../../../test/sarif-validator.js';
import { atlasIdsOf, findingSchema, type Finding } from '../../findings/finding.js';
import { sarifLevel, toSarif } from './sarif-writer.js';

const tool = { name: 'atlasguard', version: '0.1.0' };

/** Findings covering every optional part of the Finding shape. */
const findings: Finding[] = [
  {
    ruleId: 'model/pickle-global',
    title: 'Pickle imports a dangerous callable',
    severity: 'critical',
    confidence: 0.95,
    element: 'model',
    atlas: { techniques: ['AML.T0010.003', 'AML.T0011.000'], mitigations: ['AML.M0016'] },
    location: { path: 'models/classifier.pkl', member: 'archive/data.pkl', offset: 1234 },
    message: 'os.system is imported by the pickle stream',
    evidence: 'GLOBAL os system',
    remediation: 'Convert the model to safetensors; never load untrusted pickles.',
    references: [{ label: 'ATLAS AML.T0010.003', url: 'https://atlas.mitre.org/techniques/AML.T0010.003' }],
  },
  {
    ruleId: 'model/pickle-global',
    title: 'Pickle imports a dangerous callable',
    severity: 'high',
    element: 'model',
    atlas: { techniques: ['AML.T0010.003', 'AML.T0010.003'], mitigations: [] },
    location: { path: 'weights dir\\ünïcode #1.pt' },
    message: 'builtins.eval is imported',
  },
  {
    ruleId: 'deps/framework-update',
    title: 'Framework update with a known vulnerability',
    severity: 'medium',
    element: 'platform',
    atlas: { techniques: ['AML.T0010.001'], mitigations: ['AML.M0016'] },
    location: { path: 'requirements.txt', line: 3, column: 1 },
    message: 'torch 2.0.0 → 2.0.1',
  },
  {
    ruleId: 'data/label-flip',
    title: 'Rows with flipped labels',
    severity: 'low',
    element: 'data',
    atlas: { techniques: ['AML.T0020'], mitigations: ['AML.M0007'] },
    location: { path: 'batch.csv', row: 41, pointer: '/label' },
    message: 'label differs from the nearest duplicates',
  },
  {
    ruleId: 'assess/no-logging',
    title: 'No inference logging',
    severity: 'info',
    element: 'environment',
    atlas: { techniques: ['AML.T0024'], mitigations: ['AML.M0024'] },
    message: 'the system model declares no inference logs',
  },
];

describe('toSarif', () => {
  const log = toSarif(findings, {
    tool,
    rules: [
      {
        id: 'deps/framework-update',
        shortDescription: 'Risky framework update',
        helpUri: 'https://example.org/r',
      },
    ],
    properties: { atlasVersion: '5.6.0' },
  });

  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(log), sarifErrors(validate)).toBe(true);
    const empty = toSarif([], { tool, executionSuccessful: false });
    expect(validate(empty), sarifErrors(validate)).toBe(true);
    // Tags must be unique: an ID named twice by the first finding of a rule appears once.
    const duplicated = toSarif(findings.slice(1, 2), { tool });
    expect(validate(duplicated), sarifErrors(validate)).toBe(true);
  });

  it('is checked by a validator that does reject broken logs', () => {
    const validate = sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const badTags = structuredClone(log) as unknown as {
      runs: Array<{ tool: { driver: { rules: Array<{ properties: { tags: string[] } }> } } }>;
    };
    badTags.runs[0]!.tool.driver.rules[0]!.properties.tags = ['x', 'x'];
    expect(validate(badTags)).toBe(false);
  });

  it('matches the golden file', () => {
    expectGolden(import.meta.url, 'findings.sarif.json', `${JSON.stringify(log, null, 2)}\n`);
  });

  it('has one rule per ruleId, with security-severity from its worst finding and ATLAS tags', () => {
    const [run] = log.runs;
    const rules = run!.tool.driver.rules as Array<{
      id: string;
      helpUri?: string;
      defaultConfiguration: { level: string };
      properties: { tags: string[]; 'security-severity': string };
    }>;
    expect(rules.map((r) => r.id)).toEqual([
      'model/pickle-global',
      'deps/framework-update',
      'data/label-flip',
      'assess/no-logging',
    ]);
    expect(rules[0]).toMatchObject({
      helpUri: 'https://atlas.mitre.org/techniques/AML.T0010.003',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5' },
    });
    expect(rules[0]!.properties.tags).toEqual(['AML.T0010.003', 'AML.T0011.000', 'AML.M0016', 'atlas/model']);
    expect(rules[1]!.helpUri).toBe('https://example.org/r');
    expect(rules.map((r) => r.properties['security-severity'])).toEqual(['9.5', '5.5', '3.0', '0.0']);
  });

  it('maps locations: line and column, byte offset, archive member, row and pointer', () => {
    const results = log.runs[0]!.results as Array<{
      locations?: unknown[];
      level: string;
      ruleIndex: number;
    }>;
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'warning', 'note', 'note']);
    expect(results.map((r) => r.ruleIndex)).toEqual([0, 0, 1, 2, 3]);
    expect(results[0]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'models/classifier.pkl' },
          region: { byteOffset: 1234 },
        },
        logicalLocations: [{ fullyQualifiedName: 'archive/data.pkl' }],
      },
    ]);
    expect(JSON.stringify(results[1]!.locations)).toContain('weights%20dir/%C3%BCn%C3%AFcode%20%231.pt');
    expect(JSON.stringify(results[2]!.locations)).toContain('"region":{"startLine":3,"startColumn":1}');
    expect(JSON.stringify(results[3]!.locations)).toContain('"fullyQualifiedName":"/label"');
    expect(results[4]!.locations).toBeUndefined();
  });

  it('maps severities to SARIF levels', () => {
    expect(
      ['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as Finding['severity'])),
    ).toEqual(['error', 'error', 'warning', 'note', 'note']);
  });
});

describe('the fixture findings', () => {
  it('are valid findings naming only IDs of the 5.6.0 catalog', () => {
    const catalog = testCatalog('5.6.0');
    for (const f of findings) expect(() => findingSchema.parse(f)).not.toThrow();
    for (const id of atlasIdsOf(findings)) expect(catalog.has(id), id).toBe(true);
  });
});
