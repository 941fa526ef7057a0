import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { Finding } from '@atlasguard/core/findings';
import { isAtOrAbove } from '@atlasguard/core/severity';
import type { Policy } from '../policy/policy.js';
import type { VmLimits } from '../pickle/vm-types.js';
import { scanCompressed } from '../formats/compressed.js';
import { scanGguf } from '../formats/gguf.js';
import { scanHdf5 } from '../formats/hdf5.js';
import { checkJsonMetadata } from '../formats/json-meta.js';
import { scanNpy } from '../formats/npy.js';
import { looksLikeOnnx, scanOnnx } from '../formats/onnx.js';
import { scanPickleFile } from '../formats/pickle-file.js';
import { scanSafetensors } from '../formats/safetensors.js';
import { scanTar } from '../formats/tar.js';
import { looksLikeSavedModel, scanTensorFlow, tfKindByName } from '../formats/tf-savedmodel.js';
import { scanSavedModelText } from '../formats/tf-text.js';
import { scanZip } from '../formats/zip.js';
import { BufferSource, FileSource, type ByteSource } from '../source/byte-source.js';
import { Collector, type ScanBudget } from './collector.js';
import { CODE_FORMATS, EXTENSION_FORMATS, sniff } from './detect.js';
import type { ScanNode, SiblingLookup } from './node.js';
import { hashOffThread } from './hash-off-thread.js';
import type { FileReport, Verdict } from './types.js';

export interface FileScanOptions {
  readonly policy: Policy;
  readonly limits: VmLimits;
  readonly maxDepth: number;
  readonly maxEntries: number;
  readonly maxInflatedTotal: number;
  readonly maxMemberInflate: number;
  /** Deflated zip members above this size are decoded on demand (flat memory) instead of in memory. */
  readonly streamInflateAbove: number;
  readonly maxRatio: number;
}

export const DEFAULT_FILE_OPTIONS: Omit<FileScanOptions, 'policy'> = {
  limits: {
    maxOpcodes: 100_000_000,
    maxStack: 2_000_000,
    maxMemo: 10_000_000,
    maxLine: 1 << 20,
    maxString: 1 << 20,
    maxNesting: 3,
    timeMs: 60_000,
  },
  maxDepth: 8,
  maxEntries: 100_000,
  maxInflatedTotal: 2 * 1024 * 1024 * 1024,
  maxMemberInflate: 256 * 1024 * 1024,
  streamInflateAbove: 32 * 1024 * 1024,
  maxRatio: 200,
};

const PICKLE_EXT = /\.(pkl|pickle|dill|joblib)$/i;

/** Scans one node by its content and returns the detected format. */
export function scanNode(node: ScanNode, c: Collector): string {
  if (node.depth > c.budget.maxDepth) {
    c.inconclusiveBecause(`archives nested deeper than ${String(c.budget.maxDepth)} levels`, {
      member: node.member,
    });
    return 'nested';
  }
  if (c.outOfTime()) {
    c.inconclusiveBecause('time budget exhausted', { member: node.member });
    return 'unknown';
  }
  const kind = node.as ?? sniff(node.src);
  let format: string;
  switch (kind) {
    case 'zip':
      format = scanZip(node, c, scanNode);
      break;
    case 'pickle':
      format = scanPickleFile(node, c, scanNode, true);
      break;
    case 'npy':
      format = scanNpy(node, c);
      break;
    case 'safetensors':
      format = scanSafetensors(node, c);
      break;
    case 'gguf':
      format = scanGguf(node, c);
      break;
    case 'tar':
      format = scanTar(node, c, scanNode);
      break;
    case 'gzip':
    case 'zlib':
    case 'bzip2':
    case 'xz':
    case 'zstd':
    case 'lz4':
      format = scanCompressed(node, c, scanNode, kind);
      break;
    case '7z':
      c.inconclusiveBecause('7z archives are not decoded by this scanner; extract it and scan the files', {
        member: node.member,
        offset: 0,
      });
      format = '7z';
      break;
    case 'hdf5':
      format = scanHdf5(node, c);
      break;
    case 'json':
      format = checkJsonMetadata(node.src, node.name, c, node.member, node.siblings);
      break;
    case 'image':
    case 'pdf':
    case 'empty':
      format = kind;
      break;
    case 'unknown': {
      if (/\.safetensors$/i.test(node.name) && node.src.size >= 8) {
        format = scanSafetensors(node, c);
        break;
      }
      if (/\.pbtxt$/i.test(node.name)) {
        format = scanSavedModelText(node, c);
        break;
      }
      const tfKind = tfKindByName(node.name);
      if (tfKind !== undefined) {
        // A `.pb` that is not a SavedModel may be a frozen GraphDef; a failure of both is inconclusive.
        const tf =
          tfKind === 'graph-def'
            ? (scanTensorFlow(node, c, 'saved-model', false) ?? scanTensorFlow(node, c, 'graph-def', true))
            : scanTensorFlow(node, c, tfKind, true);
        if (tf !== undefined) {
          format = tf;
          break;
        }
      }
      if (looksLikeSavedModel(node.src)) {
        const tf = scanTensorFlow(node, c, 'saved-model', false);
        if (tf !== undefined) {
          format = tf;
          break;
        }
      }
      const onnxName = /\.onnx$/i.test(node.name);
      const onnx = onnxName || looksLikeOnnx(node.src) ? scanOnnx(node, c, onnxName) : undefined;
      if (onnx !== undefined) {
        format = onnx;
        break;
      }
      format = scanPickleFile(node, c, scanNode, node.pickleExpected === true || PICKLE_EXT.test(node.name));
      break;
    }
  }
  checkExtension(node, format, c);
  return format;
}

