import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../hash/canonical-json.js';
import { openDataset } from '../read/open-dataset.js';
import { scanData } from '../scan/scan-data.js';
import { buildManifest } from './build-manifest.js';
import { signEnvelope } from './dsse.js';
import { loadManifest } from './load-manifest.js';

let dir: string;
const now = (): Date => new Date('2026-01-01T00:00:00Z');
const tool = { name: 'atlasguard', version: 'test' };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-manifest-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rows = (n: number): string =>
  `id,text,label\n${Array.from({ length: n }, (_, i) => `${String(i)},document number ${String(i)} about topic ${String(i % 7)},${i % 2 === 0 ? 'a' : 'b'}`).join('\n')}\n`;

async function manifestFor(path: string) {
  return buildManifest(await openDataset(path), {
    idField: 'id',
    provenance: { source: 'vendor-x' },
    tool,
    now,
  });
}

describe('canonical record hashing', () => {
  it('ignores key order and whitespace', () => {
    expect(canonicalJson({ b: 1, a: [1, 'x', { d: null, c: true }] })).toBe(
      '{"a":[1,"x",{"c":true,"d":null}],"b":1}',
    );
  });
});

describe('manifest verification (split-view)', () => {
  it('finds changed, injected and removed records', async () => {
    const trusted = join(dir, 'trusted.csv');
    writeFileSync(trusted, rows(50));
    const statement = await manifestFor(trusted);
    const manifestPath = join(dir, 'm.json');
    writeFileSync(manifestPath, canonicalJson(statement));
    const lines = rows(50).split('\n');
    lines[3] = '2,document number 2 about something else entirely,a'; // changed (row 2)
    lines.splice(10, 1); // removes id 9
    lines.splice(20, 0, '999,injected record with a planted phrase,b'); // injected
    const tampered = join(dir, 'tampered.csv');
    writeFileSync(tampered, lines.join('\n'));
    const { report } = await scanData({
      batchPath: tampered,
      baselinePath: trusted,
      roles: { text: 'text', label: 'label', id: 'id' },
      manifestPath,
      failOn: 'medium',
      tool,
      now,
    });
    const check = report.checks.find((c) => c.id === 'manifest-records');
    expect(check?.details).toMatchObject({ changed: 1, injected: 1, removed: 1 });
    expect(report.checks.find((c) => c.id === 'manifest-file-digest')?.status).toBe('fail');
    const byRule = (id: string) =>
      report.findings.filter((f) => f.ruleId === id).map((f) => f.location?.row ?? f.location?.pointer);
    expect(byRule('data.integrity.record-changed')).toEqual([2]);
    expect(byRule('data.integrity.record-injected')).toEqual([19]);
    expect(byRule('data.integrity.record-removed')).toEqual(['/predicate/records/9']);
    expect(report.verdict).toBe('fail');
  });

  it('verifies Ed25519 and ECDSA DSSE signatures and rejects a tampered one', async () => {
    const data = join(dir, 'signed.csv');
    writeFileSync(data, rows(20));
    const payload = Buffer.from(canonicalJson(await manifestFor(data)));
    for (const type of ['ed25519', 'ec'] as const) {
      const pair =
        type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
      const envelope = signEnvelope(payload, pem);
      const path = join(dir, `env-${type}.json`);
      writeFileSync(path, JSON.stringify(envelope));
      expect((await loadManifest(path, [pair.publicKey])).signature.status).toBe('verified');
      expect((await loadManifest(path, [])).signature.status).toBe('not-checked');
      const other = generateKeyPairSync('ed25519').publicKey;
      expect((await loadManifest(path, [other])).signature.status).toBe('invalid');
      const forged = {
        ...envelope,
        payload: Buffer.from(payload.toString().replace('vendor-x', 'vendor-y')).toString('base64'),
      };
      writeFileSync(path, JSON.stringify(forged));
      expect((await loadManifest(path, [pair.publicKey])).signature.status).toBe('invalid');
    }
  });

  it('reports a Sigstore bundle as unsupported (inconclusive), not as verified', async () => {
    const data = join(dir, 'bundle.csv');
    writeFileSync(data, rows(5));
    const payload = Buffer.from(canonicalJson(await manifestFor(data))).toString('base64');
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {},
      dsseEnvelope: { payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ sig: 'AAAA' }] },
    };
    const path = join(dir, 'bundle.json');
    writeFileSync(path, JSON.stringify(bundle));
    const { report } = await scanData({
      batchPath: data,
      baselinePath: data,
      roles: { text: 'text', label: 'label', id: 'id' },
      manifestPath: path,
      failOn: 'medium',
      tool,
      now,
    });
    expect(report.checks.find((c) => c.id === 'manifest-signature')?.status).toBe('inconclusive');
    expect(report.inconclusive).toBe(true);
  });
});
