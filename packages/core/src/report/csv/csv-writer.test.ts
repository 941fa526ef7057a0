import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { fixtureAssessment } from '../matrix/test-support/assessment-fixture.js';
import { csvField } from './csv-encode.js';
import { RISK_REGISTER_COLUMNS, writeCsv } from './csv-writer.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'citizen-assistant.csv');
const catalog = testCatalog('5.6.0');
const assessment = fixtureAssessment(catalog);
const output = writeCsv(assessment, catalog);

/** A strict RFC 4180 parser, independent of the writer, to read the output back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`quote inside unquoted field at ${String(i)}`);
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${String(i)}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (c === '\n') throw new Error(`bare LF at ${String(i)}`);
    else field += c;
    i++;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

describe('CSV risk register writer', () => {
  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, output);
    }
    expect(output).toBe(readFileSync(golden, 'utf8'));
  });

  it('is RFC 4180: CRLF records of equal width, a header, one row per risk in rank order', () => {
    const records = parseCsv(output);
    expect(records[0]).toEqual([...RISK_REGISTER_COLUMNS]);
    expect(records).toHaveLength(assessment.risks.length + 1);
    for (const r of records) expect(r).toHaveLength(RISK_REGISTER_COLUMNS.length);
    expect(records.slice(1).map((r) => r[1])).toEqual(assessment.risks.map((r) => r.id));
  });

  it('round-trips quotes, commas and line breaks', () => {
    const records = parseCsv(output);
    const t0051 = records.find((r) => r[1] === 'AML.T0051.001')!;
    expect(t0051[7]).toBe('Assistant LLM; =HYPERLINK("http://evil.example","docs")');
    // The same asset name at the start of a cell is defused.
    expect(records.find((r) => r[1] === 'AML.T0070')?.[7]).toBe('\'=HYPERLINK("http://evil.example","docs")');
    expect(t0051[23]).toContain('| via "chat"');
    expect(parseCsv(`${csvField('a,b\r\nc "d"')}\r\n`)).toEqual([['a,b\r\nc "d"']]);
  });

  it('neutralises spreadsheet formulas in every text cell', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const field = csvField(`${start}cmd|' /C calc'!A0`);
      const [[value]] = parseCsv(`${field}\r\n`) as [[string]];
      expect(value.startsWith("'"), JSON.stringify(start)).toBe(true);
    }
    expect(csvField('safe text')).toBe('safe text');
    expect(csvField(-3)).toBe('-3');
    for (const record of parseCsv(output))
      for (const cell of record) expect(cell, cell).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
  });

  it('survives random text (always parseable, never a live formula)', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '=+-@\t\r\n",; aé😀\'';
    for (let i = 0; i < 500; i++) {
      const input = Array.from(
        { length: Math.floor(rand() * 20) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      const [[value]] = parseCsv(`${csvField(input)}\r\n`) as [[string]];
      expect(value === input || value === `'${input}`).toBe(true);
      expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});
