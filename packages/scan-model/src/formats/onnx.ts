import type { Collector } from '../scan/collector.js';
import type { ScanNode } from '../scan/node.js';
import type { ByteSource } from '../source/byte-source.js';
import { Wire, WireError as OnnxError } from './protobuf-wire.js';

// ONNX models are protobuf ModelProto messages. This is a bounded wire-format walk of the few fields that
// matter for safety (no generated code, no schema library): the main graph and every subgraph, initializers
// with external data, and custom operator domains.

const STANDARD_DOMAINS = new Set([
  '',
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.training',
  'ai.onnx.preview.training',
  'com.microsoft',
]);
const MAX_DEPTH = 32;

/** Is this plausibly a ModelProto? (ir_version varint first, a graph somewhere.) */
export function looksLikeOnnx(src: ByteSource): boolean {
  const head = src.read(0, 2);
  return head[0] === 0x08 && (head[1] ?? 0x80) < 0x80;
}

/**
 * Scans an ONNX model. With `strict` (the name says .onnx) a parse failure is inconclusive; otherwise a failure
 * means "not ONNX" and returns undefined without findings.
 */
export function scanOnnx(node: ScanNode, c: Collector, strict: boolean): string | undefined {
  const wire = new Wire(node.src);
  const where = { member: node.member };
  const customOps = new Map<string, Set<string>>();
  const seen = { graph: false };

  const tensor = (start: number, end: number): void => {
    let location: string | undefined;
    let external = false;
    for (const f of wire.fieldsOf(start, end)) {
      if (f.no === 14 && f.wire === 0 && f.value === 1) external = true;
      if (f.no === 13 && f.wire === 2) {
        let key = '';
        let value = '';
        for (const kv of wire.fieldsOf(f.value, f.value + f.length)) {
          if (kv.no === 1 && kv.wire === 2) key = wire.text(kv);
          if (kv.no === 2 && kv.wire === 2) value = wire.text(kv);
        }
        if (key === 'location') location = value;
      }
    }
    if (location !== undefined) {
      const norm = location.replace(/\\/g, '/');
      const bad =
        norm.startsWith('/') ||
        /^[A-Za-z]:/.test(norm) ||
        norm.split('/').includes('..') ||
        norm.includes('\0');
      if (bad) {
        c.add(
          'AG-MODEL-ZIP-PATH',
          'high',
          'ONNX external data outside the model directory',
          `a tensor's external data location "${location}" escapes the model directory: loading the model reads that file`,
          { ...where, offset: start },
          { refs: ['CVE-2022-25882', 'CVE-2024-27318'] },
        );
      } else if (!external) {
        c.add(
          'AG-MODEL-ZIP-STRUCTURE',
          'low',
          'ONNX external data entry on an internal tensor',
          `location "${location}" is set but data_location is not EXTERNAL`,
          { ...where, offset: start },
        );
      }
    }
  };

  const graph = (start: number, end: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw new OnnxError('subgraphs nested too deeply', start);
    seen.graph = true;
    for (const f of wire.fieldsOf(start, end)) {
      if (f.wire !== 2) continue;
      if (f.no === 1) nodeProto(f.value, f.value + f.length, depth);
      else if (f.no === 5) tensor(f.value, f.value + f.length);
      else if (f.no === 15) {
        for (const s of wire.fieldsOf(f.value, f.value + f.length))
          if (s.wire === 2 && (s.no === 1 || s.no === 2)) tensor(s.value, s.value + s.length);
      }
    }
  };

  const nodeProto = (start: number, end: number, depth: number): void => {
    let op = '';
    let domain = '';
    for (const f of wire.fieldsOf(start, end)) {
      if (f.wire !== 2) continue;
      if (f.no === 4) op = wire.text(f, 256);
      else if (f.no === 7) domain = wire.text(f, 256);
      else if (f.no === 5) {
        for (const a of wire.fieldsOf(f.value, f.value + f.length)) {
          if (a.wire !== 2) continue;
          if (a.no === 6 || a.no === 11) graph(a.value, a.value + a.length, depth + 1);
          else if (a.no === 5 || a.no === 10) tensor(a.value, a.value + a.length);
        }
      }
    }
    if (!STANDARD_DOMAINS.has(domain)) {
      const ops = customOps.get(domain) ?? new Set<string>();
      ops.add(op);
      customOps.set(domain, ops);
    }
  };

  try {
    for (const f of wire.fieldsOf(0, node.src.size)) {
      if (f.no === 7 && f.wire === 2) graph(f.value, f.value + f.length, 0);
      if (f.no === 8 && f.wire === 2) {
        for (const o of wire.fieldsOf(f.value, f.value + f.length)) {
          if (o.no === 1 && o.wire === 2) {
            const domain = wire.text(o, 256);
            if (!STANDARD_DOMAINS.has(domain) && !customOps.has(domain)) customOps.set(domain, new Set());
          }
        }
      }
      if (c.outOfTime()) throw new OnnxError('time budget exhausted', f.value);
    }
    if (!seen.graph) throw new OnnxError('no graph in the model', 0);
  } catch (error) {
    if (!strict) return undefined;
    c.inconclusiveBecause(
      `ONNX model cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      { ...where, offset: error instanceof OnnxError ? error.offset : 0 },
    );
    return 'onnx';
  }
  for (const [domain, ops] of customOps) {
    c.add(
      'AG-MODEL-HF-REMOTE-CODE',
      'medium',
      'ONNX custom operator domain',
      `domain "${domain}"${ops.size > 0 ? ` (ops ${[...ops].slice(0, 5).join(', ')})` : ''} needs a custom operator library, which is native code loaded with the model`,
      where,
    );
  }
  return 'onnx';
}
