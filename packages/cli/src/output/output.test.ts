import { describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { colorsFor } from './colors.js';
import { chosenFormat, positiveInteger } from './format.js';
import { proseWidth, terminalColumns } from './width.js';
import { keyValueLines, padRight, textWidth, truncate, wrapParagraph, wrapText } from './wrap.js';

describe('wrap', () => {
  it('wraps a paragraph at the width, indent included', () => {
    const lines = wrapParagraph('the quick brown fox jumps over the lazy dog', 15, {
      firstIndent: '- ',
      indent: '  ',
    });
    expect(lines).toEqual(['- the quick', '  brown fox', '  jumps over', '  the lazy dog']);
    expect(lines.every((l) => textWidth(l) <= 15)).toBe(true);
  });

  it('splits words longer than a line, unless asked not to', () => {
    expect(wrapParagraph('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(
      wrapParagraph('see https://example.org/a/very/long/path now', 12, { breakLongWords: false }),
    ).toEqual(['see', 'https://example.org/a/very/long/path', 'now']);
  });

  it('keeps paragraphs and list items of Markdown text', () => {
    const text = 'First paragraph\ncontinues here.\n\n- item one\n- item two is longer\n\nLast.';
    expect(wrapText(text, 20, '  ')).toEqual([
      '  First paragraph',
      '  continues here.',
      '',
      '  - item one',
      '  - item two is',
      '    longer',
      '',
      '  Last.',
    ]);
  });

  it('measures, pads and truncates by code point', () => {
    expect(textWidth('Chatbot’s ü')).toBe(11);
    expect(padRight('ab', 4)).toBe('ab  ');
    expect(padRight('abcdef', 4)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('aligns key/value lines', () => {
    expect(
      keyValueLines(
        [
          ['Kind', 'technique'],
          ['Maturity', 'realized'],
        ],
        80,
      ),
    ).toEqual(['  Kind      technique', '  Maturity  realized']);
  });
});

describe('format options', () => {
  it('chooses --json, else --format, else the default', () => {
    expect(chosenFormat({}, 'text')).toBe('text');
    expect(chosenFormat({ format: 'json' }, 'text')).toBe('json');
    expect(chosenFormat({ json: true }, 'text')).toBe('json');
    expect(chosenFormat({ json: true, format: 'json' }, 'text')).toBe('json');
    expect(() => chosenFormat({ json: true, format: 'md' }, 'text')).toThrow(
      /--json conflicts with --format md/,
    );
  });

  it('parses positive integers', () => {
    expect(positiveInteger()('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'x', '']) expect(() => positiveInteger()(bad)).toThrow();
    expect(() => positiveInteger(10)('11')).toThrow(/from 1 to 10/);
  });
});

describe('terminal width and colours', () => {
  it('uses the terminal width only on a TTY', () => {
    expect(terminalColumns({ isTTY: true, columns: 132 } as { isTTY: boolean }, 80)).toBe(132);
    expect(terminalColumns({ isTTY: false }, 80)).toBe(80);
    expect(proseWidth({ isTTY: true, columns: 200 } as { isTTY: boolean })).toBe(100);
  });

  it('colours only on a TTY, never with --no-color or NO_COLOR', () => {
    expect(colorsFor({ isTTY: true }, true, {}).red('x')).not.toBe('x');
    expect(colorsFor({ isTTY: false }, true, {}).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, false, {}).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, true, { NO_COLOR: '1' }).red('x')).toBe('x');
  });

  it('kb show is coloured on a terminal and plain with --no-color', async () => {
    const show = async (args: string[]): Promise<string> => {
      let out = '';
      const env = { ...process.env };
      delete env.NO_COLOR;
      await run(['node', 'atlasguard', ...args], {
        stdout: { isTTY: true, write: (chunk: string) => ((out += chunk), true) },
        stderr: { write: () => true },
        env,
        cwd: process.cwd(),
      });
      return out;
    };
    expect(await show(['kb', 'show', 'AML.T0051'])).toContain('\u001b[');
    expect(await show(['--no-color', 'kb', 'show', 'AML.T0051'])).not.toContain('\u001b[');
  });
});
