import type { Severity } from '@atlasguard/core/findings';
import type { Collector, Where } from '../scan/collector.js';
import type { ScanNode } from '../scan/node.js';
import type { ByteSource } from '../source/byte-source.js';
import { checkKerasJson } from './json-meta.js';
import { Wire, WireError, type Field } from './protobuf-wire.js';
import { CHECKPOINT_OPS, RISKY_OPS, SAVER_FUNCTION, type OpRisk } from './tf-ops.js';

// TensorFlow SavedModel (`saved_model.pb`), frozen GraphDef (`*.pb`), Keras SavedModel metadata
// (`keras_metadata.pb`) and `fingerprint.pb`, read with the bounded protobuf walker. Field numbers follow the
// public TensorFlow protos: SavedModel{1 schema_version, 2 meta_graphs}, MetaGraphDef{1 meta_info_def,
// 2 graph_def, 3 saver_def, 6 asset_file_defs, 7 object_graph_def}, GraphDef{1 node, 2 library},
// FunctionDefLibrary{1 function}, FunctionDef{1 signature(OpDef: 1 name), 3 node_def},
// NodeDef{1 name, 2 op, 3 input, 5 attr}, AttrValue{2 s}.

export type TfKind = 'saved-model' | 'graph-def' | 'keras-metadata' | 'fingerprint';

const MAX_KERAS_JSON = 16 * 1024 * 1024;
const MAX_NAMES_SHOWN = 5;

/** The TensorFlow file a name promises, if any. */
export function tfKindByName(name: string): TfKind | undefined {
  const base = (name.split(/[\\/]/).pop() ?? name).toLowerCase();
  if (base === 'saved_model.pb') return 'saved-model';
  if (base === 'keras_metadata.pb') return 'keras-metadata';
  if (base === 'fingerprint.pb') return 'fingerprint';
  if (base.endsWith('.pb')) return 'graph-def';
  return undefined;
}

/** saved_model_schema_version = 1 followed by a MetaGraphDef: the bytes every SavedModel starts with. */
export function looksLikeSavedModel(src: ByteSource): boolean {
  const head = src.read(0, 3);
  return head[0] === 0x08 && head[1] === 0x01 && head[2] === 0x12;
}

interface Hit {
  readonly node: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly fn: string | undefined;
  readonly at: number;
  readonly risk: OpRisk;
  readonly detail?: string;
}

/** One NodeDef, from the binary or the text format. */
export interface NodeFacts {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly attrs: ReadonlyMap<string, string>;
  /** Enclosing library function, if any. */
  readonly fn: string | undefined;
  /** The function is one TensorFlow generates for the object-based saver. */
  readonly inSaverFunction: boolean;
  readonly at: number;
}

interface GraphFacts {
  hits: Hit[];
  customOps: Map<string, { count: number; first: Hit }>;
  nodes: number;
  functions: number;
}

export class TfReader {
  readonly wire: Wire;
  readonly facts: GraphFacts = { hits: [], customOps: new Map(), nodes: 0, functions: 0 };
  saverScope: string | undefined;

  constructor(
    src: ByteSource,
    private readonly c: Collector,
    readonly where: Where,
  ) {
    this.wire = new Wire(src);
  }

  private tick(at: number): void {
    if (this.c.outOfTime()) throw new WireError('time budget exhausted', at);
  }

  /** Returns the number of meta graphs. `requireVersion`: the schema version must come first (content sniffing). */
  savedModel(requireVersion: boolean): number {
    let metaGraphs = 0;
    let version = false;
    for (const f of this.wire.fieldsOf(0, this.wire.src.size)) {
      if (f.no === 1 && f.wire === 0) version = true;
      else if (f.no === 2 && f.wire === 2) {
        if (requireVersion && !version) throw new WireError('meta graph before the schema version', f.at);
        metaGraphs++;
        this.metaGraph(f);
      } else throw new WireError(`unexpected field ${String(f.no)} in a SavedModel`, f.at);
    }
    return metaGraphs;
  }

