import { open } from 'node:fs/promises';
import { AtlasGuardError } from '@atlasguard/core/errors';
import { MAX_DOWNLOAD_BYTES } from './limits.js';

/** Reads a local ATLAS.yaml, refusing files larger than any plausible release. */
export async function readAtlasFile(path: string, hint: string): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_DOWNLOAD_BYTES) {
        throw new AtlasGuardError(
          `${path} is larger than ${String(MAX_DOWNLOAD_BYTES)} bytes; not an ATLAS.yaml`,
          {
            hint,
            position: { file: path },
          },
        );
      }
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof AtlasGuardError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AtlasGuardError(`cannot read ATLAS data ${path}: ${code}`, { hint, cause: error });
  }
}
