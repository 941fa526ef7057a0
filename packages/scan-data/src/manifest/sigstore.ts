import { createHash, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../hash/canonical-json.js';
import { preAuthEncoding, type SignatureResult } from './dsse.js';
import { dsseEnvelopeSchema } from './manifest-schema.js';

// Offline verification of a Sigstore bundle (DSSE envelope, Fulcio-style certificate, Rekor entry) against
// a trusted root in the Sigstore `trusted_root.json` format, with node:crypto only. Checked: the signing
// certificate chains to a certificate authority of the trusted root that was valid at the time; the DSSE
// signature over the envelope verifies with the certificate's key; the Rekor entry's signed entry
// timestamp (inclusion promise) verifies with the key of a transparency log of the trusted root; the entry
// body names the same payload hash and signature; the entry time lies inside the certificate's validity.
// Not checked: the Merkle inclusion proof against a signed checkpoint, the embedded certificate
// transparency timestamps (SCTs), RFC 3161 timestamps, and any identity policy (who may sign).

const MAX_CHAIN = 10;
const base64 = z.string().max(1_000_000);
const validFor = z.object({ start: z.string().optional(), end: z.string().optional() }).loose().optional();

export const trustedRootSchema = z
  .object({
    mediaType: z.string().optional(),
    tlogs: z
      .array(
        z
          .object({
            baseUrl: z.string().optional(),
            publicKey: z.object({ rawBytes: base64, validFor }).loose(),
            logId: z.object({ keyId: base64 }).loose(),
          })
          .loose(),
      )
      .max(100),
    certificateAuthorities: z
      .array(
        z
          .object({
            uri: z.string().optional(),
            certChain: z.object({
              certificates: z.array(z.object({ rawBytes: base64 }).loose()).max(MAX_CHAIN),
            }),
            validFor,
          })
          .loose(),
      )
      .max(100),
  })
  .loose();
export type TrustedRoot = z.infer<typeof trustedRootSchema>;

export const sigstoreBundleSchema = z
  .object({
    mediaType: z.string(),
    verificationMaterial: z
      .object({
        certificate: z.object({ rawBytes: base64 }).optional(),
        x509CertificateChain: z
          .object({ certificates: z.array(z.object({ rawBytes: base64 })).max(MAX_CHAIN) })
          .optional(),
        tlogEntries: z
          .array(
            z
              .object({
                logIndex: z.union([z.string(), z.number()]),
                logId: z.object({ keyId: base64 }),
                integratedTime: z.union([z.string(), z.number()]),
                inclusionPromise: z.object({ signedEntryTimestamp: base64 }).optional(),
                canonicalizedBody: base64,
              })
              .loose(),
          )
          .max(16),
      })
      .loose(),
    dsseEnvelope: dsseEnvelopeSchema,
  })
  .loose();
export type SigstoreBundle = z.infer<typeof sigstoreBundleSchema>;

function inWindow(
  w: { start?: string | undefined; end?: string | undefined } | undefined,
  at: Date,
): boolean {
  if (!w) return true;
  if (w.start !== undefined && at < new Date(w.start)) return false;
  if (w.end !== undefined && at > new Date(w.end)) return false;
  return true;
}

function cert(b64: string): X509Certificate {
  return new X509Certificate(Buffer.from(b64, 'base64'));
}

/** Does `leaf` chain to the given CA chain (leaf → … → root, each link issued and signed by the next)? */
function chainsTo(leaf: X509Certificate, chain: readonly X509Certificate[], at: Date): boolean {
  let current = leaf;
  for (const issuer of chain) {
    if (!issuer.ca) return false;
    if (!current.checkIssued(issuer) || !current.verify(issuer.publicKey)) return false;
    if (at < new Date(issuer.validFrom) || at > new Date(issuer.validTo)) return false;
    current = issuer;
  }
  // the last certificate is the trust anchor: it must sign itself
  return chain.length > 0 && current.checkIssued(current) && current.verify(current.publicKey);
}

function verifySignature(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, signature);
  } catch {
    return false;
  }
}

const rekorBodySchema = z
  .object({
    kind: z.string(),
    spec: z
      .object({
        payloadHash: z.object({ algorithm: z.string(), value: z.string() }).optional(),
        signatures: z
          .array(z.object({ signature: z.string() }).loose())
          .max(16)
          .optional(),
      })
      .loose(),
  })
  .loose();

