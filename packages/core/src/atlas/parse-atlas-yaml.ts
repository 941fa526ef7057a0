import { parse } from 'yaml';
import { AtlasGuardError } from '../errors/atlasguard-error.js';
import { buildCatalog } from './build-catalog.js';
import type { CatalogData } from './catalog-types.js';

/** Upper bound for an ATLAS.yaml; releases are ~1.5 MB, so this leaves ample room for growth. */
export const MAX_ATLAS_BYTES = 64 * 1024 * 1024;

/** Parses the text of an official ATLAS.yaml into the normalized catalog. `source` names the file in errors. */
export function parseAtlasYaml(text: string, source = 'ATLAS.yaml'): CatalogData {
  if (text.length > MAX_ATLAS_BYTES) {
    throw new AtlasGuardError(`${source} is larger than ${String(MAX_ATLAS_BYTES)} bytes`, {
      hint: 'point --atlas-data at the distributed ATLAS.yaml',
    });
  }
  let document: unknown;
  try {
    // logLevel 'error': YAML warnings (unknown tags…) must not reach the user's terminal; errors still throw.
    document = parse(text, { maxAliasCount: 1000, prettyErrors: true, uniqueKeys: false, logLevel: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const linePos = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new AtlasGuardError(`cannot parse ATLAS data: ${message ?? 'YAML error'}`, {
      hint: 'the file is not valid YAML; fetch a fresh copy with `atlasguard kb update`',
      ...(linePos
        ? { position: { file: source, line: linePos.line, column: linePos.col } }
        : { position: { file: source } }),
      cause: error,
    });
  }
  try {
    return buildCatalog(document);
  } catch (error) {
    if (error instanceof AtlasGuardError && error.position === undefined) {
      throw new AtlasGuardError(error.message, {
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        position: { file: source },
        cause: error,
      });
    }
    throw error;
  }
}
