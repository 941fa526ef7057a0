import type { Collector } from '../scan/collector.js';
import { hex, type ScanNode } from '../scan/node.js';
import { runPickle } from './pickle-file.js';

export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  readonly dataStart: number;
  readonly hasObject: boolean;
  readonly itemsize: number | undefined;
}

/** Parses the `.npy` header dict with a strict literal grammar (never evaluated). */
export function parseNpyHeader(head: Uint8Array, size: number): NpyHeader | string {
  if (head.length < 10) return 'file shorter than the .npy preamble';
  const major = head[6] ?? 0;
  let len: number;
  let at: number;
  if (major === 1) {
    len = (head[8] ?? 0) | ((head[9] ?? 0) << 8);
    at = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) return 'file shorter than the .npy preamble';
    len = ((head[8] ?? 0) | ((head[9] ?? 0) << 8) | ((head[10] ?? 0) << 16)) + (head[11] ?? 0) * 0x1000000;
    at = 12;
  } else return `unknown .npy format version ${String(major)}`;
  if (len > 1 << 20 || at + len > size) return `header length ${String(len)} does not fit the file`;
  if (at + len > head.length) return 'header longer than the bytes read';
  const text = Buffer.from(head.subarray(at, at + len))
    .toString(major === 3 ? 'utf8' : 'latin1')
    .trim();
  const descr = /['"]descr['"]\s*:\s*(['"][^'"]*['"]|\[.*\])\s*,/s.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([\d\s,]*)\)/.exec(text);
  if (!descr?.[1] || !fortran || !shape) return 'header dict lacks descr, fortran_order or shape';
  if (!/^\{.*\}$/s.test(text)) return 'header is not a dict literal';
  const dims = (shape[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) return 'shape has a non-integer dimension';
  const d = descr[1];
  const hasObject = /['"][|<>=]?O\d*['"]/.test(d);
  const simple = /^['"][|<>=]?([a-zA-Z])(\d+)['"]$/.exec(d);
  const itemsize = simple ? Number(simple[2]) * (simple[1] === 'U' ? 4 : 1) : undefined;
  return {
    descr: d,
    fortranOrder: fortran[1] === 'True',
    shape: dims,
    dataStart: at + len,
    hasObject,
    itemsize,
  };
}

/** NumPy `.npy`: object arrays are pickles (numpy.load(allow_pickle=True)); others must size exactly. */
export function scanNpy(node: ScanNode, c: Collector): string {
  const head = node.src.read(0, Math.min(node.src.size, (1 << 20) + 12)).slice();
  const h = parseNpyHeader(head, node.src.size);
  if (typeof h === 'string') {
    c.add('AG-MODEL-NPY-HEADER', 'medium', 'Invalid .npy header', h, { member: node.member, offset: 0 });
    c.inconclusive = true;
    return 'npy';
  }
  if (h.hasObject) {
    const run = runPickle(node, c, { persistent: 'none', strong: true, start: h.dataStart, maxStreams: 1 });
    const end = run.result.end;
    if (!run.result.stop && end < node.src.size) {
      c.add(
        'AG-MODEL-PICKLE-TRAILING-DATA',
        'medium',
        'Data after the object array pickle',
        `${String(node.src.size - end)} bytes follow the pickle at ${hex(end)}`,
        { member: node.member, offset: end },
      );
    }
    return 'npy';
  }
  if (h.itemsize !== undefined) {
    const want = h.shape.reduce((a, b) => a * b, 1) * h.itemsize;
    const have = node.src.size - h.dataStart;
    if (want !== have) {
      c.add(
        'AG-MODEL-NPY-HEADER',
        want > have ? 'low' : 'medium',
        'Array data size differs from the header',
        `header promises ${String(want)} bytes of data, the file has ${String(have)}`,
        { member: node.member, offset: h.dataStart },
      );
    }
  }
  return 'npy';
}
