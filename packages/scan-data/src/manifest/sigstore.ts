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
// When the bundle has an inclusion proof, the entry's Merkle audit path must lead to the root hash of a
// checkpoint signed by the same log key. Not checked: the embedded certificate transparency timestamps
// (SCTs), RFC 3161 timestamps, and any identity policy (who may sign).

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
                inclusionProof: z
                  .object({
                    logIndex: z.union([z.string(), z.number()]),
                    rootHash: base64,
                    treeSize: z.union([z.string(), z.number()]),
                    hashes: z.array(base64).max(64),
                    checkpoint: z.object({ envelope: z.string().max(100_000) }).optional(),
                  })
                  .loose()
                  .optional(),
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

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 9162 §2.1.3.2: does the audit path lead from the leaf at `index` to `root` in a tree of `size`? */
export function verifyInclusion(
  leaf: Buffer,
  index: bigint,
  size: bigint,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index < 0n || index >= size) return false;
  let fn = index;
  let sn = size - 1n;
  let r = sha256(Buffer.from([0]), leaf);
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/**
 * A Rekor checkpoint (signed note): "origin\nsize\nbase64(root)\n[extensions]\n\n— name base64(hint‖sig)".
 * Returns the tree size and root hash when one signature line verifies with `key`.
 */
export function verifyCheckpoint(note: string, key: KeyObject): { size: bigint; root: Buffer } | undefined {
  const split = note.indexOf('\n\n');
  if (split < 0) return undefined;
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const sizeText = lines[1] ?? '';
  if (!/^\d{1,20}$/.test(sizeText)) return undefined;
  const root = Buffer.from(lines[2] ?? '', 'base64');
  if (root.length !== 32) return undefined;
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) continue;
    const raw = Buffer.from(m[2] ?? '', 'base64');
    if (raw.length <= 4) continue;
    if (verifySignature(key, Buffer.from(body, 'utf8'), raw.subarray(4)))
      return { size: BigInt(sizeText), root };
  }
  return undefined;
}

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

  // 3b. when the bundle carries an inclusion proof: the entry is in the tree whose root the log signed
  let proofNote = ' (no inclusion proof in the bundle)';
  const proof = entry.inclusionProof;
  if (proof) {
    let index: bigint;
    let size: bigint;
    try {
      index = BigInt(proof.logIndex);
      size = BigInt(proof.treeSize);
    } catch {
      return bad('the inclusion proof has an invalid index or tree size');
    }
    const rootHash = Buffer.from(proof.rootHash, 'base64');
    const leafBytes = Buffer.from(entry.canonicalizedBody, 'base64');
    if (
      !verifyInclusion(
        leafBytes,
        index,
        size,
        proof.hashes.map((h) => Buffer.from(h, 'base64')),
        rootHash,
      )
    )
      return bad('the inclusion proof does not lead to its root hash');
    if (!proof.checkpoint) return bad('the inclusion proof has no signed checkpoint');
    const cp = verifyCheckpoint(proof.checkpoint.envelope, logKey);
    if (!cp) return bad('the checkpoint is not signed by the transparency log key');
    if (cp.size !== size || !cp.root.equals(rootHash))
      return bad('the checkpoint names another tree than the inclusion proof');
    proofNote = `, inclusion proof to the signed checkpoint of tree size ${String(size)}`;
  }

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
    detail: `Sigstore bundle verified offline: certificate chain, DSSE signature, signed entry timestamp of log index ${String(entry.logIndex)} at ${at.toISOString()}${proofNote} (SCTs not checked); signer ${san}`,
    keyid: san,
  };
}
