import { AtlasGuardError } from '@atlasguard/core';
import { canonicalJson } from '../hash/canonical-json.js';
import { parquetDecompressors, supportedParquetCodecs } from './parquet-codecs.js';
import type { DatasetReader, ReadItem } from './record-types.js';

/** Converts Parquet cell values to JSON-safe values (BigInt → number or string, dates → ISO strings). */
export function jsonSafe(value: unknown, depth = 0): unknown {
  if (depth > 32) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, depth + 1);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/**
 * Parquet reader on hyparquet (pure JS, no dependencies): reads one row group at a time, so memory is
 * bounded by the largest row group. A row group that cannot be decoded yields one malformed item per row.
 */
export function parquetReader(path: string): DatasetReader {
  type Hy = typeof import('hyparquet');
  let lib: Hy | undefined;
  const load = async (): Promise<Hy> => (lib ??= await import('hyparquet'));
  const fail = (error: unknown): never => {
    throw new AtlasGuardError(
      `cannot read Parquet metadata: ${error instanceof Error ? error.message : String(error)}`,
      {
        position: { file: path },
        hint: 'the file is not Parquet, or it is truncated or corrupt',
        cause: error,
      },
    );
  };

  async function open(): Promise<{
    hy: Hy;
    file: Awaited<ReturnType<Hy['asyncBufferFromFile']>>;
    metadata: Awaited<ReturnType<Hy['parquetMetadataAsync']>>;
  }> {
    const hy = await load();
    const file = await hy.asyncBufferFromFile(path);
    let metadata: Awaited<ReturnType<Hy['parquetMetadataAsync']>>;
    try {
      metadata = await hy.parquetMetadataAsync(file);
      // a schema that cannot be built would otherwise fail inside hyparquet after its column reads have
      // started, leaving their rejections unobserved
      hy.parquetSchema(metadata);
    } catch (error) {
      return fail(error);
    }
    // a codec this runtime cannot decode makes the whole file unreadable: say so before reading any row
    const supported = supportedParquetCodecs();
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        const codec = chunk.meta_data?.codec;
        if (codec === undefined || supported.has(codec)) continue;
        throw new AtlasGuardError(
          `Parquet column ${JSON.stringify(chunk.meta_data?.path_in_schema.join('.') ?? '?')} is ${codec}-compressed, which this Node.js ${process.version} cannot decompress; the scan is inconclusive`,
          {
            position: { file: path },
            hint:
              codec === 'ZSTD'
                ? 'zstd needs Node.js 22.15 or later (node:zlib); or rewrite the file with SNAPPY, GZIP or BROTLI pages'
                : 'rewrite the file with SNAPPY, GZIP, BROTLI or ZSTD pages',
          },
        );
      }
    }
    return { hy, file, metadata };
  }

  async function* iterate(): AsyncGenerator<ReadItem> {
    const { hy, file, metadata } = await open();
    // a corrupt footer can claim absurd row counts; check them before yielding one item per row
    const counts = metadata.row_groups.map((g) => Number(g.num_rows));
    const total = counts.reduce((a, b) => a + b, 0);
    if (
      counts.some((c) => !Number.isSafeInteger(c) || c < 0 || c > 2 ** 31) ||
      total !== Number(metadata.num_rows)
    ) {
      fail(
        new Error(
          `row counts of the row groups (${String(total)}) do not match the file (${String(metadata.num_rows)})`,
        ),
      );
    }
    let columnNames: string[];
    try {
      columnNames = hy.parquetSchema(metadata).children.map((c) => c.element.name);
    } catch (error) {
      return fail(error);
    }
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const count = Number(group.num_rows);
      const rowEnd = rowStart + count;
      let rows: Array<Record<string, unknown>> | undefined;
      let problem: string | undefined;
      try {
        // one column at a time: hyparquet reads the columns of a call in parallel, and on a corrupt file
        // a failing column's sibling could reject while nothing observes it
        for (const name of columnNames) {
          const part = (await hy.parquetReadObjects({
            file,
            metadata,
            rowStart,
            rowEnd,
            columns: [name],
            compressors: parquetDecompressors(),
          })) as Array<Record<string, unknown>>;
          if (!rows) rows = part.map(() => ({}));
          for (let k = 0; k < rows.length; k++) {
            const target = rows[k];
            const source = part[k];
            if (target && source && Object.hasOwn(source, name)) target[name] = source[name];
          }
        }
      } catch (error) {
        rows = undefined;
        problem = `row group could not be decoded: ${error instanceof Error ? error.message : String(error)}`;
      }
      for (let k = 0; k < count; k++) {
        const row = rowStart + k;
        const source = rows?.[k];
        if (source === undefined) {
          yield {
            kind: 'malformed',
            row,
            line: row + 1,
            reason: problem ?? 'row missing from its row group',
            raw: '',
          };
          continue;
        }
        const values = jsonSafe(source) as Record<string, unknown>;
        yield { kind: 'record', row, line: row + 1, values, raw: canonicalJson(values) };
      }
      rowStart = rowEnd;
    }
  }

  return {
    path,
    format: 'parquet',
    columns: async () => {
      const { hy, metadata } = await open();
      try {
        return hy.parquetSchema(metadata).children.map((c) => c.element.name);
      } catch (error) {
        return fail(error);
      }
    },
    items: iterate,
  };
}
