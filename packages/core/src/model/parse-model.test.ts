import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../test/catalog-fixture.js';
import { exampleText, EXAMPLES } from '../assess/test-support/examples.js';
import { parsePolicyText } from '../assess/policy.js';
import { checkSystemModel } from './check-model.js';
import { closest, editDistance } from './did-you-mean.js';
import { MODEL_LIMITS, parseSystemModelText, type ParseResult } from './parse-model.js';
import { starterModel, starterOptionsSchema } from './starter-model.js';

const catalog = testCatalog();
const FILE = 'model.yaml';
const fraud = exampleText('card-fraud-scoring');

function issues(result: ParseResult) {
  if (result.ok) throw new Error('expected issues');
  return result.issues;
}

/** Replaces the first occurrence of `from` in the fraud example. */
function mutate(from: string, to: string): string {
  if (!fraud.includes(from)) throw new Error(`fixture text not found: ${from}`);
  return fraud.replace(from, to);
}

const lineOf = (text: string, needle: string): number =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

describe('system model parser', () => {
  it.each(EXAMPLES)('parses and checks the %s example cleanly', (name) => {
    const result = parseSystemModelText(exampleText(name), `${name}.yaml`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const check = checkSystemModel(result.value.model, result.value.positions, catalog);
    expect(check.errors).toEqual([]);
  });

  it('reports YAML syntax errors at file:line:col', () => {
    const broken = mutate('  sector: finance\n', '  sector: [finance\n');
    const [first] = issues(parseSystemModelText(broken, FILE));
    expect(first?.message).toMatch(/YAML syntax/);
    expect(first?.position.file).toBe(FILE);
    expect(first?.position.line).toBeGreaterThan(1);
    expect(first?.position.column).toBeGreaterThanOrEqual(1);
  });

  it('points an invalid enum value at its line and column, with did-you-mean', () => {
    const text = mutate('    access: partner-api', '    access: partner-apii');
    const [first] = issues(parseSystemModelText(text, FILE));
    expect(first?.message).toBe('invalid value "partner-apii" at model[0].access');
    expect(first?.hint).toMatch(/did you mean "partner-api"/);
    expect(first?.position).toEqual({ file: FILE, line: lineOf(text, 'access: partner-apii'), column: 13 });
  });

  it('points an unknown key at the key, with did-you-mean', () => {
    const text = mutate('    rateLimited: false', '    rateLimitted: false');
    const found = issues(parseSystemModelText(text, FILE));
    const key = found.find((i) => i.message === 'unknown key "rateLimitted"');
    expect(key?.hint).toMatch(/rateLimited/);
    expect(key?.position.line).toBe(lineOf(text, 'rateLimitted'));
    expect(key?.position.column).toBe(5);
  });

  it('reports a missing required field at its parent', () => {
    const text = mutate('  criticality: critical\n', '');
    const found = issues(parseSystemModelText(text, FILE));
    const missing = found.find((i) => i.path.join('.') === 'system.criticality');
    expect(missing?.message).toBe('missing required field "criticality" at system.criticality');
    expect(missing?.hint).toMatch(/critical, high, medium, low/);
    expect(missing?.position.line).toBe(lineOf(text, 'system:') + 1);
  });

  it('requires `atlasguard: 1` and rejects other versions', () => {
    expect(issues(parseSystemModelText('system: {}\n', FILE))[0]?.message).toMatch(/missing `atlasguard: 1`/);
    const v2 = issues(parseSystemModelText(mutate('atlasguard: 1', 'atlasguard: 2'), FILE))[0];
    expect(v2?.message).toMatch(/unsupported model format version 2/);
    expect(issues(parseSystemModelText('- a\n- b\n', FILE))[0]?.message).toMatch(/must be a YAML mapping/);
    expect(issues(parseSystemModelText('', FILE))[0]?.message).toMatch(/YAML mapping/);
  });

  it('rejects duplicate keys', () => {
    const text = mutate('  riskAppetite: low\n', '  riskAppetite: low\n  riskAppetite: high\n');
    expect(issues(parseSystemModelText(text, FILE))[0]?.hint).toMatch(/once per mapping/);
  });

  it('bounds hostile input: alias bombs, depth, size', () => {
    const bomb = ['atlasguard: 1', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    const aliasResult = issues(parseSystemModelText(bomb.join('\n'), FILE));
    expect(aliasResult[0]?.message).toMatch(/alias/i);
    const deep = `atlasguard: 1\nx: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    expect(issues(parseSystemModelText(deep, FILE))[0]?.message).toMatch(/nested too deeply/);
    const huge = `atlasguard: 1\n# ${'x'.repeat(MODEL_LIMITS.maxBytes)}\n`;
    expect(issues(parseSystemModelText(huge, FILE))[0]?.message).toMatch(/too large/);
  });

  it('does not construct objects from tags', () => {
    const text = mutate('  name: Real-time card-fraud scoring', '  name: !!js/function "function(){}"');
    const result = parseSystemModelText(text, FILE);
    // Unknown tags are a YAML error or a plain string, never code.
    if (result.ok) expect(typeof result.value.model.system.name).toBe('string');
    else expect(result.issues[0]?.position.line).toBeGreaterThan(1);
  });
});

describe('system model checks', () => {
  const check = (text: string) => {
    const result = parseSystemModelText(text, FILE);
    if (!result.ok) throw new Error(result.issues[0]?.message);
    return checkSystemModel(result.value.model, result.value.positions, catalog, {
      questionIds: new Set(['Q-AML.M0007-1', 'Q-AML.M0004-1']),
    });
  };

  it('an unknown ATLAS mitigation ID is an error with did-you-mean, at its position', () => {
    const text = mutate('  - id: AML.M0005', '  - id: AML.M0050');
    const { errors } = check(text);
    expect(errors[0]?.message).toBe('unknown ATLAS mitigation "AML.M0050" in ATLAS 5.6.0');
    expect(errors[0]?.hint).toMatch(/did you mean AML\.M00\d\d/);
    expect(errors[0]?.position.line).toBe(lineOf(text, 'AML.M0050'));
  });

  it('a technique ID where a mitigation belongs says so', () => {
    const { errors } = check(mutate('  - id: AML.M0005', '  - id: AML.T0015'));
    expect(errors[0]?.hint).toMatch(/AML\.T0015 is a technique \("Evade AI Model"\), not a mitigation/);
  });

  it('an unknown technique in a risk decision is an error with did-you-mean', () => {
    const { errors } = check(mutate('  - technique: AML.T0029', '  - technique: AML.T029'));
    expect(errors[0]?.message).toMatch(/unknown ATLAS technique "AML.T029"/);
    expect(errors[0]?.hint).toMatch(/did you mean AML\.T0029/);
  });

  it('dangling and duplicate asset references are errors with did-you-mean', () => {
    const dangling = check(
      mutate('    servedBy: [scoring-service]', '    servedBy: [scoring-servise]'),
    ).errors;
    expect(dangling[0]?.message).toMatch(
      /unknown an environment or platform asset "scoring-servise"|unknown .*"scoring-servise"/,
    );
    expect(dangling[0]?.hint).toMatch(/did you mean "scoring-service"/);
    const dup = check(mutate('  - id: ecr\n', '  - id: mlflow\n')).errors;
    expect(dup.some((e) => e.message.startsWith('duplicate id "mlflow"'))).toBe(true);
  });

  it('an answer to an unknown question is a warning with did-you-mean', () => {
    const { errors, warnings } = check(mutate('  - question: Q-AML.M0007-1', '  - question: Q-AML.M0007-9'));
    expect(errors).toEqual([]);
    expect(warnings[0]?.message).toMatch(/unknown question "Q-AML.M0007-9"/);
    expect(warnings[0]?.hint).toMatch(/Q-AML\.M0007-1/);
  });
});

describe('fuzz: mutated models never crash the parser', () => {
  // A small deterministic PRNG so failures reproduce.
  let seed = 0x2f6b3a1d;
  const random = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const TOKENS = [
    ':',
    '- ',
    '  ',
    '\t',
    '[',
    ']',
    '{',
    '}',
    '&a ',
    '*a',
    '!!str ',
    '"',
    "'",
    '#',
    '\n',
    '|',
    '>',
    '?',
    ',',
    'null',
    '~',
    'AML.M9999',
    '0x1F',
    '.inf',
    '\u0000',
    '\uFEFF',
    '%YAML 1.1\n---\n',
    '<<: *a\n',
  ];

  it('400 random mutations of the examples: always a model or positioned issues', () => {
    const sources = EXAMPLES.map((n) => exampleText(n));
    for (let i = 0; i < 400; i++) {
      let text = pick(sources);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * text.length);
        const op = random();
        if (op < 0.4) text = text.slice(0, at) + pick(TOKENS) + text.slice(at);
        else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
        else {
          const lines = text.split('\n');
          const a = Math.floor(random() * lines.length);
          const b = Math.floor(random() * lines.length);
          [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
          text = lines.join('\n');
        }
      }
      let result: ParseResult;
      try {
        result = parseSystemModelText(text, FILE);
      } catch (error) {
        throw new Error(
          `parser threw on mutation ${String(i)}: ${String(error)}\n---\n${text.slice(0, 400)}`,
          { cause: error },
        );
      }
      if (result.ok) {
        expect(() => checkSystemModel(result.value.model, result.value.positions, catalog)).not.toThrow();
      } else {
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(issue.position.file).toBe(FILE);
          expect(issue.position.line).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('policy files share the bounded parser: mutated policies never crash', () => {
    const policy =
      'name: p\nlikelihood: { maturity: 3, exposure: 4 }\nthresholds: { critical: 20, high: 12, medium: 6 }\n';
    for (let i = 0; i < 300; i++) {
      let text = policy;
      const at = Math.floor(random() * text.length);
      text = text.slice(0, at) + pick(TOKENS) + text.slice(at + Math.floor(random() * 3));
      const result = parsePolicyText(text, 'policy.yaml');
      if (!result.ok)
        for (const issue of result.issues) expect(issue.position.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('random bytes: never a crash', () => {
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 300);
      let text = '';
      for (let j = 0; j < length; j++) text += String.fromCharCode(Math.floor(random() * 0x80));
      expect(() => parseSystemModelText(text, FILE)).not.toThrow();
    }
  });
});

describe('starter model (init)', () => {
  it('validates as written for every task, provenance and access', () => {
    for (const task of ['llm', 'classifier', 'vision'] as const) {
      for (const provenance of [
        'in-house',
        'fine-tuned-open-weights',
        'third-party-api',
        'public-hub',
      ] as const) {
        for (const access of ['public-api', 'internal'] as const) {
          const text = starterModel(
            starterOptionsSchema.parse({ task, provenance, access, sector: 'healthcare' }),
          );
          const result = parseSystemModelText(text, 'atlasguard.yaml');
          expect(
            result.ok,
            `${task}/${provenance}/${access}: ${result.ok ? '' : (result.issues[0]?.message ?? '')}`,
          ).toBe(true);
          if (result.ok)
            expect(checkSystemModel(result.value.model, result.value.positions, catalog).errors).toEqual([]);
          expect(text).toContain('# ');
        }
      }
    }
  });
});

describe('did-you-mean', () => {
  it('finds close candidates only', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('AML.M0050', ['AML.M0005', 'AML.M0015', 'AML.T0050'])).toContain('AML.M0005');
    expect(closest('zzzzzz', ['public-api', 'internal'])).toEqual([]);
  });
});
