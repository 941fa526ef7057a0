/** What a scan file holds, told from its content: SARIF 2.1.0 logs have `version` and `runs`. */
export function detectFindingsFormat(document: unknown): 'sarif' | 'json' {
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const d = document as Record<string, unknown>;
    if (typeof d.version === 'string' && d.version.startsWith('2.1') && Array.isArray(d.runs)) return 'sarif';
  }
  return 'json';
}

/** The scanner that wrote a document, when it says so (the AtlasGuard JSON `tool`/SARIF driver name). */
export function guessFindingsKind(
  document: unknown,
  fileName: string,
): 'scan-model' | 'scan-deps' | 'scan-data' | 'monitor' | null {
  const text = `${fileName} ${JSON.stringify(document).slice(0, 4096)}`.toLowerCase();
  if (/scan[-_ ]?model|model[-_ ]scan/.test(text)) return 'scan-model';
  if (/scan[-_ ]?deps|deps[-_ ]scan|dependenc/.test(text)) return 'scan-deps';
  if (/scan[-_ ]?data|data[-_ ]scan/.test(text)) return 'scan-data';
  if (/monitor/.test(text)) return 'monitor';
  return null;
}

export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** Parses an uploaded scan file: JSON only, at most 16 MiB (the server's limit), with a clear message otherwise. */
export function parseScanFile(
  text: string,
  size: number,
): { ok: true; document: unknown } | { ok: false; message: string } {
  if (size > MAX_UPLOAD_BYTES)
    return { ok: false, message: 'the file is larger than 16 MiB, the server limit' };
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `not JSON or SARIF: ${e instanceof Error ? e.message : 'parse error'}` };
  }
}

/** The character offset of a 1-based line:col in `text` (clamped), to put the editor's caret on an issue. */
export function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end === -1 ? text.length : end;
  return Math.min(offset + Math.max(0, col - 1), lineEnd);
}
