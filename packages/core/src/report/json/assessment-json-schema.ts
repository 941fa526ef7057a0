import { z } from 'zod';
import { assessmentSchema } from '../../assess/assessment-types.js';

/** The published JSON Schema of `assess --format json` (schemaVersion 1), generated from the zod contract. */
export function assessmentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(assessmentSchema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://atlasguard.dev/schemas/assessment.schema.json',
    title: 'AtlasGuard assessment (assess --format json, schemaVersion 1)',
  };
}
