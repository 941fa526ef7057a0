import { readFile } from 'node:fs/promises';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { z } from 'zod';
import { verifyEnvelope, type SignatureResult } from './dsse.js';
import {
  DSSE_PAYLOAD_TYPE,
  dsseEnvelopeSchema,
  manifestStatementSchema,
  type ManifestStatement,
} from './manifest-schema.js';
import type { KeyObject } from 'node:crypto';

export interface LoadedManifest {
  statement: ManifestStatement;
  signature: SignatureResult;
  /** 'statement' (unsigned), 'dsse' (key-based envelope) or 'sigstore-bundle'. */
  container: 'statement' | 'dsse' | 'sigstore-bundle';
}

const MAX_MANIFEST_BYTES = 1024 * 1024 * 1024;

function parseStatement(text: string, path: string): ManifestStatement {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AtlasGuardError(
      `the manifest payload is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        position: { file: path },
      },
    );
  }
  const parsed = manifestStatementSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `not an AtlasGuard dataset manifest: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      {
        position: { file: path },
        hint: 'create one with `atlasguard data manifest DATASET --out manifest.json`',
      },
    );
  }
  return parsed.data;
}

/**
 * Reads a manifest as an unsigned in-toto Statement, a DSSE envelope (verified with `keys`), or a Sigstore
 * bundle. Sigstore bundles need the Fulcio certificate chain and the Rekor transparency log to verify; this
 * offline tool reports them as unsupported (inconclusive) instead of pretending to verify them.
 */
export async function loadManifest(path: string, keys: readonly KeyObject[]): Promise<LoadedManifest> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read manifest ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        position: { file: path },
        cause: error,
      },
    );
  }
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new AtlasGuardError('the manifest is larger than 1 GiB', {
      position: { file: path },
      exitCode: ExitCode.Error,
    });
  }
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AtlasGuardError(
      `the manifest is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        position: { file: path },
      },
    );
  }
  const probe = z
    .object({
      mediaType: z.string().optional(),
      payloadType: z.string().optional(),
      dsseEnvelope: z.unknown().optional(),
    })
    .loose()
    .safeParse(json);
  const shape = probe.success ? probe.data : {};
  if (
    typeof shape.mediaType === 'string' &&
    shape.mediaType.startsWith('application/vnd.dev.sigstore.bundle')
  ) {
    const envelope = dsseEnvelopeSchema.safeParse(shape.dsseEnvelope);
    if (!envelope.success) {
      throw new AtlasGuardError('the Sigstore bundle has no DSSE envelope', { position: { file: path } });
    }
    return {
      statement: parseStatement(Buffer.from(envelope.data.payload, 'base64').toString('utf8'), path),
      signature: {
        status: 'unsupported',
        detail:
          'Sigstore bundle signatures (Fulcio certificate + Rekor log) are not verified offline by this version',
      },
      container: 'sigstore-bundle',
    };
  }
  if (typeof shape.payloadType === 'string') {
    const envelope = dsseEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw new AtlasGuardError('malformed DSSE envelope', { position: { file: path } });
    if (envelope.data.payloadType !== DSSE_PAYLOAD_TYPE) {
      throw new AtlasGuardError(`unexpected DSSE payload type ${envelope.data.payloadType}`, {
        position: { file: path },
      });
    }
    return {
      statement: parseStatement(Buffer.from(envelope.data.payload, 'base64').toString('utf8'), path),
      signature: verifyEnvelope(envelope.data, keys),
      container: 'dsse',
    };
  }
  return {
    statement: parseStatement(text, path),
    signature: { status: 'unsigned', detail: 'the manifest is a plain (unsigned) in-toto Statement' },
    container: 'statement',
  };
}
