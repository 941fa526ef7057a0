import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { evaluateMarker, markerVariables, parseMarker, type MarkerEnvironment } from '../parsers/markers.js';
import { parsePep440 } from '../osv/pep440.js';
import type { Manifest, ResolvedPackage } from './types.js';

/** The environment a scan targets (`--python`, `--platform`, `--implementation`, `--machine`, `--extra`). */
export interface TargetOptions {
  python?: string;
  platform?: string;
  implementation?: string;
  machine?: string;
  extras?: readonly string[];
}

const PLATFORMS: Record<string, { sys_platform: string; platform_system: string; os_name: string }> = {
  linux: { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' },
  darwin: { sys_platform: 'darwin', platform_system: 'Darwin', os_name: 'posix' },
  macos: { sys_platform: 'darwin', platform_system: 'Darwin', os_name: 'posix' },
  windows: { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' },
  win32: { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' },
};

const IMPLEMENTATIONS: Record<
  string,
  { implementation_name: string; platform_python_implementation: string }
> = {
  cpython: { implementation_name: 'cpython', platform_python_implementation: 'CPython' },
  pypy: { implementation_name: 'pypy', platform_python_implementation: 'PyPy' },
};

function usage(message: string, hint: string): AtlasGuardError {
  return new AtlasGuardError(message, { exitCode: ExitCode.Usage, hint });
}

/**
 * The marker environment for the given options; undefined when no option is set (markers are then not
 * evaluated). `--python 3.11` sets python_version (and python_full_version only when given with a patch
 * level); the implementation defaults to CPython once a Python version is given.
 */
export function targetEnvironment(options: TargetOptions): MarkerEnvironment | undefined {
  const values: MarkerEnvironment['values'] = {};
  let any = false;
  if (options.python !== undefined) {
    any = true;
    const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(options.python);
    if (m === null || parsePep440(options.python) === undefined)
      throw usage(
        `--python "${options.python}" is not a Python version`,
        'use MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 3.11',
      );
    values.python_version = `${m[1] ?? ''}.${m[2] ?? ''}`;
    if (m[3] !== undefined) values.python_full_version = options.python;
  }
  if (options.platform !== undefined) {
    any = true;
    const p = PLATFORMS[options.platform.toLowerCase()];
    if (p === undefined)
      throw usage(
        `--platform "${options.platform}" is not known`,
        'one of: linux, darwin (macos), windows (win32)',
      );
    Object.assign(values, p);
  }
  const implementation = options.implementation ?? (options.python !== undefined ? 'cpython' : undefined);
  if (implementation !== undefined) {
    any = true;
    const i = IMPLEMENTATIONS[implementation.toLowerCase()];
    if (i === undefined)
      throw usage(`--implementation "${implementation}" is not known`, 'one of: cpython, pypy');
    Object.assign(values, i);
    if (i.implementation_name === 'cpython' && values.python_full_version !== undefined)
      values.implementation_version = values.python_full_version;
  }
  if (options.machine !== undefined) {
    any = true;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.machine))
      throw usage(
        `--machine "${options.machine}" is not a machine name`,
        'e.g. x86_64, aarch64, arm64, AMD64',
      );
    values.platform_machine = options.machine;
  }
  const extras = options.extras ?? [];
  if (extras.length > 0) any = true;
  return any ? { values, extras } : undefined;
}

/** A requirement left out because its markers are false for the target environment. */
export interface ExcludedPackage {
  name: string;
  version?: string;
  markers: string;
  file: string;
  line?: number;
}

/** A requirement kept although its markers could not be decided (unknown variable or bad marker). */
export interface UndecidedMarker extends ExcludedPackage {
  reason: string;
}

/**
 * Drops the packages whose markers are false in `env` (they would not be installed there). Markers that
 * cannot be decided keep the package (conservative) and are listed with the reason.
 */
export function applyTarget(
  manifest: Manifest,
  env: MarkerEnvironment,
): { manifest: Manifest; excluded: ExcludedPackage[]; undecided: UndecidedMarker[] } {
  const excluded: ExcludedPackage[] = [];
  const undecided: UndecidedMarker[] = [];
  const kept: ResolvedPackage[] = [];
  const known = new Set(Object.keys(env.values));
  for (const pkg of manifest.packages) {
    if (pkg.markers === undefined || pkg.markers.trim() === '') {
      kept.push(pkg);
      continue;
    }
    const where = {
      name: pkg.displayName,
      ...(pkg.version !== undefined ? { version: pkg.version } : {}),
      markers: pkg.markers,
      file: pkg.file,
      ...(pkg.line !== undefined ? { line: pkg.line } : {}),
    };
    const tree = parseMarker(pkg.markers);
    if ('error' in tree) {
      kept.push(pkg);
      undecided.push({ ...where, reason: `marker not understood: ${tree.error}` });
      continue;
    }
    const truth = evaluateMarker(tree, env);
    if (truth === false) excluded.push(where);
    else {
      kept.push(pkg);
      if (truth === undefined) {
        const missing = [...markerVariables(tree)].filter((v) => v !== 'extra' && !known.has(v));
        undecided.push({
          ...where,
          reason:
            missing.length > 0
              ? `the target does not set ${missing.join(', ')}`
              : 'the comparison cannot be decided',
        });
      }
    }
  }
  return { manifest: { ...manifest, packages: kept }, excluded, undecided };
}
