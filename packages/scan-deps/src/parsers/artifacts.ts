import type { Artifact } from '../manifest/types.js';

const WHEEL = /\.whl$/i;
const SDIST = /\.(?:tar\.gz|tgz|zip|tar\.bz2|tar\.xz|tar)$/i;

/** True when artifacts name files and none of them is a wheel (installing runs the sdist's build code). */
export function isSdistOnly(artifacts: readonly Artifact[]): boolean | undefined {
  const named = artifacts.filter((a) => a.file !== undefined);
  if (named.length === 0) return undefined;
  return !named.some((a) => WHEEL.test(a.file ?? '')) && named.some((a) => SDIST.test(a.file ?? ''));
}

/** The file name at the end of a URL. */
export function fileOfUrl(url: string): string {
  let end = url.length;
  const hash = url.indexOf('#');
  if (hash !== -1) end = hash;
  const query = url.indexOf('?');
  if (query !== -1 && query < end) end = query;
  const last = url.slice(url.lastIndexOf('/', end - 1) + 1, end);
  if (!last.includes('%')) return last;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const LOWER_HASH = /^[a-z0-9]+:[0-9a-f]+$/;

export function normalizeHash(hash: string): string {
  if (LOWER_HASH.test(hash)) return hash;
  const colon = hash.indexOf(':');
  if (colon === -1) return hash;
  return `${hash.slice(0, colon).toLowerCase()}:${hash.slice(colon + 1).toLowerCase()}`;
}
