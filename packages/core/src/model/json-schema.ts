import { z } from 'zod';
import { systemModelSchema } from './system-model-schema.js';

/** The published JSON Schema of the system model (what editors autocomplete from), generated from zod. */
export function systemModelJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(systemModelSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://atlasguard.dev/schemas/system-model.schema.json',
    title: 'AtlasGuard system model (atlasguard: 1)',
  };
}
