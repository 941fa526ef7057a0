import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

// A minimal DER writer and X.509 certificate builder for tests: node:crypto reads certificates but cannot
// make them. ECDSA P-256 with SHA-256 only.

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), len(content.length), content]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));

function int(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const out = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

export interface TestCert {
  der: Buffer;
  key: KeyObject;
  publicKey: KeyObject;
}

/** A certificate for a fresh P-256 key, signed by `issuer` (self-signed without one). */
export function makeCert(options: {
  subject: string;
  issuer?: { subject: string; key: KeyObject };
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  email?: string;
  serial: number;
}): TestCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const extensions: Buffer[] = [
    seq(oid('2.5.29.19'), bool(true), octets(seq(...(options.ca ? [bool(true)] : [])))),
  ];
  if (options.ca)
    extensions.push(seq(oid('2.5.29.15'), bool(true), octets(tlv(0x03, Buffer.from([0x01, 0x06])))));
  if (options.email !== undefined)
    extensions.push(seq(oid('2.5.29.17'), octets(seq(tlv(0x81, Buffer.from(options.email, 'ascii'))))));
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    explicit(0, int(2)),
    int(options.serial),
    ECDSA_SHA256,
    name(options.issuer?.subject ?? options.subject),
    seq(time(options.notBefore), time(options.notAfter)),
    name(options.subject),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, options.issuer?.key ?? privateKey);
  return { der: seq(tbs, ECDSA_SHA256, bits(signature)), key: privateKey, publicKey };
}

/** Rekor-style log id: SHA-256 of the log key's SubjectPublicKeyInfo. */
export function logIdOf(key: KeyObject): Buffer {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();
}
