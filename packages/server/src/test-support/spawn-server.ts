import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./serve-child.ts', import.meta.url));

export interface ChildServer {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Kills the process (SIGKILL unless told otherwise) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** How `atlasguard` is started: from source (the default), or e.g. `[bin]` for the built command. */
const FROM_SOURCE = ['--conditions=@atlasguard/source', '--import', 'tsx', CHILD];

/** Spawns `atlasguard serve ARGS --port 0` (from source unless told) and waits for its "listening on" line. */
export async function spawnServer(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  command: readonly string[] = FROM_SOURCE,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...command, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start in 60 s:\n${err}`));
    }, 60_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${String(code)}) before listening:\n${err}`));
    });
  });
  return {
    url,
    child,
    stderr: () => err,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
