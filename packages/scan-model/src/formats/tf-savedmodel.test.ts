import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { pb } from '../test-support/format-builders.js';
import { mutate } from '../test-support/mutate.js';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import {
  MATH_NODES,
  SAVER_FUNCTIONS,
  fingerprint,
  graphDef,
  kerasMetadata,
  savedModel,
} from '../test-support/tf-builders.js';
import { makeZip } from '../test-support/zip-builder.js';
import { VERDICTS } from '../scan/types.js';

const lambdaLayer = JSON.stringify({
  class_name: 'Lambda',
  config: { name: 'lambda', function: ['4wEAAAAAAAAA', null, null], function_type: 'lambda' },
});
const denseLayer = JSON.stringify({ class_name: 'Dense', config: { name: 'dense', units: 4 } });

describe('TensorFlow SavedModel: dangerous ops are reported with their node names', () => {
  it('ReadFile and WriteFile in the main graph are high, with node names and a pseudo call', () => {
    const bytes = savedModel({
      nodes: [
        ...MATH_NODES,
        { name: 'steal/path', op: 'Const' },
        { name: 'steal/ReadFile', op: 'ReadFile', inputs: ['steal/path'] },
        { name: 'drop/WriteFile', op: 'WriteFile', inputs: ['drop/path', 'steal/ReadFile'] },
      ],
    });
    const r = scanBytes(bytes, 'model/saved_model.pb');
    expect(r.format).toBe('tf-savedmodel');
    expect(r.verdict).toBe('malicious');
    const read = r.findings.find((f) => f.title === 'TensorFlow op ReadFile');
    expect(read?.severity).toBe('high');
    expect(read?.message).toContain('"steal/ReadFile"');
    expect(read?.evidence).toBe('steal/ReadFile = tf.raw_ops.ReadFile(steal/path)');
    expect(read?.location?.offset).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.title === 'TensorFlow op WriteFile')).toBe(true);
  });

  it('PyFunc inside a library function names the function', () => {
    const bytes = savedModel({
      nodes: MATH_NODES,
      functions: [
        { name: '__inference_call_99', nodes: [{ name: 'PyFunc', op: 'EagerPyFunc', inputs: ['x'] }] },
      ],
    });
    const r = scanBytes(bytes, 'saved_model.pb');
    const f = r.findings.find((x) => x.ruleId === 'AG-MODEL-TF-OP');
    expect(f?.message).toContain('function __inference_call_99');
    expect(f?.evidence).toContain('__inference_call_99: PyFunc = tf.raw_ops.EagerPyFunc(x)');
    expect(r.verdict).toBe('malicious');
  });

  it.each([
    ['MatchingFiles', {}, 'high'],
    ['RpcCall', {}, 'high'],
    ['DataServiceDatasetV4', {}, 'high'],
    ['ImmutableConst', { memory_region_name: '/etc/shadow' }, 'high'],
    ['PrintV2', { output_stream: 'file:///tmp/leak' }, 'high'],
    ['TFRecordDataset', {}, 'medium'],
    ['DecodeProtoV2', { descriptor_source: '/tmp/desc.bin' }, 'medium'],
  ] as const)('%s is reported (%s)', (op, attrs, severity) => {
    const r = scanBytes(
      savedModel({ nodes: [...MATH_NODES, { name: `n/${op}`, op, attrs }] }),
      'saved_model.pb',
    );
    const f = r.findings.find((x) => x.ruleId === 'AG-MODEL-TF-OP');
    expect(f?.severity).toBe(severity);
    expect(f?.message).toContain(`n/${op}`);
    expect(r.verdict).toBe(severity === 'high' ? 'malicious' : 'suspicious');
  });

  it('checkpoint ops outside the saver are file access', () => {
    const r = scanBytes(
      savedModel({
        nodes: [...MATH_NODES, { name: 'exfil/SaveV2', op: 'SaveV2', inputs: ['exfil/path'] }],
        saverFilename: 'save/Const:0',
      }),
      'saved_model.pb',
    );
    expect(r.findings.find((f) => f.ruleId === 'AG-MODEL-TF-OP')?.message).toContain('exfil/SaveV2');
    expect(r.verdict).toBe('malicious');
  });

  it('namespaced custom ops need a native library (medium)', () => {
    const r = scanBytes(
      savedModel({ nodes: [...MATH_NODES, { name: 'gelu', op: 'Addons>Gelu', inputs: ['x'] }] }),
      'saved_model.pb',
    );
    expect(rules(r)).toContain('AG-MODEL-TF-CUSTOM-OP');
    expect(r.verdict).toBe('suspicious');
  });

  it('an asset that climbs out of assets/ is high', () => {
    const r = scanBytes(savedModel({ nodes: MATH_NODES, assets: ['../../.ssh/id_rsa'] }), 'saved_model.pb');
    expect(rules(r)).toContain('AG-MODEL-ZIP-PATH');
    expect(r.verdict).toBe('malicious');
  });

  it('a Keras Lambda in the object graph metadata or in keras_metadata.pb is high', () => {
    const a = scanBytes(
      savedModel({ nodes: MATH_NODES, objectMetadata: [denseLayer, lambdaLayer] }),
      'saved_model.pb',
    );
    expect(a.findings.find((f) => f.title === 'Keras Lambda layer')?.evidence).toMatch(/^object_graph@0x/);
    expect(a.verdict).toBe('malicious');
    const b = scanBytes(
      kerasMetadata([
        ['root', denseLayer],
        ['root.layer-1', lambdaLayer],
      ]),
      'keras_metadata.pb',
    );
    expect(b.format).toBe('keras-savedmodel-metadata');
    expect(b.findings.find((f) => f.title === 'Keras Lambda layer')?.evidence).toMatch(/^root\.layer-1@0x/);
    expect(b.verdict).toBe('malicious');
  });

  it('a frozen GraphDef (.pb) with ReadFile is reported', () => {
    const bytes = Uint8Array.from(graphDef([...MATH_NODES, { name: 'r', op: 'ReadFile', inputs: ['p'] }]));
    const r = scanBytes(bytes, 'frozen_graph.pb');
    expect(r.format).toBe('tf-graphdef');
    expect(r.verdict).toBe('malicious');
  });

  it('a SavedModel is recognised by content whatever its name', () => {
    const r = scanBytes(savedModel({ nodes: [{ name: 'r', op: 'ReadFile' }] }), 'blob');
    expect(r.format).toBe('tf-savedmodel');
    expect(r.verdict).toBe('malicious');
  });

  it('a SavedModel directory zipped keeps the member chain', () => {
    const zip = makeZip([
      { name: 'm/saved_model.pb', data: savedModel({ nodes: [{ name: 'r', op: 'ReadFile' }] }), method: 8 },
      { name: 'm/fingerprint.pb', data: fingerprint() },
      { name: 'm/keras_metadata.pb', data: kerasMetadata([['root', denseLayer]]) },
    ]);
    const r = scanBytes(zip, 'model.zip');
    expect(r.findings.find((f) => f.ruleId === 'AG-MODEL-TF-OP')?.location?.member).toBe('m/saved_model.pb');
    expect(r.verdict).toBe('malicious');
  });
});

