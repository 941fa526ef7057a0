import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Policy } from '../policy/policy.js';
import { BufferSource } from '../source/byte-source.js';
import { gguf, npy, onnxModel, safetensors, tar } from '../test-support/format-builders.js';
import { P, callP4, osSystemP0, torchDataPkl } from '../test-support/pickle-builder.js';
import { makeZip, utf8 } from '../test-support/zip-builder.js';
import { hdf5 } from '../test-support/hdf5-builder.js';
import { MATH_NODES, SAVER_FUNCTIONS, kerasMetadata, savedModel } from '../test-support/tf-builders.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from './scan-file.js';
import { VERDICTS } from './types.js';
import { seededRandom as prng } from '@atlasguard/core';

// Deterministic fuzzing: random bytes and mutations of valid samples of every format. Every input must
// end with a verdict, without throwing and within the (small) budgets.

const options = {
  ...DEFAULT_FILE_OPTIONS,
  policy: new Policy(),
  maxMemberInflate: 4 * 1024 * 1024,
  maxInflatedTotal: 16 * 1024 * 1024,
  limits: { ...DEFAULT_FILE_OPTIONS.limits, maxOpcodes: 1_000_000, timeMs: 5_000 },
};

function check(bytes: Uint8Array, name: string, streamed = false): void {
  const report = scanSource(
    new BufferSource(bytes),
    name,
    createHash('sha256').update(bytes).digest('hex'),
    streamed ? { ...options, streamInflateAbove: 0 } : options,
  );
  expect(VERDICTS).toContain(report.verdict);
}

const seeds: Array<[string, Uint8Array]> = [
  ['a.pkl', osSystemP0()],
  ['b.pkl', callP4('os', 'system')],
  ['c.pkl', P().proto(4).frame(8).emptyDict().str('k').int(1).setitem().stop().done()],
  [
    'm.pt',
    makeZip([
      { name: 'archive/data.pkl', data: torchDataPkl(['0']) },
      { name: 'archive/data/0', data: new Uint8Array(16) },
    ]),
  ],
  ['n.npz', makeZip([{ name: 'a.npy', data: npy('<f4', [4], new Uint8Array(16)), method: 8 }])],
  ['o.npy', npy('|O', [1], osSystemP0())],
  ['s.safetensors', safetensors({ a: { dtype: 'F32', shape: [4], offsets: [0, 16] } }, 16)],
  [
    'g.gguf',
    gguf({ 'general.architecture': 'llama', 'tokenizer.chat_template': '{{ x }}' }, [
      { name: 'w', dims: [4], offset: 0 },
    ]),
  ],
  ['t.tar', tar([{ name: 'x/data.pkl', data: callP4('os', 'system') }])],
  ['m.onnx', onnxModel('weights.bin', 'com.x', '../y')],
  ['c.json', utf8('{"auto_map": {"AutoModel": "m.M"}, "chat_template": "{{ a }}"}')],
  [
    'saved_model.pb',
    savedModel({ nodes: [...MATH_NODES, { name: 'r', op: 'ReadFile' }], functions: SAVER_FUNCTIONS }),
  ],
  ['keras_metadata.pb', kerasMetadata([['root', '{"class_name": "Lambda"}']])],
  [
    'model.h5',
    hdf5([{ name: 'model_config', value: '{"class_name": "Lambda"}' }], { layout: 'v0-continuation' }),
  ],
  [
    'v2.h5',
    hdf5([{ name: 'model_config', value: '{"class_name": "Dense"}', kind: 'fixed' }], { layout: 'v2' }),
  ],
  [
    'repo.zip',
    makeZip([
      { name: 'r/config.json', data: utf8('{"auto_map": {"AutoModel": "modeling_x.M"}}') },
      { name: 'r/modeling_x.py', data: utf8('import os\nos.system("id")\n'), method: 8 },
    ]),
  ],
];