  private metaGraph(mg: Field): void {
    let graph: Field | undefined;
    this.saverScope = undefined;
    for (const f of this.wire.inner(mg)) {
      if (f.wire !== 2) continue;
      if (f.no === 2) graph = f;
      else if (f.no === 3) this.saverDef(f);
      else if (f.no === 6) this.assetFile(f);
      else if (f.no === 7) this.objectGraph(f);
    }
    if (graph) this.graphDef(graph);
  }

  private saverDef(f: Field): void {
    for (const s of this.wire.inner(f)) {
      if (s.no === 1 && s.wire === 2) {
        const name = this.wire.text(s, 1024);
        const slash = name.indexOf('/');
        this.saverScope = slash > 0 ? name.slice(0, slash) : undefined;
      }
    }
  }

  /** AssetFileDef{2 filename}: the file name is joined to `assets/` by the loader. */
  private assetFile(f: Field): void {
    for (const s of this.wire.inner(f))
      if (s.no === 2 && s.wire === 2) this.assetName(this.wire.text(s, 1024), s.at);
  }

  assetName(name: string, at: number): void {
    const norm = name.replace(/\\/g, '/');
    if (
      norm.startsWith('/') ||
      /^[A-Za-z]:/.test(norm) ||
      norm.split('/').includes('..') ||
      norm.includes('\0')
    ) {
      this.c.add(
        'AG-MODEL-ZIP-PATH',
        'high',
        'SavedModel asset outside the assets directory',
        `asset file name "${name}" escapes the model's assets/ directory: loading the model reads that file`,
        { ...this.where, offset: at },
      );
    }
  }

  /** SavedObjectGraph{1 nodes}: SavedObject{4 user_object: SavedUserObject{1 identifier, 3 metadata}}. */
  private objectGraph(f: Field): void {
    for (const n of this.wire.inner(f)) {
      if (n.no !== 1 || n.wire !== 2) continue;
      for (const o of this.wire.inner(n)) {
        if (o.no !== 4 || o.wire !== 2) continue;
        for (const u of this.wire.inner(o)) {
          if (u.no === 3 && u.wire === 2) this.kerasMetadataJson(u, 'object_graph');
        }
      }
      this.tick(n.at);
    }
  }

  kerasMetadataJson(f: Field, context: string): void {
    if (f.length === 0) return;
    if (f.length > MAX_KERAS_JSON) {
      this.c.inconclusiveBecause(`${context}: Keras metadata larger than ${String(MAX_KERAS_JSON)} bytes`, {
        ...this.where,
        offset: f.value,
      });
      return;
    }
    this.kerasJsonText(this.wire.text(f, f.length), f.value, context);
  }

