import { open, stat } from 'node:fs/promises';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { LIMITS } from './limits.js';
import { SourceText } from './source-text.js';

/** Reads a text input with a size bound; binary or non-UTF-8 content is an error, not a guess. */
export async function readSource(path: string, maxBytes: number = LIMITS.maxFileBytes): Promise<SourceText> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new AtlasGuardError(`${path} is not a file`, {
        exitCode: ExitCode.Error,
        position: { file: path },
      });
    size = info.size;
  } catch (error) {
    if (error instanceof AtlasGuardError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AtlasGuardError(`cannot read ${path}: ${code}`, {
      exitCode: code === 'ENOENT' ? ExitCode.NothingToScan : ExitCode.Error,
      position: { file: path },
      hint: 'check the path',
    });
  }
  if (size > maxBytes) {
    throw new AtlasGuardError(`${path} is larger than ${String(maxBytes)} bytes`, {
      exitCode: ExitCode.Error,
      position: { file: path },
      hint: 'lockfiles are text files well below this size; is this the right file?',
    });
  }
  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    bytes = Buffer.alloc(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    bytes = bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AtlasGuardError(`${path} is not UTF-8 text`, {
      exitCode: ExitCode.Error,
      position: { file: path },
      hint: 'pass a text lockfile',
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) {
    throw new AtlasGuardError(`${path} contains NUL bytes (binary file?)`, {
      exitCode: ExitCode.Error,
      position: { file: path, line: 1 },
    });
  }
  return new SourceText(path, text);
}
