import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@atlasguard/io';
import { formatRecord } from '../read/csv-fields.js';
import { openDataset } from '../read/open-dataset.js';
import type { DatasetFormat, ReaderLimits } from '../read/record-types.js';

export interface QuarantineOptions {
  batchPath: string;
  format?: DatasetFormat;
  limits?: Partial<ReaderLimits>;
  outDir: string;
  /** Row → reasons; every other row is accepted. */
  quarantine: ReadonlyMap<number, readonly string[]>;
}

export interface QuarantineSummary {
  rows: number;
  accepted: number;
  quarantined: number;
  acceptedFile: string;
  quarantinedFile: string;
}

async function finishStream(stream: WriteStream, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => {
      resolve();
    });
  });
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function write(stream: WriteStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * Splits the batch into accepted rows (same format as the input; Parquet becomes JSONL) and quarantined rows
 * (JSONL with row, line, reasons and the raw row), written to temporary files and renamed into place only when
 * both are complete. Every row of the input lands in exactly one of the two files; the summary says how many.
 */
export async function writeQuarantine(options: QuarantineOptions): Promise<QuarantineSummary> {
  await mkdir(options.outDir, { recursive: true });
  const reader = await openDataset(options.batchPath, {
    ...(options.format ? { format: options.format } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const ext = reader.format === 'csv' ? 'csv' : reader.format === 'tsv' ? 'tsv' : 'jsonl';
  const acceptedFile = join(options.outDir, `accepted.${ext}`);
  const quarantinedFile = join(options.outDir, 'quarantined.jsonl');
  const tag = randomBytes(6).toString('hex');
  const acceptedTemp = join(options.outDir, `.accepted.${tag}.tmp`);
  const quarantinedTemp = join(options.outDir, `.quarantined.${tag}.tmp`);
  const accepted = createWriteStream(acceptedTemp, { flags: 'wx' });
  const quarantined = createWriteStream(quarantinedTemp, { flags: 'wx' });
  let rows = 0;
  let acceptedRows = 0;
  let quarantinedRows = 0;
  try {
    if (reader.format === 'csv' || reader.format === 'tsv') {
      const columns = (await reader.columns()) ?? [];
      await write(accepted, `${formatRecord(columns, reader.format === 'csv' ? ',' : '\t')}\n`);
    }
    for await (const item of reader.items()) {
      rows++;
      const reasons = options.quarantine.get(item.row);
      if (item.kind === 'malformed' || reasons) {
        quarantinedRows++;
        const entry = {
          row: item.row,
          line: item.line,
          reasons: reasons ?? [`malformed: ${item.kind === 'malformed' ? item.reason : ''}`],
          raw: item.raw,
        };
        await write(quarantined, `${JSON.stringify(entry)}\n`);
      } else {
        acceptedRows++;
        await write(accepted, `${item.raw}\n`);
      }
    }
    await finishStream(accepted, acceptedTemp);
    await finishStream(quarantined, quarantinedTemp);
    await rename(acceptedTemp, acceptedFile);
    await rename(quarantinedTemp, quarantinedFile);
  } catch (error) {
    accepted.destroy();
    quarantined.destroy();
    await rm(acceptedTemp, { force: true });
    await rm(quarantinedTemp, { force: true });
    throw error;
  }
  const summary: QuarantineSummary = {
    rows,
    accepted: acceptedRows,
    quarantined: quarantinedRows,
    acceptedFile,
    quarantinedFile,
  };
  await writeFileAtomic(join(options.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
