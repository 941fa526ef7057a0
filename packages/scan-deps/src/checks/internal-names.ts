import type { IndexConfig } from '../manifest/types.js';

// Which package names look like an organisation's own (internal) packages, decided offline:
//  1. explicit prefixes the user gives (`--internal-prefix acme`), the strongest signal;
//  2. organisation words taken from the configured private index URLs (host labels and path segments such as
//     `pypi.acme-corp.example/simple` → `acme`, `acme-corp`), minus words every index URL has (`pypi`,
//     `simple`, `artifactory`, `com`, ...);
//  3. a name segment that says so (`internal`, `private`, `corp`, `inhouse`).
// A name matches an organisation word when it equals it or starts with it followed by a separator
// (`acme-utils`, `acme_ml`), or starts with it glued to a longer word only when the word is at least 4
// characters long (`acmeclient`). Whether the name also exists on the public index is decided elsewhere
// (curated lists + OSV data): public names are never called internal.

const GENERIC = new Set([
  'pypi',
  'pip',
  'simple',
  'index',
  'packages',
  'package',
  'pkgs',
  'pkg',
  'repo',
  'repos',
  'repository',
  'artifactory',
  'nexus',
  'devpi',
  'api',
  'python',
  'py',
  'web',
  'www',
  'download',
  'downloads',
  'files',
  'mirror',
  'mirrors',
  'proxy',
  'registry',
  'npm',
  'npmjs',
  'org',
  'com',
  'net',
  'io',
  'dev',
  'app',
  'cloud',
  'local',
  'localhost',
  'internal',
  'private',
  'corp',
  'intranet',
  'lan',
  'home',
  'example',
  'test',
  'gitlab',
  'github',
  'jfrog',
  'azure',
  'pkgs-dev',
  'aws',
  'codeartifact',
  'amazonaws',
  'googleapis',
  'gcp',
  'release',
  'releases',
  'stable',
  'nightly',
  'whl',
  'wheels',
  'legacy',
  'group',
  'virtual',
  'remote',
  'hosted',
  'feed',
  'feeds',
  '_packaging',
  'packaging',
  'https',
  'http',
]);

const INTERNAL_WORDS = new Set(['internal', 'private', 'corp', 'inhouse', 'intranet', 'proprietary']);

/** Organisation words from the URLs of non-public indexes (host labels, path segments, their dash parts). */
export function organisationWords(indexes: readonly IndexConfig[]): string[] {
  const words = new Set<string>();
  for (const index of indexes) {
    let url: URL;
    try {
      url = new URL(index.url);
    } catch {
      continue;
    }
    const parts = [...url.hostname.split('.'), ...url.pathname.split('/')];
    for (const raw of parts) {
      const part = raw.toLowerCase();
      if (part === '' || /^\d+$/.test(part) || /^v\d+$/.test(part)) continue;
      for (const word of [part, ...part.split(/[-_]/)]) {
        if (word.length >= 3 && !GENERIC.has(word) && /^[a-z][a-z0-9-]*$/.test(word)) words.add(word);
      }
    }
  }
  return [...words].sort();
}

export interface InternalVerdict {
  /** Why the name looks internal. */
  reason: string;
}

/** Whether a (PEP 503-normalised) name looks internal, and why; undefined when nothing suggests it. */
export function looksInternal(
  name: string,
  prefixes: readonly string[],
  orgWords: readonly string[],
): InternalVerdict | undefined {
  for (const raw of prefixes) {
    const prefix = raw.toLowerCase().replace(/[-_.]+/g, '-');
    if (prefix !== '' && name.startsWith(prefix))
      return { reason: `starts with the internal prefix "${raw}" (--internal-prefix)` };
  }
  for (const word of orgWords) {
    if (
      name === word ||
      name.startsWith(`${word}-`) ||
      (word.length >= 4 && name.startsWith(word) && name.length > word.length)
    )
      return { reason: `starts with "${word}", a word from the private index URL` };
  }
  const segment = name.split('-').find((s) => INTERNAL_WORDS.has(s));
  if (segment !== undefined) return { reason: `has the segment "${segment}"` };
  return undefined;
}
