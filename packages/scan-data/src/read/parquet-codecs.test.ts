import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/rng.js';
import { openDataset } from './open-dataset.js';
import { runtimeZstd } from './parquet-codecs.js';
import type { ReadItem } from './record-types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-parquet-codecs-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const ROWS = 300;
const text = Array.from({ length: ROWS }, (_, i) => `document ${String(i)} ${'words repeat '.repeat(i % 7)}`);
const score = Array.from({ length: ROWS }, (_, i) => i / 4);

type Codec = 'GZIP' | 'BROTLI' | 'ZSTD';
type Compress = (input: Uint8Array) => Uint8Array;

/** A Parquet file written by hyparquet-writer with pages compressed by `compress` under the name `codec`. */
async function write(
  name: string,
  codec: Codec,
  compress: Compress,
): Promise<{ path: string; bytes: Buffer }> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'text', data: text },
      { name: 'score', data: score, type: 'DOUBLE' },
    ],
    rowGroupSize: 100,
    codec,
    compressors: { [codec]: compress },
  });
  const path = join(dir, name);
  const bytes = Buffer.from(buffer);
  writeFileSync(path, bytes);
  return { path, bytes };
}

const gzip: Compress = (b) => new Uint8Array(zlib.gzipSync(b));
const brotli: Compress = (b) => new Uint8Array(zlib.brotliCompressSync(b));

describe('Parquet page codecs', () => {
  for (const [codec, compress] of [
    ['GZIP', gzip],
    ['BROTLI', brotli],
  ] as const) {
    it(`reads ${codec} pages`, async () => {
      const { path } = await write(`${codec}.parquet`, codec, compress);
      const items = await collect((await openDataset(path)).items());
      expect(items).toHaveLength(ROWS);
      expect(items.every((i) => i.kind === 'record')).toBe(true);
      expect(items[37]).toMatchObject({ kind: 'record', values: { text: text[37], score: score[37] } });
    });
  }

  it('ZSTD: decoded where the runtime has zstd, otherwise a clear inconclusive error before any row', async () => {
    const zstdCompress = (zlib as unknown as { zstdCompressSync?: (b: Uint8Array) => Buffer })
      .zstdCompressSync;
    // without a zstd encoder the pages are stored as they are but labelled ZSTD: the label is what is checked
    const { path } = await write(
      'zstd.parquet',
      'ZSTD',
      zstdCompress ? (b) => new Uint8Array(zstdCompress(b)) : (b) => b,
    );
    const reader = await openDataset(path);
    if (runtimeZstd() && zstdCompress) {
      const items = await collect(reader.items());
      expect(items.filter((i) => i.kind === 'record')).toHaveLength(ROWS);
    } else {
      await expect(collect(reader.items())).rejects.toThrow(
        /column "text" is ZSTD-compressed, which this Node\.js v\d+\.\d+\.\d+ cannot decompress; the scan is inconclusive/,
      );
    }
  });

  it('stops a decompression bomb at the page size the header declares; rows stay counted', async () => {
    // each page decompresses to 4 MiB more than its header says
    const bomb: Compress = (b) =>
      new Uint8Array(zlib.brotliCompressSync(Buffer.concat([b, Buffer.alloc(4 << 20)])));
    const { path } = await write('bomb.parquet', 'BROTLI', bomb);
    const items = await collect((await openDataset(path)).items());
    expect(items).toHaveLength(ROWS);
    expect(items.every((i) => i.kind === 'malformed')).toBe(true);
    expect(items[0]?.kind === 'malformed' ? items[0].reason : '').toMatch(/row group could not be decoded/);
  });

  it('never crashes or loses a row on mutated compressed files (fuzz)', async () => {
    const random = seededRandom(2026);
    for (const [codec, compress] of [
      ['GZIP', gzip],
      ['BROTLI', brotli],
    ] as const) {
      const { bytes } = await write(`fuzz-${codec}.parquet`, codec, compress);
      for (let round = 0; round < 40; round++) {
        const mutated = Buffer.from(bytes);
        for (let k = 0; k < 1 + Math.floor(random() * 6); k++)
          mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
        const path = join(dir, `fuzz-${codec}-${String(round)}.parquet`);
        writeFileSync(path, mutated);
        try {
          const items = await collect((await openDataset(path)).items());
          items.forEach((item, i) => {
            expect(item.row).toBe(i);
          });
        } catch (error) {
          expect(String(error)).toMatch(/Parquet/);
        }
      }
    }
  });
});
