import type { PositionIndex } from '../model/parse-model.js';
import type { SystemModel } from '../model/system-model-schema.js';

/** Where each asset of a model is declared (its `id` key), by asset ID, for reports that point into the file. */
export function assetLocationsOf(
  model: SystemModel,
  positions: PositionIndex,
): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  for (const section of ['environment', 'platform', 'model', 'data'] as const) {
    model[section].forEach((asset, i) => {
      const p = positions.at([section, i, 'id']);
      if (p.line !== undefined) out.set(asset.id, { line: p.line, column: p.column ?? 1 });
    });
  }
  return out;
}