describe('fuzz: no crash, no hang, always a verdict', () => {
  it('mutated zips with every deflated member decoded by the streaming inflater', () => {
    const rnd = prng(4);
    const zips = seeds.filter(([, b]) => b[0] === 0x50 && b[1] === 0x4b);
    const deflated = makeZip([
      { name: 'archive/data.pkl', data: callP4('os', 'system'), method: 8 },
      { name: 'archive/x.npy', data: npy('<f4', [64], new Uint8Array(256)), method: 8 },
    ]);
    for (const [name, seed] of [...zips, ['d.pt', deflated] as [string, Uint8Array]]) {
      for (let i = 0; i < 80; i++) {
        const bytes = Uint8Array.from(seed);
        for (let f = 0; f < 1 + Math.floor(rnd() * 6); f++) {
          const at = Math.floor(rnd() * bytes.length);
          bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
        }
        check(rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes, name, true);
      }
    }
  });

  it('random byte strings', () => {
    const rnd = prng(1);
    for (let i = 0; i < 400; i++) {
      const len = Math.floor(rnd() * 2048);
      const bytes = new Uint8Array(len);
      for (let j = 0; j < len; j++) bytes[j] = Math.floor(rnd() * 256);
      if (len > 0 && rnd() < 0.5) bytes[0] = 0x80;
      if (len > 1 && rnd() < 0.3) bytes[1] = Math.floor(rnd() * 6);
      check(bytes, i % 2 === 0 ? 'r.pkl' : 'r.bin');
    }
  });

  it('random opcode soups', () => {
    const rnd = prng(2);
    const ops = [
      0x28, 0x2e, 0x30, 0x31, 0x32, 0x4e, 0x52, 0x62, 0x61, 0x65, 0x73, 0x75, 0x74, 0x5d, 0x7d, 0x29, 0x85,
      0x86, 0x87, 0x88, 0x89, 0x93, 0x94, 0x81, 0x92, 0x8f, 0x90, 0x91, 0x4b, 0x68, 0x71, 0x51, 0x82, 0x95,
      0x8c,
    ];
    for (let i = 0; i < 400; i++) {
      const b = P().proto(4);
      const n = 1 + Math.floor(rnd() * 80);
      for (let j = 0; j < n; j++) {
        const op = ops[Math.floor(rnd() * ops.length)] ?? 0x4e;
        b.op(op);
        if (op === 0x4b || op === 0x68 || op === 0x71 || op === 0x82) b.op(Math.floor(rnd() * 8));
        if (op === 0x8c) b.op(2).raw('os');
        if (op === 0x95) b.raw([Math.floor(rnd() * 40), 0, 0, 0, 0, 0, 0, 0]);
      }
      check(b.done(), 'soup.pkl');
    }
  });

  it('mutations of valid samples of every format', () => {
    const rnd = prng(3);
    for (const [name, seed] of seeds) {
      for (let i = 0; i < 120; i++) {
        const bytes = Uint8Array.from(seed);
        const kind = Math.floor(rnd() * 4);
        if (kind === 0) {
          const flips = 1 + Math.floor(rnd() * 8);
          for (let f = 0; f < flips; f++) {
            const at = Math.floor(rnd() * bytes.length);
            bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
          }
          check(bytes, name);
        } else if (kind === 1) {
          check(bytes.subarray(0, Math.floor(rnd() * bytes.length)), name);
        } else if (kind === 2) {
          const at = Math.floor(rnd() * bytes.length);
          const junk = Uint8Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256));
          const out = new Uint8Array(bytes.length + junk.length);
          out.set(bytes.subarray(0, at));
          out.set(junk, at);
          out.set(bytes.subarray(at), at + junk.length);
          check(out, name);
        } else {
          const at = Math.floor(rnd() * Math.max(1, bytes.length - 8));
          for (let k = 0; k < 8 && at + k < bytes.length; k++) bytes[at + k] = 0xff;
          check(bytes, name);
        }
      }
    }
  });
});
