import { AtlasGuardError, ExitCode } from '@atlasguard/core';

/** A file's text with a lazily built line index, for turning offsets into `file:line:col`. */
export class SourceText {
  readonly path: string;
  readonly text: string;
  private lineStarts: number[] | undefined;

  constructor(path: string, text: string) {
    this.path = path;
    this.text = text;
  }

  private starts(): number[] {
    if (this.lineStarts === undefined) {
      const starts = [0];
      let i = this.text.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = this.text.indexOf('\n', i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }

  /** Line of the first occurrence of `needle` at or after `from`; undefined when absent. */
  lineOf(needle: string, from = 0): number | undefined {
    const at = this.text.indexOf(needle, from);
    return at === -1 ? undefined : this.position(at).line;
  }

  /** An input error at a line of this file (exit 2). */
  error(message: string, line?: number, hint?: string, column?: number): AtlasGuardError {
    return new AtlasGuardError(message, {
      exitCode: ExitCode.Error,
      position: {
        file: this.path,
        ...(line !== undefined ? { line } : {}),
        ...(line !== undefined && column !== undefined ? { column } : {}),
      },
      hint: hint ?? 'fix the file or pass a supported lockfile (see docs/scan-deps.md)',
    });
  }
}

/** Parses JSON and turns a syntax error into `file:line:col` (V8 reports `position N` or `line L column C`). */
export function parseJsonText(source: SourceText): unknown {
  try {
    return JSON.parse(source.text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    let line: number | undefined;
    let column: number | undefined;
    if (lc) {
      line = Number(lc[1]);
      column = Number(lc[2]);
    } else if (pos) {
      ({ line, column } = source.position(Number(pos[1])));
    }
    throw source.error(`invalid JSON: ${message.split('\n')[0] ?? message}`, line, undefined, column);
  }
}

/** A plain JSON object (not an array or null), for walking untyped input. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
