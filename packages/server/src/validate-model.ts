import { parseDocument, isMap } from 'yaml';
import type { ModelCheck } from './context.js';

const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Structural check of an uploaded system model: well-formed YAML (no more than 100 aliases, no custom tags
 * executed — the parser builds plain data only) whose top level is a mapping. The full system-model schema
 * check plugs in through `ServerOptions.validateModel`.
 */
export function checkModelYaml(yaml: string): ModelCheck {
  if (Buffer.byteLength(yaml) > MAX_BYTES) {
    return { ok: false, issues: [{ message: `the model is larger than ${String(MAX_BYTES)} bytes` }] };
  }
  const doc = parseDocument(yaml, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.slice(0, 20).map((e) => {
        const pos = e.linePos?.[0];
        return pos === undefined
          ? { message: e.message }
          : { message: e.message, line: pos.line, column: pos.col };
      }),
    };
  }
  if (!isMap(doc.contents))
    return { ok: false, issues: [{ message: 'the model must be a YAML mapping', line: 1, column: 1 }] };
  try {
    doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, issues: [{ message: error instanceof Error ? error.message : 'unreadable YAML' }] };
  }
  return { ok: true };
}
