import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanData } from '../scan/scan-data.js';
import { writeQuarantine } from './write-quarantine.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-quarantine-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const baselineCsv = `id,text,label\n${Array.from({ length: 200 }, (_, i) => `${String(i)},"plain message number ${String(i)}, with a comma",${i % 2 === 0 ? 'a' : 'b'}`).join('\n')}\n`;

describe('quarantine of a damaged CSV batch', () => {
  it('reports encoding errors, broken quoting and truncation, and loses no row', async () => {
    const baseline = join(dir, 'base.csv');
    writeFileSync(baseline, baselineCsv);
    const parts = [
      Buffer.from('id,text,label\n'),
      Buffer.from('1,"a multi-line\nmessage, quoted ""properly""",a\n'),
      Buffer.from('2,bad byte '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' here,b\n'),
      Buffer.from('3,too,many,fields,a\n'),
      Buffer.from('4,"closed" then text,a\n'),
      Buffer.from('5,fine,b\n'),
      Buffer.from('6,"truncated in the middle of a quoted field\nand the file ends'),
    ];
    const batch = join(dir, 'batch.csv');
    writeFileSync(batch, Buffer.concat(parts));
    const { report, quarantine } = await scanData({
      batchPath: batch,
      baselinePath: baseline,
      roles: { id: 'id', text: 'text', label: 'label' },
      failOn: 'medium',
      tool: { name: 'atlasguard', version: 'test' },
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    expect(report.batch).toMatchObject({ rows: 6, malformedRows: 4 });
    const malformed = report.findings
      .filter((f) => f.ruleId === 'data.row.malformed')
      .map((f) => `${String(f.location?.row)}@${String(f.location?.line)}: ${f.message}`);
    expect(malformed).toEqual([
      expect.stringMatching(/^1@4: .*invalid UTF-8 byte 0xff/),
      expect.stringMatching(/^2@5: .*expected 3 fields, found 5/),
      expect.stringMatching(/^3@6: .*after a closing quote/),
      expect.stringMatching(/^5@8: .*ends inside a quoted field/),
    ]);
    const out = join(dir, 'q');
    const summary = await writeQuarantine({ batchPath: batch, outDir: out, quarantine });
    expect(summary).toMatchObject({ rows: 6, accepted: 2, quarantined: 4 });
    const accepted = readFileSync(join(out, 'accepted.csv'), 'utf8');
    expect(accepted).toBe('id,text,label\n1,"a multi-line\nmessage, quoted ""properly""",a\n5,fine,b\n');
    const q = readFileSync(join(out, 'quarantined.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; reasons: string[]; raw: string });
    expect(q.map((e) => e.row)).toEqual([1, 2, 3, 5]);
    expect(q[3]?.raw).toContain('truncated in the middle');
    expect(readdirSync(out).sort()).toEqual(['accepted.csv', 'quarantined.jsonl', 'summary.json']);
  });
});
