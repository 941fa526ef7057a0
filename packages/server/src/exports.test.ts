import { readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  writeCsv,
  writeHtml,
  writeJson,
  writeMarkdown,
  writeNavigator,
  writeSarifAssessment,
} from '@atlasguard/core';
import { testCatalog } from '../../../test/catalog-fixture.js';
import { asAssessment } from './assessment-views.js';
import { RISK_EXPORT_HEADER } from './routes-exports.js';
import { makeHarness, type Harness } from './test-support/harness.js';
import { columnName, writeXlsx, zip } from './xlsx-writer.js';

const EXAMPLE = readFileSync(
  new URL('../../../examples/card-fraud-scoring/atlasguard.yaml', import.meta.url),
  'utf8',
);
const catalog = testCatalog();

/** Reads a ZIP back (central directory → local entries), checking sizes and CRC-32. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThanOrEqual(0);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28);
    const elen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    p += 46 + nlen + elen + clen;
  }
  return out;
}

const unxml = (s: string): string =>
  s
    .replace(/&#13;/g, '\r')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The cells of sheet1 as rows of strings (inline strings and numbers), by A1 reference. */
function readSheet(files: Map<string, Buffer>): string[][] {
  const xml = files.get('xl/worksheets/sheet1.xml')?.toString('utf8') ?? '';
  const rows: string[][] = [];
  for (const row of xml.matchAll(/<row r="(\d+)">([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of (row[2] ?? '').matchAll(
      /<c r="([A-Z]+)\d+"[^>]*>(?:<is><t[^>]*>([\s\S]*?)<\/t><\/is>|<v>([\s\S]*?)<\/v>)<\/c>/g,
    )) {
      let col = 0;
      for (const ch of c[1] ?? '') col = col * 26 + ch.charCodeAt(0) - 64;
      cells[col - 1] = unxml(c[2] ?? c[3] ?? '');
    }
    rows[Number(row[1]) - 1] = Array.from(cells, (v: string | undefined) => v ?? '');
  }
  return rows;
}

/** RFC 4180 parse (quoted fields, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('exports', () => {
  let h: Harness;
  let sys: string;
  const HOSTILE = [
    '=HYPERLINK("http://evil")',
    '+1+1',
    '-2',
    '@SUM(A1)',
    '\tTAB',
    '\rCR',
    'a & <b> "c"\u0001',
  ];

  beforeAll(async () => {
    h = await makeHarness({ catalog });
    const res = await h.call('POST', '/api/systems', {
      cookie: h.cookies.security,
      body: { slug: 'fraud', name: 'Fraud, "scoring"' },
    });
    sys = ((await res.json()) as { id: string }).id;
    await h.call('POST', `/api/systems/${sys}/models`, {
      cookie: h.cookies.security,
      body: { yaml: EXAMPLE },
    });
    for (const title of HOSTILE)
      expect(
        (
          await h.call('POST', `/api/systems/${sys}/risks`, {
            cookie: h.cookies.risk,
            body: { title: title.trim() === '' ? 'x' : title, level: 'low', notes: title },
          })
        ).status,
      ).toBe(201);
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('reports of the latest run are byte for byte what the core writers produce for the stored run', async () => {
    const runs = (await (
      await h.call('GET', `/api/systems/${sys}/runs`, { cookie: h.cookies.viewer })
    ).json()) as { items: { id: string }[] };
    const run = (await (
      await h.call('GET', `/api/runs/${runs.items[0]!.id}`, { cookie: h.cookies.viewer })
    ).json()) as { result: unknown };
    const a = asAssessment(run.result)!;
    const writers = {
      html: writeHtml,
      md: writeMarkdown,
      json: writeJson,
      sarif: writeSarifAssessment,
      navigator: writeNavigator,
      csv: writeCsv,
    };
    for (const [format, writer] of Object.entries(writers)) {
      const res = await h.call('GET', `/api/systems/${sys}/report?format=${format}`, {
        cookie: h.cookies.viewer,
      });
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="fraud-atlasguard\\.`),
      );
      expect(res.headers.get('x-run-id')).toBe(runs.items[0]!.id);
      expect(
        Buffer.from(await res.arrayBuffer()).equals(Buffer.from(writer(a, catalog), 'utf8')),
        format,
      ).toBe(true);
    }
    expect(
      (
        await h.call('GET', `/api/systems/${sys}/report?format=html`, { cookie: h.cookies.viewer })
      ).headers.get('content-type'),
    ).toBe('text/html; charset=utf-8');
    expect(
      (await h.call('GET', `/api/systems/${sys}/report?format=pdf`, { cookie: h.cookies.viewer })).status,
    ).toBe(400);
    const empty = await h.call('POST', '/api/systems', {
      cookie: h.cookies.security,
      body: { slug: 'none', name: 'None' },
    });
    const emptyId = ((await empty.json()) as { id: string }).id;
    const none = await h.call('GET', `/api/systems/${emptyId}/report`, { cookie: h.cookies.viewer });
    expect(none.status).toBe(404);
  });

  it('risk CSV: every register row, formula-looking cells neutralised, the rest untouched', async () => {
    const res = await h.call('GET', `/api/risks/export?format=csv&systemId=${sys}`, {
      cookie: h.cookies.viewer,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="atlasguard-risks-2026-06-01\.csv"$/,
    );
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([...RISK_EXPORT_HEADER]);
    const body = rows.slice(1);
    expect(body.length).toBe(79 + HOSTILE.length);
    const manual = body.filter((r) => r[3] === '');
    expect(manual.map((r) => r[13]).sort()).toEqual(
      [
        '\'=HYPERLINK("http://evil")',
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
        'a & <b> "c"\u0001',
      ].sort(),
    );
    // hard negatives: ordinary text and technique IDs are not prefixed
    expect(body.every((r) => r[1] === 'fraud' && r[2] === 'Fraud, "scoring"')).toBe(true);
    expect(body.some((r) => r[3] === 'AML.T0010' && r[5] === 'high')).toBe(true);
    const high = await h.call('GET', `/api/risks/export?format=csv&systemId=${sys}&level=critical`, {
      cookie: h.cookies.viewer,
    });
    const highRows = parseCsv(await high.text()).slice(1);
    expect(highRows.length).toBeGreaterThan(0);
    expect(highRows.every((r) => r[5] === 'critical')).toBe(true);
  });

  it('risk XLSX: a valid zip whose sheet reads back to the same cells (text, never formulas)', async () => {
    const res = await h.call('GET', `/api/risks/export?format=xlsx&systemId=${sys}`, {
      cookie: h.cookies.viewer,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    expect([...files.keys()].sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
      ].sort(),
    );
    const sheet = readSheet(files);
    expect(sheet[0]).toEqual([...RISK_EXPORT_HEADER]);
    expect(sheet.length).toBe(1 + 79 + HOSTILE.length);
    const csv = parseCsv(
      await (
        await h.call('GET', `/api/risks/export?format=csv&systemId=${sys}`, { cookie: h.cookies.viewer })
      ).text(),
    );
    const strip = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);
    for (let i = 1; i < csv.length; i++)
      expect(sheet[i], `row ${String(i)}`).toEqual(
        csv[i]!.map(strip).map((v) => v.replaceAll('\u0001', '\uFFFD')),
      );
    const xml = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(xml).not.toContain('<f>');
    expect(xml).toContain('=HYPERLINK(&quot;http://evil&quot;)');
    expect(xml).not.toContain('\u0001');
  });

  it('xlsx writer: column names, number cells, empty sheet, deterministic bytes', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
    const a = writeXlsx(
      'S/1',
      ['n', 'text'],
      [
        [1.5, 'x'],
        [null, 'y'],
      ],
    );
    expect(
      a.equals(
        writeXlsx(
          'S/1',
          ['n', 'text'],
          [
            [1.5, 'x'],
            [null, 'y'],
          ],
        ),
      ),
    ).toBe(true);
    const rows = readSheet(unzip(a));
    expect(rows).toEqual([
      ['n', 'text'],
      ['1.5', 'x'],
      ['', 'y'],
    ]);
    expect(unzip(a).get('xl/workbook.xml')!.toString()).toContain('name="S 1"');
    expect(readSheet(unzip(writeXlsx('E', ['h'], [])))).toEqual([['h']]);
    expect(unzip(zip([])).size).toBe(0);
  });

  it('a token scoped to one system exports only its risks', async () => {
    const other = await h.call('POST', '/api/systems', {
      cookie: h.cookies.security,
      body: { slug: 'other', name: 'Other' },
    });
    const otherId = ((await other.json()) as { id: string }).id;
    await h.call('POST', `/api/systems/${otherId}/risks`, {
      cookie: h.cookies.risk,
      body: { title: 'elsewhere', level: 'high' },
    });
    const t = await h.call('POST', '/api/tokens', {
      cookie: h.cookies.security,
      body: { name: 'r', actions: ['reports:read'], systems: [sys] },
    });
    const { token } = (await t.json()) as { token: string };
    const rows = parseCsv(await (await h.call('GET', '/api/risks/export', { token })).text()).slice(1);
    expect(rows.length).toBe(79 + HOSTILE.length);
    expect(rows.some((r) => r[4] === 'elsewhere')).toBe(false);
    expect((await h.call('GET', `/api/risks/export?systemId=${otherId}`, { token })).status).toBe(403);
  });
});
