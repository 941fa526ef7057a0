/** What a scan file holds, told from its content: SARIF 2.1.0 logs have `version` and `runs`. */
export function detectFindingsFormat(document: unknown): 'sarif' | 'json' {
  if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
    const d = document as Record<string, unknown>;
    if (typeof d.version === 'string' && d.version.startsWith('2.1') && Array.isArray(d.runs)) return 'sarif';
  }
  return 'json';
}

/**
 * The scanner a file probably came from, by its name (`scan-model.sarif`, `deps.json`, …): the scanners'
 * documents all name the tool `atlasguard`, so the content cannot tell. Null when the name says nothing;
 * the user picks the kind in any case.
 */
export function guessFindingsKind(
  fileName: string,
): 'scan-model' | 'scan-deps' | 'scan-data' | 'monitor' | null {
  const name = fileName.toLowerCase().replace(/\.(json|sarif)$/, '');
  const words = new Set(name.split(/[^a-z0-9]+/).filter((w) => w !== ''));
  if (words.has('model') || words.has('models')) return 'scan-model';
  if (words.has('deps') || words.has('dependencies') || words.has('sbom')) return 'scan-deps';
  if (words.has('data') || words.has('dataset')) return 'scan-data';
  if (words.has('monitor') || words.has('monitoring')) return 'monitor';
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
