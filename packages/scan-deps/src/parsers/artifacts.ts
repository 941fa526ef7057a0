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
  const last =
    url
      .replace(/[#?].*$/, '')
      .split('/')
      .pop() ?? url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function normalizeHash(hash: string): string {
  const colon = hash.indexOf(':');
  if (colon === -1) return hash;
  return `${hash.slice(0, colon).toLowerCase()}:${hash.slice(colon + 1).toLowerCase()}`;
}
