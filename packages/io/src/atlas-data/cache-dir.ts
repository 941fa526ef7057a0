import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The user cache: `$ATLASGUARD_CACHE_DIR`, else `$XDG_CACHE_HOME/atlasguard`, else `~/.cache/atlasguard`. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const own = env.ATLASGUARD_CACHE_DIR;
  if (own !== undefined && own !== '') return resolve(own);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(resolve(xdg), 'atlasguard');
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.cache', 'atlasguard');
}
