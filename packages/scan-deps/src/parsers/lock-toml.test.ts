import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { SourceText } from '../manifest/source-text.js';
import { pairPath } from '../test-support/paths.js';
import { parseLockToml } from './lock-toml.js';
import { arrayTableLines } from './toml-text.js';

/** The fast path must either give up or agree exactly with the full parser (value and header lines). */
function agree(text: string): 'fast' | 'fallback' {
  const fast = parseLockToml(text, 'package');
  let full: unknown;
  let failed = false;
  try {
    full = parse(text);
  } catch {
    failed = true;
  }
  if (fast === undefined) return 'fallback';
  expect(failed, `fast path accepted invalid TOML:\n${text}`).toBe(false);
  // Same values (the full parser's tables have no prototype; the fast path's are plain objects).
  expect(fast.doc, text).toEqual(full);
  expect(fast.headerLines).toEqual(arrayTableLines(new SourceText('x.lock', text), 'package'));
  return 'fast';
}

describe('lock-file TOML fast path', () => {
  it('takes the fast path for the lock fixtures and agrees with the full parser', () => {
    for (const [format, file] of [
      ['uv', 'uv.lock'],
      ['poetry', 'poetry.lock'],
      ['pdm', 'pdm.lock'],
    ] as const) {
      for (const side of ['old', 'new'] as const)
        expect(agree(readFileSync(pairPath(format, side, file), 'utf8')), `${format}/${side}`).toBe('fast');
    }
  });
  it('handles strings, escapes, nesting and table headers', () => {
    const text = [
      'version = 1',
      'requires-python = ">=3.10" # comment',
      "lit = 'C:\\path'",
      'esc = "a\\"b\\\\c\\n\\u00e9\\U0001F600"',
      '"quoted key" = [1, -2, true, false, [], {}, { a = "b", c = [ { d = 0 } ] }]',
      '',
      '[[package]]',
      'name = "a"',
      'wheels = [',
      '    { url = "https://x/a.whl", hash = "sha256:00" }, # trailing comment',
      ']',
      '[package.optional-dependencies]',
      'extra = [{ name = "b" }]',
      '[[package.metadata.requires-dist]]',
      'name = "c"',
      '  [[package]]',
      'name = "d"',
      '[x.y]',
      'z = 1',
      '[x]',
      'w = 2',
    ].join('\n');
    expect(agree(text)).toBe('fast');
    expect(
      agree('constructor = 1\n[toString]\nvalueOf = { hasOwnProperty = "x" }\n[[__defineGetter__]]'),
    ).toBe('fast');
    const result = parseLockToml(text, 'package');
    expect(result?.headerLines).toEqual([7, 16]);
  });
  it('leaves everything outside the subset to the full parser', () => {
    for (const text of [
      'a.b = 1',
      'a = 1.5',
      'a = 1979-05-27',
      'a = """x"""',
      'a = 0x1f',
      'a = +1',
      'a = 1_000',
      'a = { b = 1, }',
      'a = {\n b = 1 }',
      'a = 1\r\n',
      '[ a ]',
      '[a]\n[a]',
      'a = 1\na = 2',
      'a = {}\n[a.b]',
      'a = []\n[[a]]',
      '__proto__ = 1',
      'a = "unterminated',
      'a = "bad \\q escape"',
      'a = "\\ud800"',
      '[[a]]\n[a]',
      'a = 1 b = 2',
      'a = tru',
    ])
      expect(agree(text), text).toBe('fallback');
  });
  it('never accepts what the full parser rejects (seeded fuzz)', () => {
    const random = seededRandom(1337);
    const pieces = [
      '[[package]]\n',
      '[package.metadata]\n',
      '[[package.metadata.requires-dist]]\n',
      '[package]\n',
      '[other]\n',
      '[other.sub]\n',
      'name = "torch"\n',
      'version = "2.6.0"\n',
      'source = { registry = "https://pypi.org/simple" }\n',
      'wheels = [\n  { url = "https://f/x.whl", hash = "sha256:ab", size = 12 },\n]\n',
      'dependencies = [{ name = "numpy", marker = "python_version >= \'3.10\'" }]\n',
      'optional = false\n',
      'size = 0\n',
      "lit = 'x'\n",
      '# comment\n',
      '\n',
      'esc = "\\u0041\\t"\n',
      'a = [1, [2, [3]], {x = 1}]\n',
    ];
    const noise = [
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      '=',
      ',',
      '.',
      ' ',
      '\n',
      '#',
      '\\',
      '-',
      '0',
      'a',
      '\r',
      '1.5',
      'é',
    ];
    let fast = 0;
    for (let i = 0; i < 4000; i++) {
      const parts: string[] = [];
      const n = 1 + Math.floor(random() * 12);
      for (let j = 0; j < n; j++) parts.push(pieces[Math.floor(random() * pieces.length)] ?? '');
      let text = parts.join('');
      const edits = random() < 0.5 ? 0 : 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = random() < 0.5 ? 0 : 1;
        text = text.slice(0, at) + (noise[Math.floor(random() * noise.length)] ?? '') + text.slice(at + cut);
      }
      if (agree(text) === 'fast') fast++;
    }
    // The generator is meant to exercise both paths.
    expect(fast).toBeGreaterThan(400);
    expect(fast).toBeLessThan(4000);
  });
});
