import { constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { callP4 } from '../test-support/pickle-builder.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { makeZip } from '../test-support/zip-builder.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from '../scan/scan-file.js';
import { Policy } from '../policy/policy.js';
import { BufferSource } from './byte-source.js';
import { InflateError, InflateSource } from './inflate-source.js';

function sample(n: number, seed: number): Uint8Array {
  const rnd = seededRandom(seed);
  const out = new Uint8Array(n);
  // Text-like runs plus noise: exercises literals, long matches and all three block types across levels.
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.7 ? 97 + ((i >> 5) % 7) : Math.floor(rnd() * 256);
  return out;
}

const inflater = (data: Uint8Array, options: Parameters<typeof deflateRawSync>[1] = {}): InflateSource => {
  const z = deflateRawSync(data, options);
  return new InflateSource(new BufferSource(z), data.length, () => undefined);
};

describe('InflateSource: on-demand raw deflate', () => {
  it.each([
    ['stored (level 0)', { level: 0 }],
    ['fixed Huffman', { strategy: constants.Z_FIXED }],
    ['dynamic Huffman (level 9)', { level: 9 }],
    ['run-length', { strategy: constants.Z_RLE }],
  ] as const)('%s: identical to zlib, read sequentially', (_label, options) => {
    const data = sample(3 * 1024 * 1024 + 17, 5);
    const src = inflater(data, options);
    const got = new Uint8Array(data.length);
    for (let off = 0; off < data.length; off += 100_000) got.set(src.read(off, 100_000), off);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
  });

  it('random access forwards, backwards (restart) and overlapping reads', () => {
    const data = sample(2 * 1024 * 1024, 6);
    const src = inflater(data, { level: 6 });
    const rnd = seededRandom(7);
    for (let i = 0; i < 12; i++) {
      const off = Math.floor(rnd() * data.length);
      const len = 1 + Math.floor(rnd() * 3 * 1024 * 1024);
      const got = src.read(off, len);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(data.subarray(off, off + len)))).toBe(0);
    }
  });

  it('backward reads resume from the nearest checkpoint (every 8 MiB), not from the start', () => {
    const n = 40 * 1024 * 1024;
    const data = new Uint8Array(n);
    let x = 7;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      data[i] = x >>> 29 === 0 ? x >>> 24 : 97 + ((i >> 6) % 5);
    }
    let charged = 0;
    const src = new InflateSource(new BufferSource(deflateRawSync(data, { level: 1 })), n, (b) => {
      charged += b;
    });
    src.read(n - 10, 10); // decodes everything once, leaving checkpoints behind
    const afterFirst = charged;
    const rnd = seededRandom(13);
    for (let i = 0; i < 10; i++) {
      const off = Math.floor(rnd() * (n - 4096));
      const got = src.read(off, 4096);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(data.subarray(off, off + 4096)))).toBe(0);
    }
    // Each read re-decodes at most 8 MiB up to it plus one 1 MiB chunk (from the start it would average 21 MiB).
    expect(charged - afterFirst).toBeLessThanOrEqual(10 * 9 * 1024 * 1024);
  });

  it('fails closed: corrupt data, early end and too many backward reads throw InflateError', () => {
    const data = sample(200_000, 8);
    const z = Uint8Array.from(deflateRawSync(data));
    const truncated = new InflateSource(new BufferSource(z.subarray(0, 1000)), data.length, () => undefined);
    expect(() => truncated.read(0, data.length)).toThrow(InflateError);
    const broken = Uint8Array.from(z);
    broken[0] = (broken[0] ?? 0) | 0x06; // block type 3
    expect(() =>
      new InflateSource(new BufferSource(broken), data.length, () => undefined).read(0, 10),
    ).toThrow(InflateError);
    const long = sample(3 * 1024 * 1024, 9);
    const src = new InflateSource(new BufferSource(deflateRawSync(long)), long.length, () => undefined, 2);
    const far = 2 * 1024 * 1024 + 100;
    src.read(far, 10);
    src.read(0, 10); // restart 1
    src.read(far, 10);
    src.read(0, 10); // restart 2
    expect(() => {
      src.read(far, 10);
      src.read(0, 10); // restart 3: over the limit
    }).toThrow(/read backwards/);
  });

  it('seeded fuzz: bit flips and truncation never hang and only throw InflateError', () => {
    const rnd = seededRandom(11);
    const z = Uint8Array.from(deflateRawSync(sample(50_000, 12), { level: 9 }));
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from(z.subarray(0, 1 + Math.floor(rnd() * z.length)));
      for (let f = 0; f < 4; f++) {
        const at = Math.floor(rnd() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
      }
      try {
        new InflateSource(new BufferSource(bytes), 50_000, () => undefined).read(0, 50_000);
      } catch (error) {
        expect(error).toBeInstanceOf(InflateError);
      }
    }
  });
});

