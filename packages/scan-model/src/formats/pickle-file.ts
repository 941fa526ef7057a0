import { scanPickleStreams, type PickleScanResult } from '../pickle/scan-streams.js';
import type { FileState } from '../pickle/vm.js';
import type { PersistentMode, StorageRef, VmContext } from '../pickle/vm-types.js';
import { findEocd } from '../scan/detect.js';
import type { Collector } from '../scan/collector.js';
import { hex, type Recurse, type ScanNode } from '../scan/node.js';

/** The first value of a legacy (non-zip) torch.save file. */
const TORCH_LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

export interface PickleRunOptions {
  persistent: PersistentMode;
  start?: number;
  maxStreams?: number;
  /** The container says this is a pickle: failing on the first opcode is malformed, not "not a pickle". */
  strong: boolean;
  /** Continues after an earlier stream: bytes that are not a pickle are trailing data. */
  continuation?: boolean;
  file?: FileState;
}

export interface PickleRun {
  readonly result: PickleScanResult;
  readonly storages: readonly StorageRef[];
  readonly trailingAt: number | undefined;
}

export function vmContext(
  c: Collector,
  node: ScanNode,
  persistent: PersistentMode,
  storages: StorageRef[],
): VmContext {
  return {
    policy: c.policy,
    limits: c.limits,
    deadline: c.budget.deadline,
    depth: 0,
    persistent,
    storages,
    report: (f) => {
      c.fromVm(f, node.member);
    },
  };
}

/** Runs the VM over a node and turns stream-level outcomes into findings. */
export function runPickle(node: ScanNode, c: Collector, options: PickleRunOptions): PickleRun {
  const storages: StorageRef[] = [];
  const file: FileState = options.file ?? { extensions: new Map(), opcodes: 0, latent: new WeakMap() };
  const result = scanPickleStreams(node.src, vmContext(c, node, options.persistent, storages), file, {
    ...(options.start !== undefined ? { start: options.start } : {}),
    ...(options.maxStreams !== undefined ? { maxStreams: options.maxStreams } : {}),
  });
  const where = { member: node.member };
  let trailingAt = result.trailingAt;
  if (result.stop) {
    const at = result.stop.offset;
    if (result.stop.kind === 'limit') {
      c.inconclusiveBecause(`pickle scan stopped at ${hex(at)}: ${result.stop.message}`, {
        ...where,
        offset: at,
      });
    } else if (result.notPickle && options.continuation) {
      trailingAt = options.start ?? 0;
    } else if (!result.notPickle || options.strong) {
      c.add(
        'AG-MODEL-PICKLE-MALFORMED',
        'low',
        'Malformed or truncated pickle',
        `the stream breaks at ${hex(at)} (${result.stop.message}); a loader runs every opcode before that point and then fails, so the file cannot be verified as a whole`,
        { ...where, offset: at },
      );
      c.inconclusive = true;
    }
  }
  return { result, storages, trailingAt };
}

/** A raw pickle file: plain, multi-stream, legacy PyTorch, joblib with inline arrays, pickle-first polyglot. */
export function scanPickleFile(node: ScanNode, c: Collector, recurse: Recurse, strong: boolean): string {
  const file: FileState = { extensions: new Map(), opcodes: 0, latent: new WeakMap() };
  const first = runPickle(node, c, { persistent: 'none', strong, maxStreams: 1, file });
  if (first.result.notPickle && !strong) return 'unknown';
  const firstStream = first.result.streams[0];
  if (!firstStream) return 'pickle';
  const value = firstStream.value;
  if (value?.t === 'int' && BigInt(value.v) === TORCH_LEGACY_MAGIC) {
    return scanTorchLegacy(node, c, firstStream.end, file);
  }
  const end = firstStream.end;
  let trailingAt = first.trailingAt;
  if (end < node.src.size && trailingAt === undefined) {
    const rest = runPickle(node, c, {
      persistent: 'none',
      strong: true,
      start: end,
      continuation: true,
      file,
    });
    trailingAt = rest.trailingAt;
  }
  if (trailingAt !== undefined) trailing(node, c, trailingAt, recurse);
  return node.name.toLowerCase().endsWith('.joblib') ? 'joblib' : 'pickle';
}

/** Bytes after the last pickle: a polyglot when they form a zip, otherwise unexplained data. */
function trailing(node: ScanNode, c: Collector, at: number, recurse: Recurse): void {
  const eocd = findEocd(node.src);
  const head = node.src.read(at, 8);
  if (eocd !== undefined && eocd >= at) {
    c.add(
      'AG-MODEL-POLYGLOT',
      'high',
      'Pickle/zip polyglot',
      `a zip archive follows the pickle at ${hex(at)}: pickle loaders and zip loaders see different content`,
      { member: node.member, offset: at },
    );
    recurse(
      {
        src: node.src,
        name: `${node.name}#zip`,
        member: `${node.member ?? ''}${node.member ? '!' : ''}appended-zip`,
        depth: node.depth + 1,
        as: 'zip',
      },
      c,
    );
    return;
  }
  c.add(
    'AG-MODEL-PICKLE-TRAILING-DATA',
    'medium',
    'Data after the last pickle stream',
    `${String(node.src.size - at)} bytes after the last STOP at ${hex(at)} are not a pickle (they start ${Buffer.from(head).toString('hex')}); no pickler writes this`,
    { member: node.member, offset: at },
  );
}

/**
 * Legacy torch.save: magic number, protocol, sys_info, the model pickle (with persistent ids), the storage
 * keys, then raw storages. All five pickles are scanned; what follows is storage data, read raw by torch.
 */
function scanTorchLegacy(node: ScanNode, c: Collector, afterMagic: number, file: FileState): string {
  const rest = runPickle(node, c, {
    persistent: 'torch',
    strong: true,
    start: afterMagic,
    maxStreams: 4,
    file,
  });
  const streams = rest.result.streams.length;
  if (streams < 4 && !rest.result.stop) {
    c.add(
      'AG-MODEL-TORCH-STORAGE',
      'medium',
      'Legacy PyTorch file with fewer than five pickles',
      `found ${String(streams + 1)} pickle streams; torch.load expects five before the storage data`,
      { member: node.member },
    );
    c.inconclusive = true;
  }
  return 'pytorch-legacy';
}