describe('TensorFlow SavedModel: hard negatives are clean', () => {
  it('a math-only graph with the object-based saver functions', () => {
    const r = scanBytes(
      savedModel({ nodes: MATH_NODES, functions: SAVER_FUNCTIONS, objectMetadata: [denseLayer] }),
      'saved_model.pb',
    );
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('clean');
  });

  it('a TF1 graph whose SaveV2/RestoreV2 sit under the saver scope', () => {
    const r = scanBytes(
      savedModel({
        nodes: [
          ...MATH_NODES,
          { name: 'save/SaveV2', op: 'SaveV2', inputs: ['save/Const'] },
          { name: 'save/RestoreV2', op: 'RestoreV2', inputs: ['save/Const'] },
        ],
        saverFilename: 'save/Const:0',
        assets: ['vocab.txt'],
      }),
      'saved_model.pb',
    );
    expect(r.verdict).toBe('clean');
    expect(r.findings).toEqual([]);
  });

  it('a vocabulary table from an asset is a low note, not an alert', () => {
    const r = scanBytes(
      savedModel({ nodes: [...MATH_NODES, { name: 'table_init', op: 'InitializeTableFromTextFileV2' }] }),
      'saved_model.pb',
    );
    expect(r.findings.map((f) => f.severity)).toEqual(['low']);
    expect(r.verdict).toBe('clean');
  });

  it('fingerprint.pb and benign keras_metadata.pb', () => {
    expect(scanBytes(fingerprint(), 'fingerprint.pb')).toMatchObject({
      format: 'tf-fingerprint',
      verdict: 'clean',
    });
    const k = scanBytes(kerasMetadata([['root', denseLayer]]), 'keras_metadata.pb');
    expect(k.verdict).toBe('clean');
    expect(k.findings).toEqual([]);
  });
});

describe('TensorFlow SavedModel: broken input fails closed', () => {
  it('a truncated saved_model.pb is inconclusive with the offset', () => {
    const bytes = savedModel({ nodes: MATH_NODES });
    const r = scanBytes(bytes.subarray(0, bytes.length - 7), 'saved_model.pb');
    expect(r.verdict).toBe('inconclusive');
    expect(r.findings[0]?.message).toMatch(/^SavedModel cannot be read: /);
  });

  it('a length that claims more than the file is inconclusive', () => {
    const bytes = Uint8Array.from([...pb.uint(1, 1), 0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a]);
    expect(scanBytes(bytes, 'saved_model.pb').verdict).toBe('inconclusive');
  });

  it('seeded fuzz: truncation, bit flips, huge lengths and deep nesting end with a verdict in bounded time', () => {
    const rnd = seededRandom(41);
    const seeds: Array<[string, Uint8Array]> = [
      [
        'saved_model.pb',
        savedModel({
          nodes: [...MATH_NODES, { name: 'r', op: 'ReadFile' }],
          functions: SAVER_FUNCTIONS,
          objectMetadata: [lambdaLayer],
        }),
      ],
      ['keras_metadata.pb', kerasMetadata([['root', lambdaLayer]])],
      ['fingerprint.pb', fingerprint()],
      ['graph.pb', Uint8Array.from(graphDef(MATH_NODES))],
      ['blob', savedModel({ nodes: MATH_NODES })],
    ];
    // 200 levels of nested length-delimited fields: the walker descends only into known fields.
    let deep: number[] = pb.str(1, 'x');
    for (let i = 0; i < 200; i++) deep = pb.msg(2, deep);
    seeds.push(['saved_model.pb', Uint8Array.from([...pb.uint(1, 1), ...deep])]);
    const started = Date.now();
    for (const [name, seed] of seeds) {
      for (let i = 0; i < 150; i++) {
        const { bytes } = mutate(seed, rnd, [0xff, 0xff, 0xff, 0xff, 0x7f]);
        const r = scanBytes(bytes, name);
        expect(VERDICTS).toContain(r.verdict);
        // Fail closed: a named TF file either parsed (with its findings) or is inconclusive, never silently clean
        // after a parse error.
        if (name.endsWith('.pb') && r.verdict === 'clean') expect(r.format).toMatch(/^(tf-|keras-|empty$)/);
      }
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
