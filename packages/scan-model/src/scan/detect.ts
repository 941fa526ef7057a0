import type { ByteSource } from '../source/byte-source.js';

/** Formats recognised from content. `unknown` means no model format matched (plain data). */
export type Sniffed =
  | 'zip'
  | 'pickle'
  | 'npy'
  | 'safetensors'
  | 'gguf'
  | 'tar'
  | 'gzip'
  | 'zlib'
  | 'bzip2'
  | 'xz'
  | 'zstd'
  | 'lz4'
  | '7z'
  | 'hdf5'
  | 'json'
  | 'image'
  | 'pdf'
  | 'empty'
  | 'unknown';

const startsWith = (head: Uint8Array, sig: readonly number[], at = 0): boolean =>
  sig.every((b, i) => head[at + i] === b);

/** Identifies a byte source by its leading bytes (never by name). */
export function sniff(src: ByteSource): Sniffed {
  if (src.size === 0) return 'empty';
  const head = src.read(0, 512).slice();
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (head[0] === 0x80 && (head[1] ?? 9) <= 5 && src.size > 2) return 'pickle';
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'npy';
  if (startsWith(head, [0x47, 0x47, 0x55, 0x46])) return 'gguf';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x42, 0x5a, 0x68])) return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) return 'hdf5';
  if (
    startsWith(head, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(head, [0xff, 0xd8, 0xff]) ||
    startsWith(head, [0x47, 0x49, 0x46, 0x38])
  )
    return 'image';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (src.size >= 512 && startsWith(head, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return 'tar';
  if (isSafetensors(src, head)) return 'safetensors';
  if (
    head[0] === 0x78 &&
    [0x01, 0x5e, 0x9c, 0xda].includes(head[1] ?? 0) &&
    ((head[0] << 8) | (head[1] ?? 0)) % 31 === 0
  )
    return 'zlib';
  let i = 0;
  while (i < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[i] ?? 0)) i++;
  if (head[i] === 0x7b || head[i] === 0x5b) return 'json';
  return 'unknown';
}

function isSafetensors(src: ByteSource, head: Uint8Array): boolean {
  if (src.size < 10) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 9) return false;
  const n = view.getBigUint64(0, true);
  return n >= 2n && n <= BigInt(src.size - 8) && head[8] === 0x7b;
}

/** Finds the end-of-central-directory record of a zip appended to other data (polyglots). */
export function findEocd(src: ByteSource): number | undefined {
  if (src.size < 22) return undefined;
  const from = Math.max(0, src.size - 22 - 0xffff);
  const tail = src.read(from, src.size - from).slice();
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      const commentLen = (tail[i + 20] ?? 0) | ((tail[i + 21] ?? 0) << 8);
      if (i + 22 + commentLen <= tail.length) return from + i;
    }
  }
  return undefined;
}

/** The formats an extension promises; used to report extensions that lie. */
export const EXTENSION_FORMATS: Readonly<Record<string, readonly string[]>> = {
  '.pkl': ['pickle', 'zip', 'joblib'],
  '.pickle': ['pickle', 'joblib'],
  '.joblib': ['pickle', 'joblib', 'zlib', 'gzip', 'bzip2', 'xz', 'lz4'],
  '.dill': ['pickle'],
  '.pt': ['pytorch-zip', 'pytorch-legacy', 'pickle', 'zip', 'torchscript'],
  '.pth': ['pytorch-zip', 'pytorch-legacy', 'pickle', 'zip', 'torchscript'],
  '.bin': ['pytorch-zip', 'pytorch-legacy', 'pickle', 'zip', 'unknown', 'safetensors', 'gguf'],
  '.ckpt': ['pytorch-zip', 'pytorch-legacy', 'pickle', 'zip'],
  '.safetensors': ['safetensors'],
  '.gguf': ['gguf'],
  '.npy': ['npy'],
  '.npz': ['zip', 'npz'],
  '.h5': ['hdf5', 'keras-h5'],
  '.hdf5': ['hdf5', 'keras-h5'],
  '.onnx': ['onnx'],
  '.pbtxt': ['tf-savedmodel-text'],
  '.pb': ['tf-savedmodel', 'tf-graphdef', 'keras-savedmodel-metadata', 'tf-fingerprint'],
  '.keras': ['zip', 'keras'],
  '.zip': ['zip', 'npz', 'pytorch-zip', 'keras'],
  '.tar': ['tar'],
  '.gz': ['gzip'],
  '.tgz': ['gzip'],
  '.bz2': ['bzip2'],
  '.xz': ['xz'],
  '.zst': ['zstd'],
  '.lz4': ['lz4'],
  '.7z': ['7z'],
  '.json': ['json'],
  '.png': ['image'],
  '.jpg': ['image'],
};

/** Formats that can run code when loaded. */
export const CODE_FORMATS: ReadonlySet<string> = new Set([
  'pickle',
  'joblib',
  'pytorch-zip',
  'pytorch-legacy',
  'torchscript',
]);
