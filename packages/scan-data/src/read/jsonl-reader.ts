import { createReadStream } from 'node:fs';
import {
  DEFAULT_READER_LIMITS,
  MAX_RAW_KEPT,
  type DatasetReader,
  type ReadItem,
  type ReaderLimits,
} from './record-types.js';
import { decodeUtf8 } from './utf8.js';

const LF = 0x0a;
const CR = 0x0d;

interface RawLine {
  bytes: Uint8Array;
  line: number;
  tooLong: boolean;
  truncatedAtEof: boolean;
}

/** Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line. */
export async function* jsonlLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<RawLine> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 1;
  let skipping = false;
  let head: Buffer | undefined;
  let first = true;
  for await (const chunk of chunks) {
    let buf = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(LF, start);
      if (nl < 0) break;
      if (skipping) {
        yield { bytes: head ?? Buffer.alloc(0), line, tooLong: true, truncatedAtEof: false };
        skipping = false;
        head = undefined;
      } else {
        const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
        if (end - start > maxLineBytes) {
          yield {
            bytes: buf.subarray(start, start + MAX_RAW_KEPT),
            line,
            tooLong: true,
            truncatedAtEof: false,
          };
        } else if (end > start)
          yield { bytes: buf.subarray(start, end), line, tooLong: false, truncatedAtEof: false };
      }
      line++;
      start = nl + 1;
    }
    const rest = buf.subarray(start);
    if (skipping) {
      pending = Buffer.alloc(0);
    } else if (rest.length > maxLineBytes) {
      skipping = true;
      head = Buffer.from(rest.subarray(0, MAX_RAW_KEPT));
      pending = Buffer.alloc(0);
    } else pending = rest;
  }
  if (skipping) yield { bytes: head ?? Buffer.alloc(0), line, tooLong: true, truncatedAtEof: true };
  else if (pending.length > 0) {
    const end = pending[pending.length - 1] === CR ? pending.length - 1 : pending.length;
    if (end > 0) yield { bytes: pending.subarray(0, end), line, tooLong: false, truncatedAtEof: true };
  }
}

export interface JsonlReaderOptions {
  limits?: Partial<ReaderLimits>;
  open?: () => AsyncIterable<Uint8Array>;
}

/** Streaming JSON Lines reader: one object per line; anything else is a malformed row with its line. */
export function jsonlReader(path: string, options: JsonlReaderOptions = {}): DatasetReader {
  const limits = { ...DEFAULT_READER_LIMITS, ...options.limits };
  const open =
    options.open ?? (() => createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>);

  async function* iterate(): AsyncGenerator<ReadItem> {
    let row = 0;
    for await (const l of jsonlLines(open(), limits.maxRecordBytes)) {
      const decoded = decodeUtf8(l.bytes);
      const raw = 'text' in decoded ? decoded.text : Buffer.from(l.bytes).toString('latin1');
      if (l.tooLong) {
        yield {
          kind: 'malformed',
          row: row++,
          line: l.line,
          reason: `line is longer than ${String(limits.maxRecordBytes)} bytes; kept the first ${String(MAX_RAW_KEPT)} bytes`,
          raw,
        };
        continue;
      }
      if (!('text' in decoded)) {
        yield {
          kind: 'malformed',
          row: row++,
          line: l.line,
          column: decoded.invalidAt + 1,
          reason: `invalid UTF-8 byte 0x${(l.bytes[decoded.invalidAt] ?? 0).toString(16).padStart(2, '0')}`,
          raw,
        };
        continue;
      }
      if (decoded.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(decoded.text);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const suffix = l.truncatedAtEof ? ' (last line without a newline: truncated file?)' : '';
        yield {
          kind: 'malformed',
          row: row++,
          line: l.line,
          reason: `invalid JSON: ${message}${suffix}`,
          raw,
        };
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { kind: 'malformed', row: row++, line: l.line, reason: 'line is not a JSON object', raw };
        continue;
      }
      yield { kind: 'record', row: row++, line: l.line, values: value as Record<string, unknown>, raw };
    }
  }

  return { path, format: 'jsonl', columns: () => Promise.resolve(undefined), items: iterate };
}
