import { createReadStream } from 'node:fs';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { splitRecord } from './csv-fields.js';
import {
  DEFAULT_READER_LIMITS,
  MAX_RAW_KEPT,
  type DatasetReader,
  type ReadItem,
  type ReaderLimits,
} from './record-types.js';
import { decodeUtf8, lineColumnAt } from './utf8.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Raw record bytes found by the boundary scanner, before decoding. */
interface RawRecord {
  bytes: Uint8Array;
  line: number;
  /** Set when the record could not be delimited (unterminated quote, over-long). */
  problem?: string;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Finds record boundaries in a byte stream: newlines end a record except inside quoted fields.
 * Works on bytes (UTF-8 keeps ASCII delimiters intact), so a bad byte cannot desynchronise it.
 */
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  delimiterByte: number,
  maxRecordBytes: number,
): AsyncGenerator<RawRecord> {
  let pending: Buffer = Buffer.alloc(0);
  let scanPos = 0;
  let state: State = State.FieldStart;
  let line = 1;
  let newlinesInside = 0;
  let skipping = false;
  let skippedHead: Buffer | undefined;
  let first = true;
  for await (const chunk of chunks) {
    let buf = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      else if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
        throw new AtlasGuardError('the file is UTF-16 encoded; only UTF-8 is read', {
          exitCode: ExitCode.Error,
          hint: 'convert it, e.g. `iconv -f UTF-16 -t UTF-8 IN > OUT`',
        });
      }
    }
    let start = 0;
    let i = scanPos;
    const n = buf.length;
    for (; i < n; i++) {
      const b = buf[i];
      if (skipping) {
        if (b === LF) {
          yield {
            bytes: skippedHead ?? Buffer.alloc(0),
            line,
            problem: `record is longer than ${String(maxRecordBytes)} bytes (an unterminated quote?); kept the first ${String(MAX_RAW_KEPT)} bytes`,
          };
          line += newlinesInside + 1;
          newlinesInside = 0;
          skipping = false;
          skippedHead = undefined;
          start = i + 1;
          state = State.FieldStart;
        }
        continue;
      }
      switch (state) {
        case State.FieldStart:
          if (b === QUOTE) state = State.Quoted;
          else if (b === LF) {
            yield* emit(buf, start, i);
            start = i + 1;
          } else if (b !== delimiterByte) state = State.Unquoted;
          break;
        case State.Unquoted:
          if (b === delimiterByte) state = State.FieldStart;
          else if (b === LF) {
            yield* emit(buf, start, i);
            start = i + 1;
            state = State.FieldStart;
          }
          break;
        case State.Quoted:
          if (b === QUOTE) state = State.QuoteInQuoted;
          else if (b === LF) newlinesInside++;
          break;
        case State.QuoteInQuoted:
          if (b === QUOTE) state = State.Quoted;
          else if (b === delimiterByte) state = State.FieldStart;
          else if (b === LF) {
            yield* emit(buf, start, i);
            start = i + 1;
            state = State.FieldStart;
          } else if (b !== CR) state = State.Unquoted;
          break;
      }
      if (i - start > maxRecordBytes) {
        skipping = true;
        skippedHead = Buffer.from(buf.subarray(start, start + MAX_RAW_KEPT));
        // newlines inside the skipped part were counted while quoted; keep counting them while skipping
      }
    }
    if (skipping) {
      pending = Buffer.alloc(0);
      scanPos = 0;
    } else {
      pending = buf.subarray(start);
      scanPos = n - start;
    }
  }
  if (skipping) {
    yield {
      bytes: skippedHead ?? Buffer.alloc(0),
      line,
      problem: `record is longer than ${String(maxRecordBytes)} bytes and the file ends inside it (truncated?)`,
    };
  } else if (pending.length > 0) {
    if (state === State.Quoted) {
      yield {
        bytes: pending.subarray(0, MAX_RAW_KEPT),
        line,
        problem: 'the file ends inside a quoted field (truncated file or unterminated quote)',
      };
    } else yield* emit(pending, 0, pending.length);
  }

  function* emit(buf: Buffer, s: number, e: number): Generator<RawRecord> {
    let end = e;
    if (end > s && buf[end - 1] === CR) end--;
    const recordLine = line;
    line += newlinesInside + 1;
    newlinesInside = 0;
    if (end === s) return; // an empty line is not a row
    yield { bytes: buf.subarray(s, end), line: recordLine };
  }
}

