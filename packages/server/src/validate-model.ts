import { parseSystemModelText } from '@atlasguard/core';
import type { ModelCheck } from './context.js';

/**
 * Checks an uploaded system model with the core parser: bounded YAML (size, depth, aliases, nodes) and the
 * system model v1 schema, each problem with its line and column. Checks that need the ATLAS catalog (IDs,
 * references to it) run when the model is assessed.
 */
export function checkModelYaml(yaml: string): ModelCheck {
  const result = parseSystemModelText(yaml, 'model.yaml');
  if (result.ok) return { ok: true };
  return {
    ok: false,
    issues: result.issues.slice(0, 50).map((i) => ({
      message: i.message,
      ...(i.hint === undefined ? {} : { hint: i.hint }),
      path: i.path.map(String).join('.'),
      ...(i.position.line === undefined ? {} : { line: i.position.line }),
      ...(i.position.column === undefined ? {} : { column: i.position.column }),
    })),
  };
}
