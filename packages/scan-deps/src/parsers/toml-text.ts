import { parse, TomlError } from 'smol-toml';
import { isRecord, type SourceText } from '../manifest/source-text.js';
import { parseLockToml } from './lock-toml.js';

/** Parses TOML; syntax errors become `file:line:col` errors. */
export function parseTomlText(source: SourceText): Record<string, unknown> {
  try {
    return parse(source.text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw source.error(
        `invalid TOML: ${error.message.split('\n')[0] ?? 'syntax error'}`,
        error.line,
        undefined,
        error.column,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw source.error(`invalid TOML: ${message}`);
  }
}

/**
 * A lock file's TOML and the lines of its top-level `[[<arrayName>]]` headers: the fast lock-file reader
 * when the text stays within its subset, else the full parser (which also reports syntax errors).
 */
export function parseLockTomlText(
  source: SourceText,
  arrayName: string,
): { doc: Record<string, unknown>; headerLines: number[] } {
  return (
    parseLockToml(source.text, arrayName) ?? {
      doc: parseTomlText(source),
      headerLines: arrayTableLines(source, arrayName),
    }
  );
}

/** 1-based lines of each top-level `[[name]]` header, in order (the n-th matches the n-th table). */
export function arrayTableLines(source: SourceText, name: string): number[] {
  const lines: number[] = [];
  const header = `[[${name}]]`;
  const text = source.text;
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    // Cheap check first; header lines may carry spaces and a comment.
    if (text.charCodeAt(start) === 91 || text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9) {
      const row = text.slice(start, stop).trim();
      if (row === header || row.startsWith(`${header} `) || row.startsWith(`${header}#`)) lines.push(line);
    }
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return lines;
}

export function tableAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isRecord(current) ? current : undefined;
}

export function arrayAt(value: unknown, ...path: string[]): unknown[] | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return Array.isArray(current) ? current : undefined;
}
