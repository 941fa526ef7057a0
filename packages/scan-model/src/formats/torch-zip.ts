import type { StorageRef } from '../pickle/vm-types.js';
import type { Collector } from '../scan/collector.js';
import type { ByteSource } from '../source/byte-source.js';
import type { ZipEntry } from './zip-directory.js';

const ELEMENT_SIZE: Readonly<Record<string, number>> = {
  'torch.FloatStorage': 4,
  'torch.DoubleStorage': 8,
  'torch.HalfStorage': 2,
  'torch.BFloat16Storage': 2,
  'torch.LongStorage': 8,
  'torch.IntStorage': 4,
  'torch.ShortStorage': 2,
  'torch.CharStorage': 1,
  'torch.ByteStorage': 1,
  'torch.BoolStorage': 1,
  'torch.ComplexFloatStorage': 8,
  'torch.ComplexDoubleStorage': 16,
  'torch.QInt8Storage': 1,
  'torch.QUInt8Storage': 1,
  'torch.QInt32Storage': 4,
  'torch.storage.UntypedStorage': 1,
  'torch.UntypedStorage': 1,
};

/** Patterns in TorchScript source that touch files, processes or load native code. */
const RISKY_TORCHSCRIPT: ReadonlyArray<readonly [RegExp, string]> = [
  [/aten::from_file|torch\.from_file/, 'reads an arbitrary file into a tensor (aten::from_file)'],
  [/torch\.ops\.load_library|load_library\(/, 'loads a native library'],
  [
    /\bos\.(system|popen)|subprocess|builtins\.(eval|exec)|__import__/,
    'names a code-running Python function',
  ],
  [/torch\.save|aten::save|open\(/, 'writes or opens files'],
  [
    /torch\.ops\.(?!aten\b|prim\b|quantized\b|_caffe2\b)\w+/,
    'calls a custom operator namespace that needs a native library',
  ],
];

/** TorchScript `code/` members are Python-like source run by torch.jit.load: report them and their risky calls. */
export function checkTorchScript(body: ByteSource, c: Collector, member: string, name: string): void {
  const text = Buffer.from(body.read(0, Math.min(body.size, 4 * 1024 * 1024))).toString('utf8');
  const risky = RISKY_TORCHSCRIPT.filter(([re]) => re.test(text));
  if (risky.length > 0) {
    const first = risky[0];
    const line = first
      ? text
          .split('\n')
          .find((l) => first[0].test(l))
          ?.trim()
      : undefined;
    c.add(
      'AG-MODEL-TORCHSCRIPT-CODE',
      'high',
      'TorchScript code with file, process or native-library access',
      `${name} ${risky.map(([, why]) => why).join('; ')}; torch.jit.load runs this code`,
      { member },
      { evidence: line, refs: ['CVE-2025-32434'] },
    );
  } else if (name.endsWith('.py')) {
    c.add(
      'AG-MODEL-TORCHSCRIPT-CODE',
      'medium',
      'TorchScript program in the archive',
      `${name} is TorchScript source: torch.jit.load compiles and runs it, so the file is a program, not just weights`,
      { member },
    );
  }
}

/** Persistent ids in data.pkl must name storages present in data/, with enough bytes. */
export function checkStorages(
  refs: readonly StorageRef[],
  storages: ReadonlyMap<string, ZipEntry>,
  c: Collector,
  member: string | undefined,
): void {
  for (const ref of refs) {
    const entry = storages.get(ref.key);
    if (!entry) {
      c.add(
        'AG-MODEL-TORCH-STORAGE',
        'medium',
        'Storage reference without data',
        `data.pkl references storage "${ref.key}" but the archive has no data/${ref.key}`,
        { member, offset: ref.offset },
      );
      continue;
    }
    const size = ELEMENT_SIZE[ref.type];
    if (size !== undefined && ref.numel !== undefined && ref.numel * size > entry.size) {
      c.add(
        'AG-MODEL-TORCH-STORAGE',
        'medium',
        'Storage smaller than its reference',
        `storage "${ref.key}" holds ${String(entry.size)} bytes, data.pkl needs ${String(ref.numel * size)}`,
        { member, offset: ref.offset },
      );
    }
  }
}
