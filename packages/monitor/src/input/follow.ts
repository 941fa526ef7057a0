import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowOptions {
  pollMs?: number;
  /** Stop after this long without new data (ms); undefined = until aborted. */
  idleExitMs?: number;
  signal?: AbortSignal;
  /** Start at the end of the existing file instead of its beginning. */
  fromEnd?: boolean;
  onRotate?: (kind: 'rotated' | 'truncated') => void;
}

const CHUNK = 256 * 1024;

/**
 * Tails a growing file like `tail -F`: reads what is there, then polls for appended data. Rotation (the path
 * now names a new file) drains the old file to its end first, then continues at the start of the new one;
 * truncation (the file shrank) restarts at offset 0. Polling, not fs.watch, so it works on every filesystem.
 */
export async function* followFile(
  path: string,
  options: FollowOptions = {},
): AsyncGenerator<Buffer | 'rotated' | 'truncated'> {
  const pollMs = options.pollMs ?? 200;
  let handle: FileHandle | undefined;
  let ino = -1;
  let offset = 0;
  let idleSince = Date.now();
  const buffer = Buffer.alloc(CHUNK);

  const openCurrent = async (fromEnd: boolean): Promise<boolean> => {
    try {
      const h = await open(path, 'r');
      const st = await h.stat();
      handle = h;
      ino = st.ino;
      offset = fromEnd ? st.size : 0;
      return true;
    } catch {
      return false;
    }
  };
  async function* drain(h: FileHandle): AsyncGenerator<Buffer> {
    for (;;) {
      const { bytesRead } = await h.read(buffer, 0, CHUNK, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      idleSince = Date.now();
      yield Buffer.from(buffer.subarray(0, bytesRead));
    }
  }

  try {
    await openCurrent(options.fromEnd === true);
    while (options.signal?.aborted !== true) {
      if (handle) yield* drain(handle);
      let st: Awaited<ReturnType<typeof stat>> | undefined;
      try {
        st = await stat(path);
      } catch {
        st = undefined;
      }
      if (handle && st && st.ino !== ino) {
        // rotated: finish the old file, then switch
        yield* drain(handle);
        await handle.close();
        handle = undefined;
        options.onRotate?.('rotated');
        yield 'rotated';
        await openCurrent(false);
        continue;
      }
      if (handle && st && st.size < offset) {
        options.onRotate?.('truncated');
        yield 'truncated';
        offset = 0;
        continue;
      }
      if (!handle && st) {
        await openCurrent(false);
        continue;
      }
      if (options.idleExitMs !== undefined && Date.now() - idleSince >= options.idleExitMs) return;
      try {
        await sleep(pollMs, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        return;
      }
    }
  } finally {
    await handle?.close();
  }
}
