// Test helpers: TensorFlow protobufs (SavedModel, GraphDef, Keras metadata, fingerprint) written field by field
// with the public TensorFlow field numbers.
import { pb } from './format-builders.js';

export interface TfNode {
  name: string;
  op: string;
  inputs?: string[];
  /** String attributes (AttrValue.s). */
  attrs?: Record<string, string>;
}

export function nodeDef(n: TfNode): number[] {
  const attrs = Object.entries(n.attrs ?? {}).flatMap(([k, v]) =>
    pb.msg(5, [...pb.str(1, k), ...pb.msg(2, pb.str(2, v))]),
  );
  return [
    ...pb.str(1, n.name),
    ...pb.str(2, n.op),
    ...(n.inputs ?? []).flatMap((i) => pb.str(3, i)),
    ...pb.str(4, '/device:CPU:0'),
    ...attrs,
  ];
}

export interface TfFunction {
  name: string;
  nodes: TfNode[];
}

export function graphDef(nodes: TfNode[], functions: TfFunction[] = []): number[] {
  const lib =
    functions.length === 0
      ? []
      : pb.msg(
          2,
          functions.flatMap((f) =>
            pb.msg(1, [...pb.msg(1, pb.str(1, f.name)), ...f.nodes.flatMap((n) => pb.msg(3, nodeDef(n)))]),
          ),
        );
  return [...nodes.flatMap((n) => pb.msg(1, nodeDef(n))), ...lib, ...pb.msg(4, pb.uint(1, 1482))];
}

export interface MetaGraphParts {
  nodes?: TfNode[];
  functions?: TfFunction[];
  saverFilename?: string;
  assets?: string[];
  /** SavedUserObject metadata strings (Keras JSON) in the object graph. */
  objectMetadata?: string[];
}

export function savedModel(parts: MetaGraphParts): Uint8Array {
  const info = pb.msg(1, [...pb.str(4, 'serve'), ...pb.str(5, '2.15.0')]);
  const graph = pb.msg(2, graphDef(parts.nodes ?? [], parts.functions ?? []));
  const saver =
    parts.saverFilename === undefined
      ? []
      : pb.msg(3, [
          ...pb.str(1, parts.saverFilename),
          ...pb.str(2, 'save/control_dependency:0'),
          ...pb.str(3, 'save/restore_all'),
        ]);
  const assets = (parts.assets ?? []).flatMap((a) =>
    pb.msg(6, [...pb.msg(1, pb.str(1, 'asset_path:0')), ...pb.str(2, a)]),
  );
  const objects =
    parts.objectMetadata === undefined
      ? []
      : pb.msg(
          7,
          parts.objectMetadata.flatMap((m) =>
            pb.msg(1, pb.msg(4, [...pb.str(1, '_tf_keras_layer'), ...pb.str(3, m)])),
          ),
        );
  return Uint8Array.from([
    ...pb.uint(1, 1),
    ...pb.msg(2, [...info, ...graph, ...saver, ...assets, ...objects]),
  ]);
}

/** keras_metadata.pb: one SavedObject per (node_path, metadata JSON). */
export function kerasMetadata(objects: Array<[string, string]>): Uint8Array {
  return Uint8Array.from(
    objects.flatMap(([path, json], i) =>
      pb.msg(1, [...pb.uint(1, i), ...pb.str(2, path), ...pb.str(3, '_tf_keras_layer'), ...pb.str(4, json)]),
    ),
  );
}

export function fingerprint(): Uint8Array {
  return Uint8Array.from([
    ...pb.uint(1, 1234567),
    ...pb.uint(2, 891011),
    ...pb.uint(3, 1213),
    ...pb.uint(4, 1415),
    ...pb.uint(5, 1617),
    ...pb.msg(6, pb.uint(1, 1)),
  ]);
}

/** A benign inference graph: placeholders, variables and math only. */
export const MATH_NODES: TfNode[] = [
  { name: 'x', op: 'Placeholder' },
  { name: 'dense/kernel', op: 'VarHandleOp' },
  { name: 'dense/MatMul/ReadVariableOp', op: 'ReadVariableOp', inputs: ['dense/kernel'] },
  { name: 'dense/MatMul', op: 'MatMul', inputs: ['x', 'dense/MatMul/ReadVariableOp'] },
  { name: 'dense/BiasAdd', op: 'BiasAdd', inputs: ['dense/MatMul', 'dense/bias'] },
  { name: 'dense/Relu', op: 'Relu', inputs: ['dense/BiasAdd'] },
  { name: 'softmax', op: 'Softmax', inputs: ['dense/Relu'] },
  { name: 'print', op: 'PrintV2', inputs: ['softmax'], attrs: { output_stream: 'stderr' } },
  { name: 'Identity', op: 'Identity', inputs: ['softmax'] },
];

/** What tf.saved_model.save writes for its object-based saver (save and restore functions). */
export const SAVER_FUNCTIONS: TfFunction[] = [
  {
    name: '__inference__traced_save_1234',
    nodes: [
      { name: 'StringJoin', op: 'StringJoin' },
      { name: 'ShardedFilename', op: 'ShardedFilename' },
      { name: 'SaveV2', op: 'SaveV2', inputs: ['ShardedFilename', 'SaveV2/tensor_names'] },
      { name: 'MergeV2Checkpoints', op: 'MergeV2Checkpoints' },
    ],
  },
  {
    name: '__inference__traced_restore_5678',
    nodes: [{ name: 'RestoreV2', op: 'RestoreV2', inputs: ['file_prefix'] }],
  },
];
