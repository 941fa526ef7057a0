import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasGuardError, formatError } from '@atlasguard/core';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { parseCondition, evaluateCondition } from './condition.js';
import {
  BUILTIN_RULES_DIR,
  checkRuleTechniques,
  checkUniqueIds,
  loadRulesDir,
  parseRule,
} from './load-rules.js';
import { runRuleTests } from './run-rule-tests.js';

const VALID = `title: test rule
id: T-RULE-1
description: d
tags: [atlas.aml.t0051.000]
level: high
logsource: { product: genai }
detection:
  sel:
    input.text|contains: magic words
  condition: sel
tests:
  positive: [{ input.value: 'say the magic words please' }]
  negative: [{ input.value: 'hello' }]
`;

describe('built-in rules', () => {
  it('load, have unique ids, name only catalog techniques, and pass their embedded tests', async () => {
    const rules = await loadRulesDir(BUILTIN_RULES_DIR);
    expect(rules.length).toBeGreaterThanOrEqual(6);
    checkUniqueIds(rules);
    checkRuleTechniques(rules, testCatalog());
    const results = runRuleTests(rules);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(results.filter((r) => r.kind === 'positive').length).toBeGreaterThanOrEqual(rules.length);
    expect(results.filter((r) => r.kind === 'negative').length).toBeGreaterThanOrEqual(rules.length);
  });
});

describe('rule parsing', () => {
  it('accepts a valid rule and runs its tests', () => {
    const rule = parseRule(VALID, 'r.yaml');
    expect(rule.techniques).toEqual(['AML.T0051.000']);
    expect(runRuleTests([rule]).every((r) => r.passed)).toBe(true);
  });
  const bad: [string, string, RegExp][] = [
    ['yaml syntax', 'title: [unclosed', /r\.yaml:1:\d+: invalid YAML/],
    ['unknown key', `${VALID}extra: 1\n`, /r\.yaml:\d+:\d+: invalid rule/],
    ['missing tests', VALID.replace(/tests:[\s\S]*/, ''), /invalid rule: tests/],
    ['no atlas tag', VALID.replace('atlas.aml.t0051.000', 'attack.t1190'), /no ATLAS technique tag/],
    [
      'unknown selection',
      VALID.replace('condition: sel', 'condition: sel and other'),
      /r\.yaml:10:\d+: invalid rule: condition names unknown selection "other"/,
    ],
    [
      'nested quantifier',
      VALID.replace('input.text|contains: magic words', () => "input.text|re: '(a+)+x'"),
      /nested quantifiers/,
    ],
    ['unknown modifier', VALID.replace('|contains', '|sounds_like'), /unknown modifier/],
    [
      'alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /invalid|alias|Excessive/i,
    ],
  ];
  it.each(bad)('rejects %s with file:line and a hint', (_name, text, re) => {
    let error: unknown;
    try {
      parseRule(text, 'r.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect(formatError(error as AtlasGuardError)).toMatch(re);
  });
  it('rejects a technique that is not in the catalog', () => {
    const rule = parseRule(VALID.replace('atlas.aml.t0051.000', 'atlas.aml.t0999'), 'r.yaml');
    expect(() => {
      checkRuleTechniques([rule], testCatalog());
    }).toThrow(/AML.T0999, which is not in ATLAS 5.6.0/);
  });
});

describe('user rule directories', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ag-rules-'));
    await writeFile(join(dir, 'one.yaml'), VALID);
    await writeFile(join(dir, 'notes.txt'), 'ignored');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it('loads *.yaml and detects duplicate ids', async () => {
    const rules = await loadRulesDir(dir);
    expect(rules.map((r) => r.id)).toEqual(['T-RULE-1']);
    expect(() => {
      checkUniqueIds([...rules, ...rules]);
    }).toThrow(/duplicate rule id/);
  });
});

describe('conditions', () => {
  const sel = (v: Record<string, boolean>): Map<string, () => boolean> =>
    new Map(Object.entries(v).map(([k, b]) => [k, () => b]));
  it('precedence, parentheses, quantifiers', () => {
    expect(evaluateCondition(parseCondition('a or b and not c'), sel({ a: false, b: true, c: false }))).toBe(
      true,
    );
    expect(evaluateCondition(parseCondition('(a or b) and not c'), sel({ a: true, b: false, c: true }))).toBe(
      false,
    );
    expect(evaluateCondition(parseCondition('1 of sel*'), sel({ sel1: false, sel2: true }))).toBe(true);
    expect(evaluateCondition(parseCondition('all of them'), sel({ x: true, y: false }))).toBe(false);
    expect(() => parseCondition('a and')).toThrow();
    expect(() => parseCondition('(a')).toThrow();
    expect(() => parseCondition('a ) b')).toThrow();
  });
});
