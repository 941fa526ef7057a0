import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sarifSchemaPath } from './shared-paths.js';

let compiled: ValidateFunction | undefined;

/**
 * A validator for the OASIS SARIF 2.1.0 schema in ../shared/schemas. The schema is draft-04 (`id`, not
 * `$id`); it uses nothing draft-07 reads differently (no boolean exclusiveMinimum), so its `$schema` is
 * dropped and `id` moved to `$id` for Ajv's default draft-07 mode. Formats (uri, date-time) are checked.
 */
export function sarifValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (instance: Ajv) => Ajv)(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Ajv's errors as readable lines, for assertion messages. */
export function sarifErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('\n');
}