/** Verifies a Sigstore bundle offline against a trusted root; never throws for a bad bundle. */
export function verifySigstoreBundle(bundle: SigstoreBundle, root: TrustedRoot): SignatureResult {
  const bad = (detail: string): SignatureResult => ({ status: 'invalid', detail });
  const material = bundle.verificationMaterial;
  const leafB64 = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  if (leafB64 === undefined)
    return bad('the bundle has no signing certificate (key-based bundles are not supported)');
  let leaf: X509Certificate;
  try {
    leaf = cert(leafB64);
  } catch {
    return bad('the signing certificate cannot be parsed');
  }
  const entry = material.tlogEntries[0];
  if (!entry) return bad('the bundle has no transparency log entry');
  const integrated = Number(entry.integratedTime);
  if (!Number.isSafeInteger(integrated) || integrated <= 0)
    return bad('the log entry has no valid integrated time');
  const at = new Date(integrated * 1000);

  // 1. certificate chain to a trusted certificate authority, valid at the log time
  if (at < new Date(leaf.validFrom) || at > new Date(leaf.validTo))
    return bad(`the log entry time ${at.toISOString()} lies outside the signing certificate's validity`);
  let chained = false;
  for (const ca of root.certificateAuthorities) {
    if (!inWindow(ca.validFor, at)) continue;
    try {
      if (
        chainsTo(
          leaf,
          ca.certChain.certificates.map((c) => cert(c.rawBytes)),
          at,
        )
      ) {
        chained = true;
        break;
      }
    } catch {
      // an unparsable CA certificate in the root does not chain anything
    }
  }
  if (!chained)
    return bad('the signing certificate does not chain to a certificate authority of the trusted root');

  // 2. the DSSE signature with the certificate's key
  const env = bundle.dsseEnvelope;
  const payload = Buffer.from(env.payload, 'base64');
  const sig = env.signatures[0];
  if (!sig) return bad('the DSSE envelope has no signature');
  const sigBytes = Buffer.from(sig.sig, 'base64');
  if (!verifySignature(leaf.publicKey, preAuthEncoding(env.payloadType, payload), sigBytes))
    return bad('the DSSE signature does not verify with the signing certificate');

  // 3. the signed entry timestamp of a trusted transparency log
  const log = root.tlogs.find((t) => t.logId.keyId === entry.logId.keyId);
  if (!log) return bad('the log entry comes from a transparency log the trusted root does not list');
  if (!inWindow(log.publicKey.validFor, at))
    return bad('the transparency log key was not valid at the entry time');
  if (!entry.inclusionPromise) return bad('the log entry has no signed entry timestamp (inclusion promise)');
  let logKey: KeyObject;
  try {
    logKey = createPublicKey({
      key: Buffer.from(log.publicKey.rawBytes, 'base64'),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return bad('the trusted root has an unreadable transparency log key');
  }
  const set = canonicalJson({
    body: entry.canonicalizedBody,
    integratedTime: integrated,
    logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
    logIndex: Number(entry.logIndex),
  });
  if (
    !verifySignature(
      logKey,
      Buffer.from(set, 'utf8'),
      Buffer.from(entry.inclusionPromise.signedEntryTimestamp, 'base64'),
    )
  )
    return bad('the signed entry timestamp does not verify with the transparency log key');

  // 4. the log entry describes this envelope
  let body: z.infer<typeof rekorBodySchema>;
  try {
    body = rekorBodySchema.parse(JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8')));
  } catch {
    return bad('the log entry body is not a Rekor entry');
  }
  if (body.kind !== 'dsse')
    return {
      status: 'unsupported',
      detail: `the Rekor entry is of kind ${JSON.stringify(body.kind)}; only "dsse" entries are matched against the envelope`,
    };
  const payloadHash = createHash('sha256').update(payload).digest('hex');
  if (body.spec.payloadHash?.value !== payloadHash)
    return bad('the log entry names another payload hash than the envelope');
  if (!body.spec.signatures?.some((s) => Buffer.from(s.signature, 'base64').equals(sigBytes)))
    return bad('the log entry names another signature than the envelope');

  const san = leaf.subjectAltName ?? leaf.subject;
  return {
    status: 'verified',
    detail: `Sigstore bundle verified offline: certificate chain, DSSE signature, signed entry timestamp of log index ${String(entry.logIndex)} at ${at.toISOString()} (inclusion proof and SCTs not checked); signer ${san}`,
    keyid: san,
  };
}
