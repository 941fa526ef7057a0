import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { csvReader } from './csv-reader.js';
import { jsonlReader } from './jsonl-reader.js';
import { parquetReader } from './parquet-reader.js';
import type { DatasetFormat, DatasetReader, ReaderLimits } from './record-types.js';

const BY_EXTENSION: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

export function formatOf(path: string, explicit?: DatasetFormat): DatasetFormat {
  if (explicit) return explicit;
  const format = BY_EXTENSION[extname(path).toLowerCase()];
  if (!format) {
    throw new AtlasGuardError(`cannot tell the format of ${path} from its extension`, {
      exitCode: ExitCode.Usage,
      hint: 'use .csv, .tsv, .jsonl, .ndjson or .parquet, or pass --input-format',
    });
  }
  return format;
}

/** Opens a dataset file for streaming; checks that it exists and is a regular file. */
export async function openDataset(
  path: string,
  options: { format?: DatasetFormat; limits?: Partial<ReaderLimits> } = {},
): Promise<DatasetReader & { bytes: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        position: { file: path },
        hint: 'check the path; a dataset is one CSV, TSV, JSONL or Parquet file',
        cause: error,
      },
    );
  }
  const format = formatOf(path, options.format);
  const limits = options.limits ?? {};
  const reader =
    format === 'csv'
      ? csvReader(path, { delimiter: ',', limits })
      : format === 'tsv'
        ? csvReader(path, { delimiter: '\t', limits })
        : format === 'jsonl'
          ? jsonlReader(path, { limits })
          : parquetReader(path);
  return Object.assign(reader, { bytes: size });
}
