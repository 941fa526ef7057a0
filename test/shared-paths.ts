import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** Paths to the read-only material shared with the project (`../shared`). */
export const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
export const sharedDir = process.env.ATLASGUARD_SHARED ?? resolve(repoRoot, '..', 'shared');
export const atlasRelease = (version: string): string => resolve(sharedDir, 'atlas', `ATLAS-${version}.yaml`);
export const sarifSchemaPath = resolve(sharedDir, 'schemas', 'sarif-schema-2.1.0.json');
export const picklescanCorpus = resolve(sharedDir, 'corpora', 'picklescan');
