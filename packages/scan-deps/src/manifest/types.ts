/** Package ecosystems AtlasGuard resolves. `conda` packages are reported as not covered (OSV has no conda data). */
export type Ecosystem = 'PyPI' | 'npm' | 'conda';

/** Where a package comes from, as far as the input says. */
export interface PackageSource {
  kind: 'registry' | 'url' | 'vcs' | 'path';
  /** Index or registry URL (registry), archive URL (url), repository URL (vcs), or local path. */
  url?: string;
  /** Git commit or ref for VCS pins. */
  ref?: string;
  /** True when the index is not the default one of the input (a vendor, mirror or private index). */
  alternate?: boolean;
}

/** One downloadable artifact of a package version (a wheel, an sdist, an npm tarball). */
export interface Artifact {
  /** File name when the input names it; undefined when only hashes are known. */
  file?: string;
  /** `algo:hex` (or npm SRI `sha512-...`) strings. */
  hashes: string[];
}

/** One resolved (or declared) package. */
export interface ResolvedPackage {
  ecosystem: Ecosystem;
  /** PEP 503-normalised for PyPI, as written for npm (scopes included). */
  name: string;
  /** The name as written in the input. */
  displayName: string;
  /** Exact version when pinned; undefined when only a specifier is known. */
  version?: string;
  /** The version specifier when not exactly pinned (`>=2.0`, `^1.2.3`). */
  specifier?: string;
  /** Declared by the project itself (true) or pulled in by another package (false). */
  direct: boolean;
  /** Development-only dependency, when the input says so. */
  dev?: boolean;
  source: PackageSource;
  artifacts: Artifact[];
  /** Only a source distribution is available: installing it runs build code. */
  sdistOnly?: boolean;
  extras?: string[];
  markers?: string;
  /** Where the package is declared (1-based line). */
  file: string;
  line?: number;
}

/** An index or registry configured by the input (requirements flags, pyproject sources, Pipfile sources). */
export interface IndexConfig {
  url: string;
  name?: string;
  /** `primary` replaces the default index; `extra` is consulted in addition to it (confusion risk). */
  role: 'primary' | 'extra' | 'explicit' | 'find-links';
  file: string;
  line?: number;
}

export type InputFormat =
  | 'requirements'
  | 'pyproject'
  | 'poetry-lock'
  | 'uv-lock'
  | 'pdm-lock'
  | 'pipfile-lock'
  | 'conda-env'
  | 'package-lock'
  | 'cyclonedx';

/** Everything AtlasGuard read from one input (a lockfile and the files it includes). */
export interface Manifest {
  path: string;
  format: InputFormat;
  packages: ResolvedPackage[];
  indexes: IndexConfig[];
  /** Packages outside the OSV ecosystems (conda-only), listed so that reports can say they were not checked. */
  notCovered: ResolvedPackage[];
  /** Every file read (includes of requirements files). */
  files: string[];
}

export function packageKey(p: Pick<ResolvedPackage, 'ecosystem' | 'name'>): string {
  return `${p.ecosystem}:${p.name}`;
}
