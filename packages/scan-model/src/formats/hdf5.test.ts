import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { hdf5, type H5Attr } from '../test-support/hdf5-builder.js';
import { mutate } from '../test-support/mutate.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { makeZip } from '../test-support/zip-builder.js';
import { VERDICTS } from '../scan/types.js';

const sequential = (layers: unknown[]): string =>
  JSON.stringify({ class_name: 'Sequential', config: { name: 'sequential', layers } });
const dense = { class_name: 'Dense', config: { name: 'dense', units: 4, activation: 'relu' } };
const lambda = {
  class_name: 'Lambda',
  config: {
    name: 'lambda',
    function: ['4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMIAAAAdABkAYMBUwCpAk4', null, null],
  },
};
const keras = (config: string, kind: H5Attr['kind'] = 'vlen'): H5Attr[] => [
  { name: 'backend', value: 'tensorflow', kind },
  { name: 'keras_version', value: '2.11.0', kind },
  { name: 'model_config', value: config, kind },
];
const layouts = ['v0', 'v0-continuation', 'v2'] as const;

describe('Keras H5: model_config read from the HDF5 root group', () => {
  for (const layout of layouts) {
    for (const kind of ['vlen', 'fixed'] as const) {
      it(`${layout}, ${kind} strings: a Lambda layer is high; a Dense-only model is clean`, () => {
        const bad = scanBytes(hdf5(keras(sequential([dense, lambda]), kind), { layout }), 'model.h5');
        expect(bad.format).toBe('keras-h5');
        expect(bad.verdict).toBe('malicious');
        const f = bad.findings.find((x) => x.title === 'Keras Lambda layer');
        expect(f?.evidence).toBe('model_config/config/layers/1');
        expect(f?.references?.map((r) => r.label)).toContain('CVE-2024-3660');
        const good = scanBytes(hdf5(keras(sequential([dense]), kind), { layout }), 'model.h5');
        expect(good).toMatchObject({ format: 'keras-h5', verdict: 'clean', findings: [] });
      });
    }
  }

  it('a nested functional model with a Lambda inside a submodel', () => {
    const inner = { class_name: 'Functional', config: { name: 'inner', layers: [dense, lambda] } };
    const r = scanBytes(
      hdf5(keras(JSON.stringify({ class_name: 'Functional', config: { layers: [inner] } }))),
      'm.h5',
    );
    expect(r.findings.find((f) => f.title === 'Keras Lambda layer')?.evidence).toBe(
      'model_config/config/layers/0/config/layers/1',
    );
  });

  it('custom objects from outside Keras and get_file in training_config', () => {
    const custom = { class_name: 'Evil', module: 'os', config: {} };
    const r = scanBytes(
      hdf5([
        ...keras(sequential([dense, custom])),
        { name: 'training_config', value: JSON.stringify({ loss: 'keras.utils.get_file' }) },
      ]),
      'model.h5',
    );
    expect(r.findings.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        'Keras object from a module outside Keras',
        'Keras config calls a risky Keras function',
      ]),
    );
    expect(r.verdict).toBe('malicious');
  });

  it('an HDF5 file without Keras attributes is plain data; the name does not matter', () => {
    const r = scanBytes(hdf5([{ name: 'description', value: 'weights' }]), 'weights.bin');
    expect(r).toMatchObject({ format: 'hdf5', verdict: 'clean' });
    const inZip = scanBytes(
      makeZip([{ name: 'x/model.h5', data: hdf5(keras(sequential([lambda]))) }]),
      'a.zip',
    );
    expect(inZip.findings.find((f) => f.title === 'Keras Lambda layer')?.location?.member).toBe('x/model.h5');
  });

  it('model_config that is not JSON is inconclusive', () => {
    const r = scanBytes(hdf5(keras('{"class_name": "Seq')), 'model.h5');
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings[0]?.message).toBe('HDF5 attribute model_config is not valid JSON');
  });
});

describe('Keras H5: broken files fail closed', () => {
  const good = hdf5(keras(sequential([dense, lambda])), { layout: 'v0-continuation' });

  it('truncated: inconclusive with the reason and offset', () => {
    const r = scanBytes(good.subarray(0, 200), 'model.h5');
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings[0]?.message).toMatch(/^HDF5 file cannot be read: .*runs past the end/);
    expect(rules(r)).toEqual(['AG-MODEL-INCONCLUSIVE']);
  });

  it('an unknown superblock version and a continuation loop', () => {
    const v9 = Uint8Array.from(good);
    v9[8] = 9;
    expect(scanBytes(v9, 'model.h5').findings[0]?.message).toContain('superblock version 9');
    // Point the continuation message at the object header's own first message block.
    const loop = Uint8Array.from(good);
    const view = new DataView(loop.buffer);
    const ohdr = 96;
    view.setUint32(ohdr + 16 + 8, ohdr + 16, true);
    view.setUint32(ohdr + 16 + 16, 24, true);
    expect(scanBytes(loop, 'model.h5').findings[0]?.message).toContain('continuation loops');
  });

  it('seeded fuzz: truncation, bit flips, huge lengths; always a verdict, bounded time, never clean when truncated', () => {
    const rnd = seededRandom(77);
    const seeds = layouts.map((layout) => hdf5(keras(sequential([dense, lambda])), { layout }));
    seeds.push(hdf5(keras(sequential([lambda]), 'fixed')));
    const started = Date.now();
    let inconclusive = 0;
    for (const seed of seeds) {
      for (let i = 0; i < 200; i++) {
        const { kind, bytes } = mutate(seed, rnd, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        const r = scanBytes(bytes, 'model.h5');
        expect(VERDICTS).toContain(r.verdict);
        if (r.verdict === 'inconclusive') inconclusive++;
        // Every seed holds a Lambda. A truncated file is either still read (malicious) or unreadable
        // (inconclusive), never clean. (A flipped bit may rename the attribute or the class, which the loader
        // would not see as a Lambda either.)
        if (kind === 'truncated' && r.format === 'keras-h5') expect(r.verdict).not.toBe('clean');
      }
    }
    expect(inconclusive).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
