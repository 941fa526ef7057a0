import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/rng.js';
import { csvReader } from './csv-reader.js';
import { jsonlReader } from './jsonl-reader.js';
import { openDataset } from './open-dataset.js';
import type { ReadItem } from './record-types.js';

async function collect(items: AsyncGenerator<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

function chunked(bytes: Uint8Array, size: number): () => AsyncIterable<Uint8Array> {
  return async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    await Promise.resolve();
  };
}

const csv = (text: string | Uint8Array, size = 7, delimiter: ',' | '\t' = ',', maxRecordBytes?: number) =>
  collect(
    csvReader('mem.csv', {
      delimiter,
      open: chunked(typeof text === 'string' ? Buffer.from(text) : text, size),
      ...(maxRecordBytes !== undefined ? { limits: { maxRecordBytes } } : {}),
    }).items(),
  );

describe('CSV reader', () => {
  it('reads RFC 4180 quoting, multi-line fields, CRLF and a BOM', async () => {
    const items = await csv('\uFEFFid,text\r\n1,"a, ""quoted""\nline"\r\n2,plain\r\n\r\n3,\n');
    expect(items.map((i) => i.kind)).toEqual(['record', 'record', 'record']);
    expect(items[0]).toMatchObject({ row: 0, line: 2, values: { id: '1', text: 'a, "quoted"\nline' } });
    expect(items[1]).toMatchObject({ row: 1, line: 4, values: { text: 'plain' } });
    expect(items[2]).toMatchObject({ row: 2, line: 6, values: { id: '3', text: '' } });
  });

  it('reports malformed rows with line numbers and keeps reading', async () => {
    const bad = Buffer.concat([
      Buffer.from('a,b\n1,2\n3\n"x"y,1\nz"q,2\n'),
      Buffer.from([0x34, 0xff, 0x2c, 0x35, 0x0a]),
      Buffer.from('6,7\n'),
    ]);
    const items = await csv(bad);
    expect(
      items.map((i) => (i.kind === 'malformed' ? `${String(i.line)}:${i.reason.split(' ')[0] ?? ''}` : 'ok')),
    ).toEqual(['ok', '3:expected', '4:unexpected', '5:quote', '6:invalid', 'ok']);
    const enc = items[4];
    expect(enc?.kind === 'malformed' ? enc.column : 0).toBe(2);
    expect(items.map((i) => i.row)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reports a truncated file (open quote at the end) as a malformed row', async () => {
    const items = await csv('a,b\n1,2\n3,"unterminated\nmore text');
    expect(items[1]).toMatchObject({ kind: 'malformed', row: 1, line: 3 });
    expect(items[1]?.kind === 'malformed' ? items[1].reason : '').toMatch(/ends inside a quoted field/);
  });

  it('bounds record length', async () => {
    const long = `a,b\n1,"${'x'.repeat(500)}\n2,3\n`;
    const items = await csv(long, 64, ',', 100);
    expect(items[0]?.kind).toBe('malformed');
    expect(items.length).toBeGreaterThanOrEqual(1);
  });

  it('treats quotes inside unquoted TSV fields as text', async () => {
    const items = await csv('a\tb\n5" screen\t2\n', 3, '\t');
    expect(items[0]).toMatchObject({ kind: 'record', values: { a: '5" screen', b: '2' } });
  });

  it('never throws and never loses a row on random and mutated input (fuzz)', async () => {
    const random = seededRandom(42);
    const alphabet = ['a', ',', '"', '\n', '\r', '\t', 'é', '\u0000', ' ', '1'];
    for (let round = 0; round < 300; round++) {
      let body = 'h1,h2\n';
      const len = Math.floor(random() * 200);
      for (let i = 0; i < len; i++) body += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const bytes = Buffer.from(body);
      if (random() < 0.3) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      let items: ReadItem[];
      try {
        items = await csv(bytes, 1 + Math.floor(random() * 16), ',', 64);
      } catch (error) {
        // only a broken header may stop the read, with a positioned error
        expect(String(error)).toMatch(/header|UTF-16/);
        continue;
      }
      items.forEach((item, i) => {
        expect(item.row).toBe(i);
      });
    }
  });
});

describe('JSONL reader', () => {
  const jsonl = (text: string | Uint8Array, size = 5, maxRecordBytes?: number) =>
    collect(
      jsonlReader('mem.jsonl', {
        open: chunked(typeof text === 'string' ? Buffer.from(text) : text, size),
        ...(maxRecordBytes !== undefined ? { limits: { maxRecordBytes } } : {}),
      }).items(),
    );

  it('reads objects and reports malformed lines with their numbers', async () => {
    const items = await jsonl('{"a":1}\n\n[1,2]\n{"a":\n{"a":2}\r\n{"a":3}');
    expect(items.map((i) => `${i.kind}@${String(i.line)}`)).toEqual([
      'record@1',
      'malformed@3',
      'malformed@4',
      'record@5',
      'record@6',
    ]);
    expect(items.map((i) => i.row)).toEqual([0, 1, 2, 3, 4]);
  });

  it('flags over-long lines and invalid UTF-8', async () => {
    const long = `{"a":"${'x'.repeat(300)}"}\n{"b":1}\n`;
    const items = await jsonl(long, 16, 100);
    expect(items.map((i) => i.kind)).toEqual(['malformed', 'record']);
    const enc = await jsonl(
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    );
    expect(enc[0]).toMatchObject({ kind: 'malformed', line: 1, column: 7 });
  });

  it('reports a truncated last line', async () => {
    const items = await jsonl('{"a":1}\n{"a":2');
    expect(items[1]?.kind === 'malformed' ? items[1].reason : '').toMatch(/truncated/);
  });

  it('never throws on random input (fuzz)', async () => {
    const random = seededRandom(7);
    const alphabet = ['{', '}', '"', ':', ',', '\n', 'a', '1', '[', ']', '\\', 'ü'];
    for (let round = 0; round < 300; round++) {
      let body = '';
      const len = Math.floor(random() * 200);
      for (let i = 0; i < len; i++) body += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const items = await jsonl(body, 1 + Math.floor(random() * 9), 50);
      items.forEach((item, i) => {
        expect(item.row).toBe(i);
      });
    }
  });
});

describe('Parquet reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-parquet-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads rows by row group and reports a corrupt file with a hint', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ['a', 'b', 'c'] },
        { name: 'x', data: [1.5, 2.5, 3.5] },
        { name: 'n', data: [1n, 2n, 3n], type: 'INT64' },
      ],
      rowGroupSize: 2,
    });
    const path = join(dir, 't.parquet');
    writeFileSync(path, Buffer.from(buffer));
    const reader = await openDataset(path);
    expect(await reader.columns()).toEqual(['id', 'x', 'n']);
    const items = await collect(reader.items());
    expect(items.map((i) => (i.kind === 'record' ? i.values : i.reason))).toEqual([
      { id: 'a', x: 1.5, n: 1 },
      { id: 'b', x: 2.5, n: 2 },
      { id: 'c', x: 3.5, n: 3 },
    ]);
    // mutated files: an error with a position or rows (malformed or not), never a crash or a lost row
    const random = seededRandom(99);
    for (let round = 0; round < 60; round++) {
      const bytes = Buffer.from(buffer);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const mutated = join(dir, `m${String(round)}.parquet`);
      writeFileSync(mutated, bytes);
      try {
        const got = await collect((await openDataset(mutated)).items());
        got.forEach((item, i) => {
          expect(item.row).toBe(i);
        });
      } catch (error) {
        expect(String(error)).toMatch(/Parquet/);
      }
    }
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, Buffer.from(buffer).subarray(0, 40));
    await expect(collect((await openDataset(broken)).items())).rejects.toThrow(/Parquet/);
  });
});
