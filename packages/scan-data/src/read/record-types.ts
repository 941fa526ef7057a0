/** One data row as read from a dataset file. `row` is the 0-based index among the file's data rows. */
export interface RecordItem {
  kind: 'record';
  row: number;
  /** 1-based line where the row starts (Parquet: 0 is not used; the row group's first row maps to line 1). */
  line: number;
  values: Readonly<Record<string, unknown>>;
  /** The row as it appeared in the file (CSV/JSONL text; Parquet: canonical JSON). */
  raw: string;
}

/** A row that could not be read. It keeps its row number so nothing disappears from the output. */
export interface MalformedItem {
  kind: 'malformed';
  row: number;
  line: number;
  column?: number;
  reason: string;
  raw: string;
}

export type ReadItem = RecordItem | MalformedItem;

export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export interface DatasetReader {
  readonly path: string;
  readonly format: DatasetFormat;
  /** Column names known before reading rows (CSV header, Parquet schema); JSONL: undefined. */
  columns(): Promise<readonly string[] | undefined>;
  items(): AsyncGenerator<ReadItem>;
}

export interface ReaderLimits {
  /** Longest CSV record or JSONL line accepted, in bytes. */
  maxRecordBytes: number;
  /** Most columns accepted in a header. */
  maxColumns: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { maxRecordBytes: 8 * 1024 * 1024, maxColumns: 4096 };

/** How much of an over-long or broken row is kept for the quarantine file. */
export const MAX_RAW_KEPT = 64 * 1024;