export interface CsvReaderOptions {
  delimiter: ',' | '\t';
  limits?: Partial<ReaderLimits>;
  /** Reads chunks; tests pass in-memory chunks. */
  open?: () => AsyncIterable<Uint8Array>;
}

/** Streaming CSV/TSV reader: header row, then one item per record; malformed records are items too. */
export function csvReader(path: string, options: CsvReaderOptions): DatasetReader {
  const limits = { ...DEFAULT_READER_LIMITS, ...options.limits };
  const delimiter = options.delimiter;
  const strict = delimiter === ',';
  const open =
    options.open ?? (() => createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>);
  let header: string[] | undefined;

  async function readHeader(): Promise<string[] | undefined> {
    const first = iterate(true);
    await first.next();
    await first.return(undefined);
    return header;
  }

  async function* iterate(headerOnly: boolean): AsyncGenerator<ReadItem> {
    let row = 0;
    let headerSeen = false;
    for await (const rec of csvRecords(open(), delimiter.charCodeAt(0), limits.maxRecordBytes)) {
      const decoded = decodeUtf8(rec.bytes);
      if (!headerSeen) {
        if (rec.problem !== undefined || !('text' in decoded)) {
          const where =
            'invalidAt' in decoded
              ? lineColumnAt(rec.bytes, decoded.invalidAt, rec.line)
              : { line: rec.line };
          throw new AtlasGuardError(
            rec.problem !== undefined
              ? `cannot read the header: ${rec.problem}`
              : 'the header is not valid UTF-8',
            {
              position: { file: path, ...where },
              hint: 'the first row must be a UTF-8 header of column names',
            },
          );
        }
        const split = splitRecord(decoded.text, delimiter, strict);
        if ('error' in split) {
          throw new AtlasGuardError(`cannot read the header: ${split.error}`, {
            position: { file: path, line: rec.line, column: split.column },
            hint: 'the first row must be the column names',
          });
        }
        if (split.fields.length > limits.maxColumns) {
          throw new AtlasGuardError(
            `the header has ${String(split.fields.length)} columns (limit ${String(limits.maxColumns)})`,
            {
              position: { file: path, line: rec.line },
            },
          );
        }
        header = uniqueNames(split.fields, path, rec.line);
        headerSeen = true;
        if (headerOnly) return;
        continue;
      }
      const names = header ?? [];
      const rawText =
        'text' in decoded
          ? decoded.text
          : Buffer.from(rec.bytes.subarray(0, MAX_RAW_KEPT)).toString('latin1');
      if (rec.problem !== undefined) {
        yield { kind: 'malformed', row: row++, line: rec.line, reason: rec.problem, raw: rawText };
        continue;
      }
      if (!('text' in decoded)) {
        const at = lineColumnAt(rec.bytes, decoded.invalidAt, rec.line);
        yield {
          kind: 'malformed',
          row: row++,
          line: at.line,
          column: at.column,
          reason: `invalid UTF-8 byte 0x${(rec.bytes[decoded.invalidAt] ?? 0).toString(16).padStart(2, '0')}`,
          raw: rawText,
        };
        continue;
      }
      const split = splitRecord(decoded.text, delimiter, strict);
      if ('error' in split) {
        yield {
          kind: 'malformed',
          row: row++,
          line: rec.line,
          column: split.column,
          reason: split.error,
          raw: rawText,
        };
        continue;
      }
      if (split.fields.length !== names.length) {
        yield {
          kind: 'malformed',
          row: row++,
          line: rec.line,
          reason: `expected ${String(names.length)} fields, found ${String(split.fields.length)}`,
          raw: rawText,
        };
        continue;
      }
      const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (let k = 0; k < names.length; k++) values[names[k] ?? ''] = split.fields[k];
      yield { kind: 'record', row: row++, line: rec.line, values, raw: rawText };
    }
    if (!headerSeen && headerOnly) return;
  }

  return {
    path,
    format: delimiter === ',' ? 'csv' : 'tsv',
    columns: async () => header ?? (await readHeader()),
    items: () => iterate(false),
  };
}

function uniqueNames(fields: readonly string[], path: string, line: number): string[] {
  const seen = new Set<string>();
  return fields.map((raw, i) => {
    const name = raw.trim() === '' ? `column_${String(i + 1)}` : raw;
    if (seen.has(name)) {
      throw new AtlasGuardError(`duplicate column name ${JSON.stringify(name)} in the header`, {
        position: { file: path, line },
        hint: 'rename the column so every name is unique',
        exitCode: ExitCode.Error,
      });
    }
    seen.add(name);
    return name;
  });
}
