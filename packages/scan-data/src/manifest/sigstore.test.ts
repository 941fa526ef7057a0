import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../hash/canonical-json.js';
import { openDataset } from '../read/open-dataset.js';
import { scanData } from '../scan/scan-data.js';
import { seededRandom } from '../stats/rng.js';
import { logIdOf, makeCert, type TestCert } from '../test-support/x509.js';
import { buildManifest } from './build-manifest.js';
import { preAuthEncoding } from './dsse.js';
import { loadManifest } from './load-manifest.js';
import { DSSE_PAYLOAD_TYPE } from './manifest-schema.js';
import {
  sigstoreBundleSchema,
  verifyInclusion,
  verifySigstoreBundle,
  type SigstoreBundle,
  type TrustedRoot,
} from './sigstore.js';

const DAY = 86_400_000;
const now = new Date('2026-01-01T12:00:00Z');
let dir: string;
let root: TestCert;
let intermediate: TestCert;
let logKey: { privateKey: KeyObject; publicKey: KeyObject };
let trustedRoot: TrustedRoot;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-sigstore-'));
  root = makeCert({
    subject: 'test-root',
    ca: true,
    notBefore: new Date(now.getTime() - 365 * DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    serial: 1,
  });
  intermediate = makeCert({
    subject: 'test-intermediate',
    issuer: { subject: 'test-root', key: root.key },
    ca: true,
    notBefore: new Date(now.getTime() - 100 * DAY),
    notAfter: new Date(now.getTime() + 100 * DAY),
    serial: 2,
  });
  logKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://log.test',
        publicKey: {
          rawBytes: logKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
          validFor: { start: '2025-01-01T00:00:00Z' },
        },
        logId: { keyId: logIdOf(logKey.publicKey).toString('base64') },
      },
    ],
    certificateAuthorities: [
      {
        uri: 'https://ca.test',
        certChain: {
          certificates: [
            { rawBytes: intermediate.der.toString('base64') },
            { rawBytes: root.der.toString('base64') },
          ],
        },
        validFor: { start: '2025-01-01T00:00:00Z' },
      },
    ],
  };
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A bundle as a Sigstore client makes it: short-lived certificate, DSSE envelope, Rekor "dsse" entry. */
function makeBundle(
  payload: Buffer,
  options: { issuer?: TestCert; time?: Date; entryPayload?: Buffer; log?: KeyObject } = {},
): SigstoreBundle {
  const issuer = options.issuer ?? intermediate;
  const leaf = makeCert({
    subject: '',
    issuer: { subject: issuer === intermediate ? 'test-intermediate' : 'rogue-ca', key: issuer.key },
    ca: false,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 9 * 60_000),
    email: 'release@example.org',
    serial: 77,
  });
  const sig = sign('sha256', preAuthEncoding(DSSE_PAYLOAD_TYPE, payload), leaf.key);
  const body = Buffer.from(
    canonicalJson({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        payloadHash: {
          algorithm: 'sha256',
          value: createHash('sha256')
            .update(options.entryPayload ?? payload)
            .digest('hex'),
        },
        signatures: [{ signature: sig.toString('base64'), verifier: leaf.der.toString('base64') }],
      },
    }),
  ).toString('base64');
  const integratedTime = Math.floor((options.time ?? now).getTime() / 1000);
  const logId = logIdOf(logKey.publicKey);
  const set = sign(
    'sha256',
    Buffer.from(canonicalJson({ body, integratedTime, logID: logId.toString('hex'), logIndex: 4242 })),
    options.log ?? logKey.privateKey,
  );
  return sigstoreBundleSchema.parse({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: leaf.der.toString('base64') },
      tlogEntries: [
        {
          logIndex: '4242',
          logId: { keyId: logId.toString('base64') },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: String(integratedTime),
          inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
          canonicalizedBody: body,
        },
      ],
    },
    dsseEnvelope: {
      payloadType: DSSE_PAYLOAD_TYPE,
      payload: payload.toString('base64'),
      signatures: [{ sig: sig.toString('base64'), keyid: '' }],
    },
  });
}

