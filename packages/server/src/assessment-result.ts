import type { Assessment } from '@atlasguard/core';

/**
 * A stored run's result as an assessment. Results are written by the server's own engine or were checked
 * against the assessment schema when posted; this only guards the parts the views read.
 */
export function asAssessment(result: unknown): Assessment | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as Partial<Assessment>;
  if (r.schemaVersion !== 1 || !Array.isArray(r.ledger) || !Array.isArray(r.risks)) return undefined;
  return r as Assessment;
}
