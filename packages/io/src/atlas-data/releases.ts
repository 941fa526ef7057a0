import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';

/** The ATLAS release AtlasGuard is tested against and downloads when no data is supplied. */
export const PINNED_VERSION = '5.6.0';

/**
 * sha256 of the official `dist/ATLAS.yaml` of each release we know. A download or import of one of these
 * versions must match exactly; other versions are accepted with their digest recorded (trust on first use).
 */
export const KNOWN_DIGESTS: Readonly<Record<string, string>> = {
  '5.6.0': '8a5693df51135721796607b8f29cba8ed33d745d5592ed80efbaaab0fba978f2',
  '5.5.0': '7f0c5ab9256e735872da7e354c2f67ed4900c8b2869f8e3fe27f249e0a01733c',
  '5.4.0': '632b4f0209883eae7d2755cb88b4813b9de34b5d0f052f405d582978489227ed',
};

/** Where releases are downloaded from; `{version}` is replaced. `ATLASGUARD_ATLAS_URL` overrides it (mirrors). */
export const DEFAULT_RELEASE_URL =
  'https://raw.githubusercontent.com/mitre-atlas/atlas-data/v{version}/dist/ATLAS.yaml';

const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,32})?$/;

/** Normalizes a user-given release version (`v5.6.0` → `5.6.0`); throws a usage error for anything else. */
export function normalizeVersion(input: string): string {
  const version = input.trim().replace(/^v/i, '');
  if (!VERSION.test(version)) {
    throw new AtlasGuardError(`not an ATLAS release version: "${input}"`, {
      exitCode: ExitCode.Usage,
      hint: `give a version such as ${PINNED_VERSION}`,
    });
  }
  return version;
}

export function isReleaseVersion(input: string): boolean {
  return VERSION.test(input.trim().replace(/^v/i, ''));
}

/** Download URL of a release. */
export function releaseUrl(version: string, env: NodeJS.ProcessEnv): string {
  const template = env.ATLASGUARD_ATLAS_URL;
  const chosen = template !== undefined && template !== '' ? template : DEFAULT_RELEASE_URL;
  return chosen.includes('{version}') ? chosen.replaceAll('{version}', version) : chosen;
}

/** Compares release versions numerically (5.10.0 after 5.9.0). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}

/** `ATLASGUARD_OFFLINE` set (to anything but empty, `0` or `false`): never download. */
export function isOffline(env: NodeJS.ProcessEnv): boolean {
  const value = env.ATLASGUARD_OFFLINE;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
