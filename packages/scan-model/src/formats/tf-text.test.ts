import { describe, expect, it } from 'vitest';
import { seededRandom } from '@atlasguard/core';
import { rules, scanBytes } from '../test-support/scan-bytes.js';
import { MATH_NODES, SAVER_FUNCTIONS, type TfNode } from '../test-support/tf-builders.js';
import { utf8 } from '../test-support/zip-builder.js';
import { VERDICTS } from '../scan/types.js';

// saved_model.pbtxt written the way text_format prints it (fields in number order: the saver after the graph).

const q = (s: string): string => JSON.stringify(s);
const nodeText = (n: TfNode, field = 'node'): string =>
  `  ${field} {\n    name: ${q(n.name)}\n    op: ${q(n.op)}\n${(n.inputs ?? []).map((i) => `    input: ${q(i)}\n`).join('')}${Object.entries(
    n.attrs ?? {},
  )
    .map(([k, v]) => `    attr {\n      key: ${q(k)}\n      value {\n        s: ${q(v)}\n      }\n    }\n`)
    .join('')}  }\n`;

function pbtxt(parts: {
  nodes: TfNode[];
  functions?: Array<{ name: string; nodes: TfNode[] }>;
  saver?: string;
  assets?: string[];
  metadata?: string[];
}): Uint8Array {
  const lib = (parts.functions ?? [])
    .map(
      (f) =>
        `    library {\n      function {\n        signature {\n          name: ${q(f.name)}\n        }\n${f.nodes.map((n) => nodeText(n, 'node_def')).join('')}      }\n    }\n`,
    )
    .join('');
  return utf8(
    `saved_model_schema_version: 1\nmeta_graphs {\n  meta_info_def {\n    tags: "serve"\n  }\n  graph_def {\n${parts.nodes
      .map((n) => nodeText(n))
      .join('')}${lib}    versions {\n      producer: 1482\n    }\n  }\n${
      parts.saver === undefined
        ? ''
        : `  saver_def {\n    filename_tensor_name: ${q(parts.saver)}\n    version: V2\n  }\n`
    }${(parts.assets ?? []).map((a) => `  asset_file_def {\n    filename: ${q(a)}\n  }\n`).join('')}${
      parts.metadata === undefined
        ? ''
        : `  object_graph_def {\n${parts.metadata.map((m) => `    nodes {\n      user_object {\n        identifier: "_tf_keras_layer"\n        metadata: ${q(m)}\n      }\n    }\n`).join('')}  }\n`
    }}\n`,
  );
}

describe('SavedModel text format (saved_model.pbtxt)', () => {
  it('ReadFile, PyFunc in a function and PrintV2 to a file are reported with node names', () => {
    const r = scanBytes(
      pbtxt({
        nodes: [...MATH_NODES, { name: 'steal/ReadFile', op: 'ReadFile', inputs: ['steal/path'] }],
        functions: [
          {
            name: '__inference_call_7',
            nodes: [
              { name: 'py', op: 'EagerPyFunc', inputs: ['x'] },
              { name: 'p', op: 'PrintV2', attrs: { output_stream: 'file:///tmp/x' } },
            ],
          },
        ],
      }),
      'model/saved_model.pbtxt',
    );
    expect(r.format).toBe('tf-savedmodel-text');
    expect(r.verdict).toBe('malicious');
    expect(r.findings.map((f) => f.title)).toEqual(
      expect.arrayContaining([
        'TensorFlow op ReadFile',
        'TensorFlow op EagerPyFunc',
        'TensorFlow op PrintV2',
      ]),
    );
    expect(r.findings.find((f) => f.title === 'TensorFlow op EagerPyFunc')?.message).toContain(
      'function __inference_call_7',
    );
  });

  it('asset traversal and a Keras Lambda in the object graph', () => {
    const lambda = JSON.stringify({ class_name: 'Lambda', config: {} });
    const r = scanBytes(
      pbtxt({ nodes: MATH_NODES, assets: ['../../etc/passwd'], metadata: [lambda] }),
      'saved_model.pbtxt',
    );
    expect(rules(r)).toEqual(expect.arrayContaining(['AG-MODEL-ZIP-PATH', 'AG-MODEL-HF-REMOTE-CODE']));
  });

  it('hard negatives: a TF1 saver printed after the graph, saver functions, stderr printing', () => {
    const r = scanBytes(
      pbtxt({
        nodes: [
          ...MATH_NODES,
          { name: 'save/SaveV2', op: 'SaveV2', inputs: ['save/Const'] },
          { name: 'save/RestoreV2', op: 'RestoreV2', inputs: ['save/Const'] },
        ],
        functions: SAVER_FUNCTIONS,
        saver: 'save/Const:0',
        assets: ['vocab.txt'],
      }),
      'saved_model.pbtxt',
    );
    expect(r).toMatchObject({ verdict: 'clean', findings: [] });
  });

  it('a GraphDef in text format (top-level nodes)', () => {
    const r = scanBytes(
      utf8('node {\n  name: "w"\n  op: "WriteFile"\n}\nversions { producer: 1 }\n'),
      'graph.pbtxt',
    );
    expect(r.findings.find((f) => f.title === 'TensorFlow op WriteFile')?.severity).toBe('high');
  });

  it('broken text is inconclusive with the offset; seeded fuzz always ends with a verdict', () => {
    const good = pbtxt({ nodes: [...MATH_NODES, { name: 'r', op: 'ReadFile' }], functions: SAVER_FUNCTIONS });
    const cut = scanBytes(good.subarray(0, good.length - 10), 'saved_model.pbtxt');
    expect(cut.verdict).toBe('inconclusive');
    expect(cut.findings[0]?.message).toMatch(/^SavedModel text format cannot be read: /);
    const rnd = seededRandom(31);
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from(good.subarray(0, Math.floor(rnd() * good.length) + 1));
      for (let f = 0; f < 3; f++) {
        const at = Math.floor(rnd() * bytes.length);
        bytes[at] = '{}<>[]:"\\#a1 \n'.charCodeAt(Math.floor(rnd() * 15));
      }
      const r = scanBytes(bytes, 'saved_model.pbtxt');
      expect(VERDICTS).toContain(r.verdict);
    }
    expect(scanBytes(utf8('a {'.repeat(10_000)), 'saved_model.pbtxt').verdict).toBe('inconclusive');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
