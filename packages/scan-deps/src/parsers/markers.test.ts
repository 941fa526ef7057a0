import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { evaluateMarker, markerVariables, parseMarker, type MarkerEnvironment } from './markers.js';

const LINUX_311: MarkerEnvironment = {
  values: {
    python_version: '3.11',
    python_full_version: '3.11.4',
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  },
  extras: ['gpu'],
};

function evaluate(text: string, env: MarkerEnvironment = LINUX_311): boolean | undefined {
  const tree = parseMarker(text);
  if ('error' in tree) throw new Error(tree.error);
  return evaluateMarker(tree, env);
}

describe('PEP 508 markers', () => {
  it('evaluates comparisons with version semantics for version variables', () => {
    expect(evaluate('python_version >= "3.9"')).toBe(true);
    expect(evaluate('python_version < "3.11"')).toBe(false);
    // Version, not string, order: 3.11 > 3.9.
    expect(evaluate('python_version > "3.9"')).toBe(true);
    expect(evaluate("python_full_version >= '3.11.2'")).toBe(true);
    expect(evaluate('python_version == "3.*"')).toBe(true);
    expect(evaluate('python_version != "3.11.*"')).toBe(false);
    expect(evaluate('python_version ~= "3.10"')).toBe(true);
    expect(evaluate('python_full_version ~= "3.10.0"')).toBe(false);
    expect(evaluate('"3.8" < python_version')).toBe(true);
  });
  it('evaluates platform strings, in / not in, and / or with parentheses', () => {
    expect(evaluate('sys_platform == "win32"')).toBe(false);
    expect(evaluate('sys_platform != "win32" and platform_python_implementation == "CPython"')).toBe(true);
    expect(
      evaluate('(platform_system == "Linux" or platform_system == "Darwin") and python_version >= "3.9"'),
    ).toBe(true);
    expect(evaluate('"linux" in sys_platform')).toBe(true);
    expect(evaluate('"win" not in sys_platform')).toBe(true);
    expect(evaluate('os_name == "nt" or implementation_name == "cpython"')).toBe(true);
    expect(evaluate("sys.platform == 'linux'")).toBe(true);
    expect(evaluate("python_implementation == 'CPython'")).toBe(true);
  });
  it('extra markers match enabled extras after name normalisation', () => {
    expect(evaluate('extra == "gpu"')).toBe(true);
    expect(evaluate('extra == "GPU"')).toBe(true);
    expect(evaluate('extra == "docs"')).toBe(false);
    expect(evaluate('extra != "docs"')).toBe(true);
  });
  it('is unknown, never false, when the target does not set a variable', () => {
    expect(evaluate('platform_machine == "x86_64"')).toBeUndefined();
    expect(evaluate('platform_machine == "x86_64" and sys_platform == "win32"')).toBe(false);
    expect(evaluate('platform_machine == "x86_64" or sys_platform == "linux"')).toBe(true);
    expect(evaluate('platform_machine == "x86_64" or sys_platform == "win32"')).toBeUndefined();
    const tree = parseMarker('platform_release >= "5.0" and extra == "x"');
    expect('error' in tree ? [] : [...markerVariables(tree)].sort()).toEqual(['extra', 'platform_release']);
  });
  it('rejects what PEP 508 does not allow, with a message', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /empty/],
      ['python_version', /expected a comparison operator/],
      ['python_version >= ', /expected a variable or a quoted string/],
      ['python_version >= "3.9', /unterminated string/],
      ['pyhton_version >= "3.9"', /unknown marker variable "pyhton_version"/],
      ['"a" == "b"', /not two strings/],
      ['python_version >= "3" and', /expected a variable/],
      ['(python_version >= "3"', /missing "\)"/],
      ['python_version => "3"', /expected a variable or a quoted string|bad operator/],
      ['python_version not "3"', /"not" must be followed by "in"/],
      ['python_version >= "3" ; x', /unexpected character/],
      [`${'('.repeat(40)}python_version >= "3"${')'.repeat(40)}`, /nested too deeply/],
      ['x'.repeat(5000), /too long/],
    ];
    for (const [text, message] of bad) {
      const tree = parseMarker(text);
      expect(tree, text).toHaveProperty('error');
      expect('error' in tree ? tree.error : '', text).toMatch(message);
    }
  });
  it('never throws on random input, and parsed markers always evaluate (seeded fuzz)', () => {
    const random = seededRandom(508);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const vars = [
      'python_version',
      'python_full_version',
      'sys_platform',
      'extra',
      'platform_machine',
      'os.name',
    ];
    const ops = ['==', '!=', '>=', '<', '<=', '>', '~=', '===', 'in', 'not in'];
    const strs = ['"3.9"', "'linux'", '"gpu"', '"3.*"', '"3.11.2"', '""', '"win32"'];
    const expr = (depth: number): string => {
      const r = random();
      if (depth < 3 && r < 0.25) return `(${expr(depth + 1)})`;
      if (depth < 3 && r < 0.55) return `${expr(depth + 1)} ${pick(['and', 'or'])} ${expr(depth + 1)}`;
      return random() < 0.8
        ? `${pick(vars)} ${pick(ops)} ${pick(strs)}`
        : `${pick(strs)} ${pick(ops)} ${pick(vars)}`;
    };
    const noise = ['(', ')', '"', "'", 'and', 'or', 'not', ';', '=', '<', 'x', ' '];
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let text = expr(0);
      if (random() < 0.5) {
        const at = Math.floor(random() * (text.length + 1));
        text = text.slice(0, at) + pick(noise) + text.slice(at + (random() < 0.5 ? 1 : 0));
      }
      const tree = parseMarker(text);
      if ('error' in tree) {
        expect(tree.error.length, text).toBeGreaterThan(0);
        continue;
      }
      parsed++;
      const v = evaluateMarker(tree, LINUX_311);
      expect([true, false, undefined], text).toContain(v);
      // With nothing known, only extra comparisons can decide.
      evaluateMarker(tree, { values: {}, extras: [] });
    }
    expect(parsed).toBeGreaterThan(2000);
  });
});