  kerasJsonText(text: string, at: number, context: string): void {
    if (text === '') return;
    const where = { ...this.where, offset: at };
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      this.c.inconclusiveBecause(`${context}: Keras metadata is not valid JSON`, where);
      return;
    }
    checkKerasJson(json, this.c, where, `${context}@0x${at.toString(16)}`);
  }

  /** SavedMetadata{1 nodes: SavedObject{2 node_path, 3 identifier, 4 metadata}}. */
  kerasMetadata(): number {
    let objects = 0;
    for (const f of this.wire.fieldsOf(0, this.wire.src.size)) {
      if (f.no !== 1 || f.wire !== 2) throw new WireError(`unexpected field ${String(f.no)}`, f.at);
      objects++;
      let path = '';
      for (const o of this.wire.inner(f)) {
        if (o.no === 2 && o.wire === 2) path = this.wire.text(o, 256);
        if (o.no === 4 && o.wire === 2) this.kerasMetadataJson(o, path === '' ? 'keras_metadata' : path);
      }
      this.tick(f.at);
    }
    return objects;
  }

  /** FingerprintDef{1..5 hashes (varint), 6 version, later fields tolerated}: recognised and checked for shape. */
  fingerprint(): number {
    let fields = 0;
    for (const f of this.wire.fieldsOf(0, this.wire.src.size)) {
      fields++;
      // Known fields must have their wire types; later TensorFlow versions may add fields (hashes only).
      const bad = (f.no >= 1 && f.no <= 5 && f.wire !== 0) || (f.no === 6 && f.wire !== 2);
      if (bad) throw new WireError(`field ${String(f.no)} of a fingerprint has the wrong type`, f.at);
      if (f.no === 6) Array.from(this.wire.inner(f));
    }
    return fields;
  }

  graphDef(g: Field | undefined): void {
    const start = g ? g.value : 0;
    const end = g ? g.value + g.length : this.wire.src.size;
    for (const f of this.wire.fieldsOf(start, end)) {
      if (f.wire !== 2) continue;
      if (f.no === 1) this.nodeDef(f, undefined, false);
      else if (f.no === 2) this.library(f);
    }
  }

  private library(f: Field): void {
    for (const fn of this.wire.inner(f)) {
      if (fn.no !== 1 || fn.wire !== 2) continue;
      this.facts.functions++;
      let name = '';
      const nodes: Field[] = [];
      for (const p of this.wire.inner(fn)) {
        if (p.wire !== 2) continue;
        if (p.no === 1) {
          for (const s of this.wire.inner(p)) if (s.no === 1 && s.wire === 2) name = this.wire.text(s, 256);
        } else if (p.no === 3) nodes.push(p);
        if (nodes.length > 1_000_000) throw new WireError('too many nodes in one function', p.at);
      }
      const saver = SAVER_FUNCTION.test(name);
      for (const n of nodes) this.nodeDef(n, name === '' ? '(unnamed function)' : name, saver);
      this.tick(fn.at);
    }
  }

  private nodeDef(f: Field, fn: string | undefined, inSaverFunction: boolean): void {
    this.facts.nodes++;
    let name = '';
    let op = '';
    const inputs: string[] = [];
    const attrs = new Map<string, string>();
    for (const p of this.wire.inner(f)) {
      if (p.wire !== 2) continue;
      if (p.no === 1) name = this.wire.text(p, 512);
      else if (p.no === 2) op = this.wire.text(p, 256);
      else if (p.no === 3 && inputs.length < 4) inputs.push(this.wire.text(p, 256));
      else if (p.no === 5) {
        let key = '';
        let value: string | undefined;
        for (const kv of this.wire.inner(p)) {
          if (kv.wire !== 2) continue;
          if (kv.no === 1) key = this.wire.text(kv, 256);
          else if (kv.no === 2) {
            for (const a of this.wire.inner(kv))
              if (a.no === 2 && a.wire === 2) value = this.wire.text(a, 1024);
          }
        }
        if (value !== undefined && attrs.size < 64) attrs.set(key, value);
      }
    }
    this.judge({ name, op, inputs, attrs, fn, inSaverFunction, at: f.at });
  }

  /** Decides whether one node touches files, runs Python, opens connections or needs a custom op library. */
  judge(n: NodeFacts): void {
    const { name, op, inputs, attrs, fn, inSaverFunction, at } = n;
    const hit = (risk: OpRisk, detail?: string): void => {
      if (this.facts.hits.length < 10_000)
        this.facts.hits.push({
          node: name,
          op,
          inputs,
          fn,
          at,
          risk,
          ...(detail !== undefined ? { detail } : {}),
        });
    };
    const risky = RISKY_OPS.get(op);
    if (risky) {
      hit(risky);
      return;
    }
    const checkpoint = CHECKPOINT_OPS.get(op);
    if (checkpoint) {
      const inSaverScope =
        fn === undefined && this.saverScope !== undefined && name.startsWith(`${this.saverScope}/`);
      if (!inSaverFunction && !inSaverScope) hit(checkpoint);
      return;
    }
    if (op === 'PrintV2') {
      const stream = attrs.get('output_stream') ?? '';
      if (stream.startsWith('file://'))
        hit(
          { severity: 'high', what: 'prints tensors into a file named in the graph' },
          `output_stream ${stream}`,
        );
      return;
    }
    if (op === 'DecodeProtoV2' || op === 'EncodeProto') {
      const source = attrs.get('descriptor_source') ?? 'local://';
      if (source !== 'local://')
        hit(
          { severity: 'medium', what: 'loads a protobuf descriptor from a file named in the graph' },
          `descriptor_source ${source}`,
        );
      return;
    }
    // Ops registered by a separate library use a "Namespace>Op" name (TF Addons, TF Text, custom builds):
    // the graph loads only after that native library has been loaded into the process.
    if (op.includes('>')) {
      const prior = this.facts.customOps.get(op);
      if (prior) prior.count++;
      else
        this.facts.customOps.set(op, {
          count: 1,
          first: { node: name, op, inputs, fn, at, risk: { severity: 'medium', what: '' } },
        });
    }
  }
}

