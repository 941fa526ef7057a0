// Test support only (excluded from the build): reads the repository's examples from disk.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'node:path';
import type { Catalog } from '../../atlas/catalog.js';
import { parseSystemModelText } from '../../model/parse-model.js';
import type { SystemModel } from '../../model/system-model-schema.js';
import type { Assessment } from '../assessment-types.js';
import { assess, type AssessOptions } from '../engine.js';

// Test support: the examples of the repository, parsed once per test process.

export const EXAMPLES = [
  'card-fraud-scoring',
  'hospital-imaging-classifier',
  'citizen-llm-assistant',
  'internal-coding-agent',
] as const;
export type ExampleName = (typeof EXAMPLES)[number];

const root = resolve(import.meta.dirname, '..', '..', '..', '..', '..');
export const examplePath = (name: string): string => resolve(root, 'examples', name, 'atlasguard.yaml');

export function exampleText(name: ExampleName): string {
  return readFileSync(examplePath(name), 'utf8');
}

export function exampleModel(name: ExampleName): SystemModel {
  const parsed = parseSystemModelText(exampleText(name), `examples/${name}/atlasguard.yaml`);
  if (!parsed.ok) throw new Error(`example ${name} does not parse: ${parsed.issues[0]?.message ?? ''}`);
  return parsed.value.model;
}

export function assessModel(
  model: SystemModel,
  catalog: Catalog,
  options: Partial<AssessOptions> = {},
): Assessment {
  return assess(model, catalog, {
    source: 'test.yaml',
    assessedOn: '2026-11-25',
    toolVersion: '0.0.0-test',
    ...options,
  });
}

/** A deep copy of an example model to modify in a test. */
export function cloneModel(model: SystemModel): SystemModel {
  return structuredClone(model);
}
