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
import {
  sigstoreBundleSchema,
  trustedRootSchema,
  verifySigstoreBundle,
  type TrustedRoot,
} from './sigstore.js';

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
 * bundle (verified offline against `trustedRoot`; without one it is reported as not checked, which makes
 * the scan inconclusive).
 */
/** Reads a Sigstore trusted root (`trusted_root.json`: Fulcio certificate chains and Rekor log keys). */
export async function loadTrustedRoot(path: string): Promise<TrustedRoot> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AtlasGuardError(
      `cannot read the trusted root: ${error instanceof Error ? error.message : String(error)}`,
      { position: { file: path }, exitCode: ExitCode.Usage },
    );
  }
  const parsed = trustedRootSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `not a Sigstore trusted root: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      {
        position: { file: path },
        exitCode: ExitCode.Usage,
        hint: 'pass the trusted_root.json of your Sigstore instance (e.g. from its TUF repository)',
      },
    );
  }
  return parsed.data;
}

export async function loadManifest(
  path: string,
  keys: readonly KeyObject[],
  trustedRoot?: TrustedRoot,
): Promise<LoadedManifest> {
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
    const statement = parseStatement(Buffer.from(envelope.data.payload, 'base64').toString('utf8'), path);
    if (!trustedRoot)
      return {
        statement,
        signature: {
          status: 'not-checked',
          detail:
            'a Sigstore bundle needs the trusted root of its Sigstore instance (Fulcio certificate chain, Rekor log key) to verify offline: pass --trusted-root trusted_root.json',
        },
        container: 'sigstore-bundle',
      };
    const bundle = sigstoreBundleSchema.safeParse(json);
    return {
      statement,
      signature: bundle.success
        ? verifySigstoreBundle(bundle.data, trustedRoot)
        : {
            status: 'invalid',
            detail: `the Sigstore bundle is malformed: ${bundle.error.issues[0]?.path.join('.') ?? ''} ${bundle.error.issues[0]?.message ?? ''}`,
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
