import type { Severity } from '@atlasguard/core/findings';
import { buildAllowTable, DEFAULT_PROFILES, type AllowEntry, type ProfileId } from './allow-profiles.js';
import { DANGEROUS_ATTRIBUTES, denyRuleFor, type DenyRule } from './deny-list.js';

/** What the policy says about one imported global. */
export interface GlobalVerdict {
  readonly full: string;
  readonly allow: AllowEntry | undefined;
  /** Severity when not allowed. */
  readonly severity: Severity;
  readonly reason: string;
  readonly refs: readonly string[];
}

export interface PolicyOptions {
  profiles?: readonly ProfileId[];
  /** Extra allowed dotted names (user allow-list entries that apply to the file being scanned). */
  extraAllowed?: ReadonlySet<string>;
}

/** Default-deny policy over the chosen allow-list profiles; the deny-list only labels severity. */
export class Policy {
  private readonly table: ReadonlyMap<string, AllowEntry>;
  private readonly cache = new Map<string, GlobalVerdict>();
  readonly profiles: readonly ProfileId[];

  constructor(private readonly options: PolicyOptions = {}) {
    this.profiles = options.profiles ?? DEFAULT_PROFILES;
    this.table = buildAllowTable(this.profiles);
  }

  /** Same policy with more names allowed (for one file). */
  withExtraAllowed(names: ReadonlySet<string>): Policy {
    if (names.size === 0) return this;
    return new Policy({ ...this.options, profiles: this.profiles, extraAllowed: names });
  }

  /** May BUILD apply state to what this allowed global makes? (User allow-list entries: yes.) */
  allowsBuild(full: string): boolean {
    const entry = this.table.get(full);
    if (entry) return entry.build === true;
    return this.options.extraAllowed?.has(full) === true;
  }

  classify(module: string, name: string): GlobalVerdict {
    const full = `${normalizeModule(module)}.${name}`;
    let verdict = this.cache.get(full);
    if (!verdict) {
      verdict = this.decide(full, name);
      if (this.cache.size < 100_000) this.cache.set(full, verdict);
    }
    return verdict;
  }

  private decide(full: string, name: string): GlobalVerdict {
    const allow = this.table.get(full);
    if (allow) return { full, allow, severity: 'info', reason: allow.why, refs: [] };
    if (this.options.extraAllowed?.has(full)) {
      const entry: AllowEntry = {
        name: full,
        kind: 'class',
        why: 'allowed by the user allow-list for this file',
      };
      return { full, allow: entry, severity: 'info', reason: entry.why, refs: [] };
    }
    const direct = denyRuleFor(full);
    const alias = aliasRule(name);
    // The more severe of the name itself and the object a dotted chain reaches (`pathlib.os.system`).
    const rule = moreSevere(direct, alias);
    if (rule)
      return { full, allow: undefined, severity: rule.severity, reason: rule.why, refs: rule.refs ?? [] };
    const segments = name.split('.');
    if (segments.length > 1 && segments.slice(0, -1).some((s) => s.startsWith('_'))) {
      return {
        full,
        allow: undefined,
        severity: 'critical',
        reason:
          'dotted attribute chain through a private name reaches objects the module never meant to export',
        refs: ['GHSA-5j3x-jp52-966f'],
      };
    }
    const last = segments[segments.length - 1] ?? name;
    if (DANGEROUS_ATTRIBUTES.has(last)) {
      return {
        full,
        allow: undefined,
        severity: 'high',
        reason: `"${last}" is a code-running name`,
        refs: [],
      };
    }
    return {
      full,
      allow: undefined,
      severity: 'medium',
      reason:
        'not on the allow-list of the active profiles: importing it runs module code and its use is unknown',
      refs: [],
    };
  }
}

export function normalizeModule(module: string): string {
  if (module === '__builtin__' || module === '__builtins__') return 'builtins';
  return module;
}

function moreSevere(a: DenyRule | undefined, b: DenyRule | undefined): DenyRule | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.severity === 'critical' && a.severity !== 'critical' ? b : a;
}

/** A dotted chain like `_os.system` or `os.path.join` reached through another module: judge the tail too. */
function aliasRule(name: string): DenyRule | undefined {
  const segments = name.split('.');
  for (let i = 0; i < segments.length - 1; i++) {
    const tail = segments.slice(i);
    const first = tail[0] ?? '';
    const rule =
      denyRuleFor([first.replace(/^_+/, ''), ...tail.slice(1)].join('.')) ?? denyRuleFor(tail.join('.'));
    if (rule) return rule;
  }
  return undefined;
}
