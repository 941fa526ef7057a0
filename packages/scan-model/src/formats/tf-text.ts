import type { Collector } from '../scan/collector.js';
import type { ScanNode } from '../scan/node.js';
import { SAVER_FUNCTION } from './tf-ops.js';
import { TfReader, report, type NodeFacts } from './tf-savedmodel.js';

// `saved_model.pbtxt`: TensorFlow loads a SavedModel from the protobuf text format too, so the same checks run on
// it. A bounded tokenizer and a generic message walker (field names, nested `{}`/`<>` messages, `[...]` lists,
// C-escaped strings) collect NodeDefs of the graph and of every library function, the saver scope, asset file
// names and Keras object metadata; nodes are judged after the whole file is read (the saver may come last).

const MAX_TEXT = 64 * 1024 * 1024;
const MAX_TOKENS = 5_000_000;
const MAX_DEPTH = 64;

export class TextFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Tok {
  readonly k: 'id' | 'str' | 'num' | 'p';
  readonly v: string;
  readonly at: number;
}

function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\' };
    return map[e] ?? e;
  });
}

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    if (toks.length > MAX_TOKENS) throw new TextFormatError('token limit reached', i);
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (text[j] !== ch) throw new TextFormatError('unterminated string', i);
      toks.push({ k: 'str', v: unescape(text.slice(i + 1, j)), at: i });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][\w.]*|^[-+]?[0-9][\w.+-]*/.exec(text.slice(i, i + 256));
    if (word) {
      toks.push({ k: /^[A-Za-z_]/.test(word[0]) ? 'id' : 'num', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    if ('{}<>[]:,;-'.includes(ch)) {
      toks.push({ k: 'p', v: ch, at: i });
      i++;
      continue;
    }
    throw new TextFormatError(`unexpected character ${JSON.stringify(ch)}`, i);
  }
  return toks;
}

interface Walker {
  enter(name: string, path: readonly string[], at: number): void;
  exit(name: string, path: readonly string[]): void;
  scalar(name: string, value: string, path: readonly string[], at: number): void;
}

function walk(toks: readonly Tok[], w: Walker): void {
  let i = 0;
  const path: string[] = [];
  const close: string[] = [];
  const peek = (): Tok | undefined => toks[i];
  const value = (name: string, at: number): void => {
    const t = peek();
    if (!t) throw new TextFormatError(`no value for ${name}`, at);
    if (t.v === '{' || t.v === '<') {
      i++;
      if (path.length >= MAX_DEPTH) throw new TextFormatError('messages nested too deeply', t.at);
      path.push(name);
      close.push(t.v === '{' ? '}' : '>');
      w.enter(name, path, t.at);
      return;
    }
    if (t.k === 'str') {
      let s = '';
      while (peek()?.k === 'str') s += toks[i++]?.v ?? '';
      w.scalar(name, s, path, t.at);
      return;
    }
    if (t.v === '-') i++;
    const v = toks[i++];
    if (!v || (v.k !== 'id' && v.k !== 'num')) throw new TextFormatError(`bad value for ${name}`, t.at);
    w.scalar(name, v.v, path, t.at);
  };
  while (i < toks.length) {
    const t = toks[i++];
    if (!t) break;
    if (t.k === 'p' && (t.v === ',' || t.v === ';')) continue;
    if (t.k === 'p' && t.v === close[close.length - 1]) {
      close.pop();
      const name = path.pop() ?? '';
      w.exit(name, path);
      continue;
    }
    if (t.k === 'p' && t.v === '[') {
      // Extension or Any type URL: [type.googleapis.com/x] { ... } — skip the bracketed name.
      while (i < toks.length && toks[i]?.v !== ']') i++;
      i++;
      value('[extension]', t.at);
      continue;
    }
    if (t.k !== 'id') throw new TextFormatError(`expected a field name, got ${JSON.stringify(t.v)}`, t.at);
    if (peek()?.v === ':') i++;
    if (peek()?.v === '[') {
      i++;
      while (i < toks.length && toks[i]?.v !== ']') {
        if (toks[i]?.v === ',') {
          i++;
          continue;
        }
        const before = path.length;
        value(t.v, t.at);
        // A message inside a list: walk it to its end before the next element.
        if (path.length > before) walkUntil(before);
      }
      i++;
      continue;
    }
    value(t.v, t.at);
  }
  if (close.length > 0) throw new TextFormatError('message not closed at the end of the file', toks.length);

  function walkUntil(depth: number): void {
    while (i < toks.length && path.length > depth) {
      const t = toks[i++];
      if (!t) break;
      if (t.k === 'p' && (t.v === ',' || t.v === ';')) continue;
      if (t.k === 'p' && t.v === close[close.length - 1]) {
        close.pop();
        const name = path.pop() ?? '';
        w.exit(name, path);
        continue;
      }
      if (t.k !== 'id') throw new TextFormatError(`expected a field name, got ${JSON.stringify(t.v)}`, t.at);
      if (peek()?.v === ':') i++;
      value(t.v, t.at);
    }
  }
}

/** NodeDefs: `node` of a meta graph's graph_def or of a top-level GraphDef, `node_def` of a library function. */
const isNode = (name: string, parent: string | undefined): boolean =>
  (name === 'node' && (parent === 'graph_def' || parent === undefined)) ||
  (name === 'node_def' && parent === 'function');

interface PendingNode {
  name: string;
  op: string;
  inputs: string[];
  attrs: Map<string, string>;
  fn: { name: string } | undefined;
  at: number;
}

/** Scans a SavedModel in protobuf text format. A file that does not parse is inconclusive. */
export function scanSavedModelText(node: ScanNode, c: Collector): string {
  const where = { member: node.member };
  const r = new TfReader(node.src, c, where);
  const nodes: PendingNode[] = [];
  let current: PendingNode | undefined;
  let fn: { name: string } | undefined;
  let attrKey = '';
  try {
    if (node.src.size > MAX_TEXT) throw new TextFormatError(`larger than ${String(MAX_TEXT)} bytes`, 0);
    const text = Buffer.from(node.src.read(0, node.src.size)).toString('utf8');
    walk(tokenize(text), {
      enter(name, path, at) {
        const parent = path[path.length - 2];
        if (name === 'function' && parent === 'library') fn = { name: '' };
        if (isNode(name, parent)) {
          current = {
            name: '',
            op: '',
            inputs: [],
            attrs: new Map(),
            fn: name === 'node_def' ? fn : undefined,
            at,
          };
        }
        if (name === 'attr' && current && (parent === 'node' || parent === 'node_def')) attrKey = '';
      },
      exit(name, path) {
        const parent = path[path.length - 1];
        if (current && isNode(name, parent)) {
          if (nodes.length < 1_000_000) nodes.push(current);
          current = undefined;
        }
        if (name === 'function' && parent === 'library') fn = undefined;
      },
      scalar(name, value, path, at) {
        const parent = path[path.length - 1];
        const grand = path[path.length - 2];
        if (current && (parent === 'node' || parent === 'node_def')) {
          if (name === 'name') current.name = value.slice(0, 512);
          else if (name === 'op') current.op = value.slice(0, 256);
          else if (name === 'input' && current.inputs.length < 4) current.inputs.push(value.slice(0, 256));
        } else if (current && parent === 'attr' && name === 'key') attrKey = value;
        else if (current && parent === 'value' && grand === 'attr' && name === 's' && current.attrs.size < 64)
          current.attrs.set(attrKey, value.slice(0, 1024));
        else if (parent === 'signature' && grand === 'function' && name === 'name' && fn) fn.name = value;
        else if (parent === 'saver_def' && name === 'filename_tensor_name') {
          const slash = value.indexOf('/');
          r.saverScope = slash > 0 ? value.slice(0, slash) : undefined;
        } else if (parent === 'asset_file_def' && name === 'filename') r.assetName(value, at);
        else if (parent === 'user_object' && name === 'metadata') r.kerasJsonText(value, at, 'object_graph');
        if (c.outOfTime()) throw new TextFormatError('time budget exhausted', at);
      },
    });
  } catch (error) {
    c.inconclusiveBecause(
      `SavedModel text format cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { ...where, offset: error instanceof TextFormatError ? error.offset : 0 },
    );
    return 'tf-savedmodel-text';
  }
  for (const n of nodes) {
    r.facts.nodes++;
    const facts: NodeFacts = {
      name: n.name,
      op: n.op,
      inputs: n.inputs,
      attrs: n.attrs,
      fn: n.fn === undefined ? undefined : n.fn.name === '' ? '(unnamed function)' : n.fn.name,
      inSaverFunction: n.fn !== undefined && SAVER_FUNCTION.test(n.fn.name),
      at: n.at,
    };
    r.judge(facts);
  }
  report(r, c, where, 'SavedModel');
  return 'tf-savedmodel-text';
}