function pseudo(h: Hit): string {
  const args = h.inputs.map((i) => i.replace(/^\^/, 'after ')).join(', ');
  const inFn = h.fn === undefined ? '' : `${h.fn}: `;
  return `${inFn}${h.node} = tf.raw_ops.${h.op}(${args})${h.detail !== undefined ? `  # ${h.detail}` : ''}`;
}

export function report(r: TfReader, c: Collector, where: Where, what: string): void {
  const groups = new Map<string, Hit[]>();
  for (const h of r.facts.hits) {
    const key = `${h.op}|${h.fn ?? ''}|${h.detail ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(h);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    const first = list[0];
    if (!first) continue;
    const names = list
      .slice(0, MAX_NAMES_SHOWN)
      .map((h) => `"${h.node}"`)
      .join(', ');
    const more = list.length > MAX_NAMES_SHOWN ? ` and ${String(list.length - MAX_NAMES_SHOWN)} more` : '';
    const scope = first.fn === undefined ? `the ${what} graph` : `function ${first.fn}`;
    const severity: Severity = first.risk.severity;
    c.add(
      'AG-MODEL-TF-OP',
      severity,
      `TensorFlow op ${first.op}`,
      `${first.op} in ${scope} (node${list.length > 1 ? 's' : ''} ${names}${more}) ${first.risk.what}`,
      { ...where, offset: first.at },
      { evidence: pseudo(first) },
    );
  }
  for (const [op, { count, first }] of r.facts.customOps) {
    c.add(
      'AG-MODEL-TF-CUSTOM-OP',
      'medium',
      'TensorFlow op from a custom library',
      `${op} (${String(count)} node${count > 1 ? 's' : ''}, first "${first.node}") is registered by a separate native library that must be loaded before this ${what} runs`,
      { ...where, offset: first.at },
      { evidence: pseudo(first) },
    );
  }
}

/**
 * Scans a TensorFlow protobuf. With `strict` (the name says what it is) a parse failure is inconclusive; without,
 * a failure means "not this format" and returns undefined with no findings.
 */
export function scanTensorFlow(
  node: ScanNode,
  c: Collector,
  kind: TfKind,
  strict: boolean,
): string | undefined {
  const where = { member: node.member };
  // A tentative parse reports into a scratch collector so that a failed attempt leaves nothing behind.
  const out = strict ? c : c.scratch();
  const r = new TfReader(node.src, out, where);
  const format =
    kind === 'saved-model'
      ? 'tf-savedmodel'
      : kind === 'graph-def'
        ? 'tf-graphdef'
        : kind === 'keras-metadata'
          ? 'keras-savedmodel-metadata'
          : 'tf-fingerprint';
  const label: Record<TfKind, string> = {
    'saved-model': 'SavedModel',
    'graph-def': 'GraphDef',
    'keras-metadata': 'Keras SavedModel metadata',
    fingerprint: 'SavedModel fingerprint',
  };
  try {
    if (kind === 'saved-model') {
      if (r.savedModel(!strict) === 0) throw new WireError('no meta graph in the SavedModel', 0);
    } else if (kind === 'graph-def') {
      r.graphDef(undefined);
      if (r.facts.nodes === 0 && r.facts.functions === 0) throw new WireError('no nodes in the graph', 0);
    } else if (kind === 'keras-metadata') {
      r.kerasMetadata();
    } else {
      if (r.fingerprint() === 0 && node.src.size > 0) throw new WireError('empty fingerprint', 0);
    }
  } catch (error) {
    if (!strict) return undefined;
    c.inconclusiveBecause(
      `${label[kind]} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { ...where, offset: error instanceof WireError ? error.offset : 0 },
    );
    return format;
  }
  report(r, out, where, kind === 'graph-def' ? 'GraphDef' : 'SavedModel');
  if (out !== c) c.adopt(out);
  return format;
}