const h = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
/** RFC 6962 Merkle tree hash and audit path, written out for the test. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return h(Buffer.from([0]), leaves[0] ?? Buffer.alloc(0));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function auditPath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

describe('Merkle inclusion proofs (RFC 9162)', () => {
  it('accepts every leaf of trees of 1 to 12 leaves and rejects wrong indexes and paths', () => {
    for (let n = 1; n <= 12; n++) {
      const leaves = Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${String(i)}`));
      const root = mth(leaves);
      for (let m = 0; m < n; m++) {
        const path = auditPath(m, leaves);
        const leaf = leaves[m] ?? Buffer.alloc(0);
        expect(verifyInclusion(leaf, BigInt(m), BigInt(n), path, root), `${String(m)}/${String(n)}`).toBe(
          true,
        );
        if (n > 1) {
          expect(verifyInclusion(leaf, BigInt((m + 1) % n), BigInt(n), path, root)).toBe(false);
          expect(
            verifyInclusion(leaf, BigInt(m), BigInt(n), [...path.slice(1), Buffer.alloc(32)], root),
          ).toBe(false);
        }
      }
    }
  });
});

describe('Sigstore bundle verification against a trusted root', () => {
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

  it('verifies a good bundle and names the signer', () => {
    const result = verifySigstoreBundle(makeBundle(payload), trustedRoot);
    expect(result.status, result.detail).toBe('verified');
    expect(result.keyid).toContain('release@example.org');
  });

  it('checks an inclusion proof against a checkpoint signed by the log', () => {
    const bundle = makeBundle(payload);
    const entry = bundle.verificationMaterial.tlogEntries[0];
    if (!entry) throw new Error('no entry');
    const leaves = Array.from({ length: 7 }, (_, i) => Buffer.from(`other entry ${String(i)}`));
    leaves[5] = Buffer.from(entry.canonicalizedBody, 'base64');
    const root = mth(leaves);
    const note = (key: KeyObject, rootHash: Buffer): string => {
      const body = `test-log - 1\n7\n${rootHash.toString('base64')}\n`;
      const sig = sign('sha256', Buffer.from(body), key);
      return `${body}\n\u2014 test-log ${Buffer.concat([Buffer.alloc(4, 1), sig]).toString('base64')}\n`;
    };
    const withProof = (path: Buffer[], checkpoint: string): SigstoreBundle => {
      const copy = sigstoreBundleSchema.parse(JSON.parse(JSON.stringify(bundle)));
      const e = copy.verificationMaterial.tlogEntries[0];
      if (e)
        e.inclusionProof = {
          logIndex: '5',
          rootHash: root.toString('base64'),
          treeSize: '7',
          hashes: path.map((x) => x.toString('base64')),
          checkpoint: { envelope: checkpoint },
        };
      return copy;
    };
    const good = verifySigstoreBundle(
      withProof(auditPath(5, leaves), note(logKey.privateKey, root)),
      trustedRoot,
    );
    expect(good.status, good.detail).toBe('verified');
    expect(good.detail).toMatch(/inclusion proof to the signed checkpoint of tree size 7/);
    const badPath = verifySigstoreBundle(
      withProof(auditPath(4, leaves), note(logKey.privateKey, root)),
      trustedRoot,
    );
    expect(badPath.detail).toMatch(/does not lead to its root hash/);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const badNote = verifySigstoreBundle(withProof(auditPath(5, leaves), note(otherKey, root)), trustedRoot);
    expect(badNote.detail).toMatch(/checkpoint is not signed by the transparency log key/);
    const otherTree = verifySigstoreBundle(
      withProof(auditPath(5, leaves), note(logKey.privateKey, Buffer.alloc(32, 3))),
      trustedRoot,
    );
    expect(otherTree.detail).toMatch(/checkpoint names another tree/);
  });

  it('rejects every kind of tampering', () => {
    const cases: Array<[string, SigstoreBundle, RegExp]> = [];
    const changed = makeBundle(payload);
    changed.dsseEnvelope.payload = Buffer.from('{"_type":"other"}').toString('base64');
    cases.push(['payload', changed, /DSSE signature does not verify/]);
    const rogue = makeCert({
      subject: 'rogue-ca',
      ca: true,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + DAY),
      serial: 9,
    });
    cases.push(['rogue CA', makeBundle(payload, { issuer: rogue }), /does not chain/]);
    cases.push([
      'late entry',
      makeBundle(payload, { time: new Date(now.getTime() + 3600_000) }),
      /outside the signing certificate's validity/,
    ]);
    cases.push([
      'other log key',
      makeBundle(payload, { log: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }),
      /signed entry timestamp does not verify/,
    ]);
    cases.push([
      'entry for another payload',
      makeBundle(payload, { entryPayload: Buffer.from('x') }),
      /another payload hash/,
    ]);
    const moved = makeBundle(payload);
    const entry = moved.verificationMaterial.tlogEntries[0];
    if (entry) entry.integratedTime = String(Number(entry.integratedTime) + 1);
    cases.push(['entry time', moved, /signed entry timestamp does not verify/]);
    const unknownLog = makeBundle(payload);
    const e2 = unknownLog.verificationMaterial.tlogEntries[0];
    if (e2) e2.logId.keyId = Buffer.alloc(32, 7).toString('base64');
    cases.push(['unknown log', unknownLog, /transparency log the trusted root does not list/]);
    for (const [what, bundle, message] of cases) {
      const result = verifySigstoreBundle(bundle, trustedRoot);
      expect(result.status, what).toBe('invalid');
      expect(result.detail, what).toMatch(message);
    }
  });

  it('never throws on mutated bundles (fuzz)', () => {
    const random = seededRandom(31337);
    const good = JSON.stringify(makeBundle(payload));
    for (let round = 0; round < 200; round++) {
      const chars = Array.from(good);
      for (let k = 0; k < 1 + Math.floor(random() * 5); k++)
        chars[Math.floor(random() * chars.length)] = 'AZaz09+/={}":,'[Math.floor(random() * 14)] ?? 'A';
      let parsed: unknown;
      try {
        parsed = JSON.parse(chars.join(''));
      } catch {
        continue;
      }
      const bundle = sigstoreBundleSchema.safeParse(parsed);
      if (!bundle.success) continue;
      const result = verifySigstoreBundle(bundle.data, trustedRoot);
      expect(['verified', 'invalid', 'unsupported']).toContain(result.status);
    }
  });

  it('scan data: a bundle manifest verifies with --trusted-root, and is inconclusive without it', async () => {
    const data = join(dir, 'batch.csv');
    writeFileSync(data, 'id,text,label\n1,first document,a\n2,second document,b\n');
    const statement = await buildManifest(await openDataset(data), {
      idField: 'id',
      provenance: { source: 'vendor' },
      tool: { name: 'atlasguard', version: 'test' },
      now: () => now,
    });
    const manifestPath = join(dir, 'bundle.json');
    writeFileSync(manifestPath, JSON.stringify(makeBundle(Buffer.from(canonicalJson(statement)))));
    const rootPath = join(dir, 'trusted_root.json');
    writeFileSync(rootPath, JSON.stringify(trustedRoot));
    expect((await loadManifest(manifestPath, [], trustedRoot)).signature.status).toBe('verified');
    const base = {
      batchPath: data,
      baselinePath: data,
      roles: { id: 'id', text: 'text', label: 'label' },
      manifestPath,
      failOn: 'medium' as const,
      tool: { name: 'atlasguard', version: 'test' },
      now: () => now,
    };
    const verified = await scanData({ ...base, trustedRootPath: rootPath });
    expect(verified.report.checks.find((c) => c.id === 'manifest-signature')?.status).toBe('pass');
    expect(verified.report.provenance.manifest?.signer).toContain('release@example.org');
    const without = await scanData(base);
    expect(without.report.checks.find((c) => c.id === 'manifest-signature')?.status).toBe('inconclusive');
    expect(without.report.inconclusive).toBe(true);
  });
});
