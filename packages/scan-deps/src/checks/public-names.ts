import {
  KNOWN_LEGITIMATE_PYPI,
  POPULAR_NPM,
  POPULAR_PYPI,
  PUBLIC_PLACEHOLDERS_PYPI,
  KNOWN_LEGITIMATE_NPM,
} from '../data/popular-packages.js';
import type { Ecosystem } from '../manifest/types.js';
import type { OsvIndex } from '../osv/osv-index.js';

/**
 * Decides offline whether a name exists on the public index: the curated lists shipped with AtlasGuard,
 * plus every package name the OSV data mentions (advisories and malicious-package reports are only
 * published for names that exist there).
 */
export class PublicNames {
  private readonly curated: Record<'PyPI' | 'npm', Set<string>>;
  private readonly osv: OsvIndex | undefined;

  constructor(osv: OsvIndex | undefined) {
    this.osv = osv;
    this.curated = {
      PyPI: new Set([...POPULAR_PYPI, ...KNOWN_LEGITIMATE_PYPI, ...PUBLIC_PLACEHOLDERS_PYPI]),
      npm: new Set([...POPULAR_NPM, ...KNOWN_LEGITIMATE_NPM]),
    };
  }

  /** Where the evidence comes from, or undefined when the name is not known to be public. */
  evidence(ecosystem: Ecosystem, name: string): 'curated list' | 'OSV data' | undefined {
    if (ecosystem === 'conda') return undefined;
    if (this.curated[ecosystem].has(name)) return 'curated list';
    if (this.osv?.hasPackage(`${ecosystem}:${name}`) === true) return 'OSV data';
    return undefined;
  }
}