function checkExtension(node: ScanNode, format: string, c: Collector): void {
  const ext = extname(node.name).toLowerCase();
  const expected = EXTENSION_FORMATS[ext];
  if (!expected) return;
  const base = format.split('+')[0] ?? format;
  if (expected.includes(base) || expected.includes(format)) return;
  if (base === 'nested' || base === 'onnx') return;
  const code = CODE_FORMATS.has(base);
  c.add(
    'AG-MODEL-EXTENSION-MISMATCH',
    code ? 'high' : 'low',
    code ? 'Executable format behind a data extension' : 'Extension does not match content',
    `named ${ext} but the content is ${format}${code ? ': a loader picked by content would run it as a pickle' : ''}`,
    { member: node.member, offset: 0 },
  );
}

/** File verdict: malicious on critical/high, suspicious on medium, inconclusive when the scan was incomplete. */
export function verdictOf(findings: readonly Finding[], inconclusive: boolean): Verdict {
  if (findings.some((f) => isAtOrAbove(f.severity, 'high'))) return 'malicious';
  if (inconclusive) return 'inconclusive';
  if (findings.some((f) => f.severity === 'medium')) return 'suspicious';
  return 'clean';
}

/** One read buffer per thread for hashing (files are hashed one at a time on each thread). */
const hashBuffer = Buffer.allocUnsafe(1024 * 1024);

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = hashBuffer;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const MAX_SIBLING = 5 * 1024 * 1024;

/** Regular files (not symlinks) in the same directory, read whole up to MAX_SIBLING bytes. */
function diskSiblings(path: string, display: string): SiblingLookup {
  return (name) => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) return undefined;
    const target = join(dirname(path), name);
    let st;
    try {
      st = lstatSync(target);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const shown = join(dirname(display), name);
    // Too large to read: the size alone lets the caller report it as not analysed.
    if (st.size > MAX_SIBLING) return { src: { size: st.size, read: () => new Uint8Array(0) }, path: shown };
    return { src: new BufferSource(readFileSync(target)), path: shown };
  };
}

/**
 * Scans one file on disk. `display` is the path printed in reports. `policy` is either the policy itself or,
 * when it depends on the file (a user allow-list scoped by digest), a function of the file's sha256: then the
 * digest comes first; otherwise a large file is hashed on a helper thread while it is scanned.
 */
export function scanFile(
  path: string,
  display: string,
  options: FileScanOptions,
  policy: Policy | ((sha256: string) => Policy),
): FileReport {
  if (typeof policy === 'function') {
    const sha256 = sha256File(path);
    return scanOpened(path, display, sha256, options, policy(sha256));
  }
  const pending = hashOffThread(path);
  if (pending === undefined) return scanOpened(path, display, sha256File(path), options, policy);
  const report = scanOpened(path, display, '', options, policy);
  return { ...report, sha256: pending.digest() ?? sha256File(path) };
}

function scanOpened(
  path: string,
  display: string,
  sha256: string,
  options: FileScanOptions,
  policy: Policy,
): FileReport {
  const source = new FileSource(path);
  try {
    return scanSource(source, display, sha256, options, policy, diskSiblings(path, display));
  } finally {
    source.close();
  }
}

/** Scans bytes already opened as a source (used by tests and by scanFile). */
export function scanSource(
  src: ByteSource,
  display: string,
  sha256: string,
  options: FileScanOptions,
  policy: Policy = options.policy,
  siblings?: SiblingLookup,
): FileReport {
  const budget: ScanBudget = {
    maxDepth: options.maxDepth,
    maxEntries: options.maxEntries,
    maxInflatedTotal: options.maxInflatedTotal,
    maxMemberInflate: options.maxMemberInflate,
    streamInflateAbove: options.streamInflateAbove,
    maxRatio: options.maxRatio,
    deadline: Date.now() + options.limits.timeMs,
    inflated: 0,
    entries: 0,
  };
  const c = new Collector(display, policy, options.limits, budget);
  const name = display.split(/[\\/]/).pop() ?? display;
  let format: string;
  try {
    format = scanNode({ src, name, member: undefined, depth: 0, ...(siblings ? { siblings } : {}) }, c);
  } catch (error) {
    c.inconclusiveBecause(`scanner error: ${error instanceof Error ? error.message : String(error)}`);
    format = 'unknown';
  }
  c.finish();
  return {
    path: display,
    sha256,
    size: src.size,
    format,
    verdict: verdictOf(c.findings, c.inconclusive),
    findings: c.findings,
  };
}
