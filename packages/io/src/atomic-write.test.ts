import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('creates missing directories and replaces the whole file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ag-atomic-'));
    const target = join(dir, 'nested', 'out.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second, longer');
    expect(await readFile(target, 'utf8')).toBe('second, longer');
    expect(await readdir(join(dir, 'nested'))).toEqual(['out.json']);
  });

  it('leaves the previous content and no temp file when the target cannot be replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ag-atomic-'));
    const target = join(dir, 'out');
    await writeFile(join(dir, 'out'), 'old');
    // A directory in the way of the rename makes the write fail after the temp file exists.
    const blocked = join(dir, 'blocked');
    await writeFileAtomic(join(blocked, 'x'), 'x');
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'out']);
  });
});
