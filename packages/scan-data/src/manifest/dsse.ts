import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { DSSE_PAYLOAD_TYPE, type DsseEnvelope } from './manifest-schema.js';

/** DSSE pre-authentication encoding: "DSSEv1 <len> <type> <len> <body>" with byte lengths. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${String(type.length)} `, 'utf8'),
    type,
    Buffer.from(` ${String(payload.length)} `, 'utf8'),
    payload,
  ]);
}

/** Key id: SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function algorithmFor(key: KeyObject): string | null {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return null;
  if (type === 'ec') return 'sha256';
  throw new AtlasGuardError(`unsupported key type ${type ?? 'unknown'}`, {
    exitCode: ExitCode.Usage,
    hint: 'use an Ed25519 or ECDSA (P-256) key in PEM',
  });
}

/** Signs `payload` into a DSSE envelope with an Ed25519 or ECDSA private key (PEM). */
export function signEnvelope(payload: Uint8Array, privateKeyPem: string | Buffer): DsseEnvelope {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new AtlasGuardError('cannot read the private key', {
      exitCode: ExitCode.Usage,
      hint: 'pass a PEM private key (e.g. `openssl genpkey -algorithm ed25519 -out key.pem`)',
      cause: error,
    });
  }
  const sig = sign(algorithmFor(key), preAuthEncoding(DSSE_PAYLOAD_TYPE, payload), key);
  return {
    payloadType: DSSE_PAYLOAD_TYPE,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: keyId(key), sig: sig.toString('base64') }],
  };
}

export type SignatureStatus = 'verified' | 'invalid' | 'unsigned' | 'not-checked' | 'unsupported';

export interface SignatureResult {
  status: SignatureStatus;
  detail: string;
  keyid?: string;
}

/** Reads a PEM public key or X.509 certificate. */
export function readPublicKey(pem: string | Buffer): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new AtlasGuardError('cannot read the public key', {
      exitCode: ExitCode.Usage,
      hint: 'pass a PEM public key (SubjectPublicKeyInfo) or certificate',
      cause: error,
    });
  }
}

/** Verifies a DSSE envelope against trusted public keys: at least one signature must verify. */
export function verifyEnvelope(envelope: DsseEnvelope, keys: readonly KeyObject[]): SignatureResult {
  if (envelope.signatures.length === 0)
    return { status: 'unsigned', detail: 'the envelope has no signatures' };
  if (keys.length === 0) {
    return {
      status: 'not-checked',
      detail: 'the manifest is signed but no --public-key was given to verify it',
    };
  }
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  for (const key of keys) {
    let algorithm: string | null;
    try {
      algorithm = algorithmFor(key);
    } catch {
      continue;
    }
    for (const s of envelope.signatures) {
      let ok: boolean;
      try {
        ok = verify(algorithm, pae, key, Buffer.from(s.sig, 'base64'));
      } catch {
        ok = false;
      }
      if (ok)
        return {
          status: 'verified',
          detail: `signature verified with key ${keyId(key).slice(0, 16)}…`,
          keyid: keyId(key),
        };
    }
  }
  return { status: 'invalid', detail: 'no signature verifies with the given public key(s)' };
}
