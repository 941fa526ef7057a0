import { StringDecoder } from 'node:string_decoder';

export type LineHandler = (text: string, line: number) => void;
export type OversizeHandler = (line: number, bytes: number) => void;

/**
 * Splits a byte stream into lines with a hard maximum line length. An over-long line is reported once and
 * skipped up to its newline, so one hostile line can neither exhaust memory nor stop the stream.
 */
export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private skipping = false;
  private skippedBytes = 0;
  private lineNo = 0;

  constructor(
    private readonly maxLineLength: number,
    private readonly onLine: LineHandler,
    private readonly onOversize: OversizeHandler,
  ) {}

  /** Lines delivered or skipped so far. */
  get lines(): number {
    return this.lineNo;
  }

  /** Bytes (characters) of an incomplete last line held back. */
  get pending(): number {
    return this.partial.length;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      this.finishLine(text.slice(start, nl));
      start = nl + 1;
    }
    const rest = text.slice(start);
    if (this.skipping) {
      this.skippedBytes += rest.length;
      return;
    }
    if (this.partial.length + rest.length > this.maxLineLength) {
      this.skipping = true;
      this.skippedBytes = this.partial.length + rest.length;
      this.partial = '';
      return;
    }
    this.partial += rest;
  }

  /** Flushes a last line without a trailing newline (a truncated last line is still parsed). */
  end(): void {
    const tail = this.decoder.end();
    if (tail !== '') this.push(tail);
    if (this.skipping) {
      this.lineNo++;
      this.onOversize(this.lineNo, this.skippedBytes);
    } else if (this.partial !== '') {
      this.lineNo++;
      this.onLine(this.partial, this.lineNo);
    }
    this.partial = '';
    this.skipping = false;
  }

  /** Forgets a held-back partial line (the file it came from was truncated or replaced). */
  reset(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.skipping = false;
  }

  private finishLine(piece: string): void {
    this.lineNo++;
    if (this.skipping) {
      this.onOversize(this.lineNo, this.skippedBytes + piece.length);
      this.skipping = false;
      this.skippedBytes = 0;
      return;
    }
    let line = this.partial + piece;
    this.partial = '';
    if (line.length > this.maxLineLength) {
      this.onOversize(this.lineNo, line.length);
      return;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.onLine(line, this.lineNo);
  }
}