describe('zip members above the streaming threshold', () => {
  const options = (streamInflateAbove: number, maxInflatedTotal = 1 << 30) => ({
    ...DEFAULT_FILE_OPTIONS,
    policy: new Policy(),
    streamInflateAbove,
    maxInflatedTotal,
  });
  const scan = (bytes: Uint8Array, o: ReturnType<typeof options>) =>
    scanSource(new BufferSource(bytes), 'm.zip', '0'.repeat(64), o);

  it('a streamed data.pkl is scanned like an inflated one (payload found, CRC checked)', () => {
    const zip = makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system'), method: 8 }]);
    const streamed = scan(zip, options(0));
    expect(rules(streamed)).toContain('AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
    expect(streamed.verdict).toBe('malicious');
    expect(rules(scanBytes(zip, 'm.zip'))).toEqual(rules(streamed));
    const badCrc = makeZip([{ name: 'archive/data.pkl', data: callP4('os', 'system'), method: 8, crc: 7 }]);
    expect(scan(badCrc, options(0)).findings.map((f) => f.title)).toContain(
      'CRC-32 does not match the member',
    );
  });

  it('broken deflate data in a streamed member is inconclusive, and the next member is still scanned', () => {
    const zip = Uint8Array.from(
      makeZip([
        { name: 'a.pkl', data: callP4('os', 'system'), method: 8 },
        { name: 'b.pkl', data: callP4('subprocess', 'run'), method: 8 },
      ]),
    );
    zip[30 + 'a.pkl'.length] = 0xff; // first deflate byte of a.pkl: block type 3
    const r = scan(zip, options(0));
    expect(r.findings.some((f) => /does not inflate/.test(f.message))).toBe(true);
    expect(r.findings.some((f) => f.message.includes('subprocess'))).toBe(true);
  });

  it('a member that inflates past its declared size is inconclusive; an exact one is not', () => {
    const data = callP4('os', 'system');
    const short = makeZip([{ name: 'a.pkl', data, method: 8, declaredSize: data.length - 3 }]);
    const r = scan(short, options(0));
    expect(r.findings.map((f) => f.title)).toContain('Member inflates past its declared size');
    expect(r.findings.some((f) => f.ruleId === 'AG-MODEL-INCONCLUSIVE')).toBe(true);
    const exact = scan(makeZip([{ name: 'b.pkl', data: new Uint8Array(1000), method: 8 }]), options(0));
    expect(exact.findings.map((f) => f.title)).not.toContain('Member inflates past its declared size');
  });

  it('the per-file byte budget still applies while streaming', () => {
    const big = new Uint8Array(4 * 1024 * 1024);
    const zip = makeZip([{ name: 'x.bin', data: big, method: 8 }]);
    const r = scan(zip, options(1024, 4.5 * 1024 * 1024));
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings.some((f) => /budget of the file is exhausted/.test(f.message))).toBe(true);
  });
});

describe('gzip and zlib wrappers larger than 1 MiB stream', () => {
  const noise = (n: number): Uint8Array => {
    const rnd = seededRandom(21);
    return Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  };
  /** A protocol-4 pickle: a 2 MB bytes constant (incompressible), then the call. */
  const bigPickle = (module: string, name: string): Uint8Array => {
    const blob = noise(2 * 1024 * 1024);
    const head = Uint8Array.from([
      0x80,
      0x04,
      0x8e,
      ...new Uint8Array(new BigUint64Array([BigInt(blob.length)]).buffer),
    ]);
    const call = callP4(module, name);
    return Uint8Array.from([...head, ...blob, 0x30, ...call.subarray(2)]);
  };

  it('a payload after 2 MB of data in a .gz pickle is found; a benign one is clean', () => {
    const bad = gzipSync(bigPickle('os', 'system'));
    expect(bad.length).toBeGreaterThan(1024 * 1024);
    const r = scanBytes(bad, 'model.pkl.gz');
    expect(r.format).toBe('gzip+pickle');
    expect(rules(r)).toContain('AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
    const z = scanBytes(deflateSync(bigPickle('os', 'system')), 'model.joblib');
    expect(rules(z)).toContain('AG-MODEL-PICKLE-DANGEROUS-GLOBAL');
    const good = scanBytes(gzipSync(bigPickle('collections', 'OrderedDict')), 'model.pkl.gz');
    expect(good).toMatchObject({ format: 'gzip+pickle', verdict: 'clean' });
  });

  it('a second gzip member, a truncated stream and a header that lies fail closed', () => {
    const one = gzipSync(bigPickle('collections', 'OrderedDict'));
    const two = Buffer.concat([one, gzipSync(callP4('os', 'system'))]);
    const r = scanBytes(two, 'model.pkl.gz');
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings[0]?.message).toMatch(/follow the first gzip stream/);
    expect(scanBytes(one.subarray(0, one.length - 5000), 'm.gz').verdict).toBe('inconclusive');
    const fname = Uint8Array.from(one);
    fname[3] = 0x08; // FNAME flag without a name: the "name" swallows deflate bytes
    expect(scanBytes(fname, 'm.gz').verdict).not.toBe('clean');
  });
});
