import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The directory holding the embedded database: `ATLASGUARD_DATA_DIR`, else `$XDG_DATA_HOME/atlasguard`,
 * else `~/.local/share/atlasguard`. Relative XDG paths are ignored, as the XDG spec says.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const explicit = env.ATLASGUARD_DATA_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env.XDG_DATA_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'atlasguard');
  return join(home, '.local', 'share', 'atlasguard');
}

export const DEFAULT_DB_FILE = 'atlasguard.sqlite';
