import type { Finding, Severity } from '@atlasguard/core/findings';
import type { Policy } from '../policy/policy.js';
import type { VmFinding, VmLimits } from '../pickle/vm-types.js';
import { referencesFor, ruleInfo } from './rules.js';

/** Budgets for one input file, shared by everything nested in it. */
export interface ScanBudget {
  /** Archive/wrapper nesting depth. */
  readonly maxDepth: number;
  /** Archive members over all archives in the file. */
  readonly maxEntries: number;
  /** Bytes produced by decompression over the whole file. */
  readonly maxInflatedTotal: number;
  /** Bytes one decompressed member or wrapper may produce (held in memory). */
  readonly maxMemberInflate: number;
  /** Deflated members declaring more bytes than this are decoded on demand instead of in memory. */
  readonly streamInflateAbove: number;
  /** Declared compression ratio above which a member is treated as a bomb (when also large). */
  readonly maxRatio: number;
  readonly deadline: number;
  inflated: number;
  entries: number;
}

export interface Where {
  member?: string | undefined;
  offset?: number | undefined;
  /** Another file than the one scanned (a sibling named by repo metadata). */
  path?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export interface Extra {
  evidence?: string | undefined;
  refs?: readonly string[] | undefined;
}

/** Collects findings for one input file and whether the scan of it is complete. */
export class Collector {
  readonly findings: Finding[] = [];
  inconclusive = false;
  private readonly keys = new Set<string>();
  private readonly pending: Array<{ f: VmFinding; member: string | undefined; base: number }> = [];

  constructor(
    readonly path: string,
    readonly policy: Policy,
    readonly limits: VmLimits,
    readonly budget: ScanBudget,
  ) {}

  add(
    rule: string,
    severity: Severity,
    title: string,
    message: string,
    where: Where = {},
    extra: Extra = {},
  ): void {
    if (rule === 'AG-MODEL-INCONCLUSIVE') this.inconclusive = true;
    const key = `${rule}|${where.path ?? ''}|${where.member ?? ''}|${String(where.offset ?? '')}|${String(where.line ?? '')}:${String(where.column ?? '')}|${message}`;
    if (this.keys.has(key) || this.findings.length >= 500) return;
    this.keys.add(key);
    const info = ruleInfo(rule);
    const refs = referencesFor(rule, extra.refs ?? []);
    this.findings.push({
      ruleId: rule,
      title,
      severity,
      element: 'model',
      atlas: { techniques: [...info.techniques], mitigations: [...info.mitigations] },
      location: {
        path: where.path ?? this.path,
        ...(where.member !== undefined && where.member !== '' ? { member: where.member } : {}),
        ...(where.offset !== undefined ? { offset: where.offset } : {}),
        ...(where.line !== undefined ? { line: where.line } : {}),
        ...(where.column !== undefined ? { column: where.column } : {}),
      },
      message,
      ...(extra.evidence !== undefined ? { evidence: extra.evidence } : {}),
      remediation: info.remediation,
      ...(refs.length > 0 ? { references: refs } : {}),
    });
  }

  inconclusiveBecause(message: string, where: Where = {}): void {
    this.add('AG-MODEL-INCONCLUSIVE', 'low', 'Scan incomplete', message, where);
  }

  /** VM findings are kept by reference until the scan ends: later opcodes add the call to an import's evidence. */
  fromVm(f: VmFinding, member: string | undefined, base = 0): void {
    if (f.rule === 'AG-MODEL-INCONCLUSIVE') this.inconclusive = true;
    if (this.pending.length < 10_000) this.pending.push({ f, member, base });
  }

  /** Converts pending VM findings; call once when the file is done. */
  finish(): void {
    for (const { f, member, base } of this.pending) {
      if (f.suppressed === true) continue;
      const chain =
        f.member === undefined ? member : member === undefined ? f.member : `${member}!${f.member}`;
      this.add(
        f.rule,
        f.severity,
        f.title,
        f.message,
        { member: chain, offset: base + f.offset },
        { evidence: f.evidence, refs: f.refs },
      );
    }
    this.pending.length = 0;
  }

  /** A collector for a tentative parse: its findings are taken over with `adopt` only if the parse succeeds. */
  scratch(): Collector {
    return new Collector(this.path, this.policy, this.limits, this.budget);
  }

  /** Takes over the findings of a scratch collector. */
  adopt(other: Collector): void {
    other.finish();
    for (const f of other.findings) {
      const loc = f.location;
      const path = loc?.path === this.path ? '' : (loc?.path ?? '');
      const key = `${f.ruleId}|${path}|${loc?.member ?? ''}|${String(loc?.offset ?? '')}|${String(loc?.line ?? '')}:${String(loc?.column ?? '')}|${f.message}`;
      if (this.keys.has(key) || this.findings.length >= 500) continue;
      this.keys.add(key);
      this.findings.push(f);
    }
    if (other.inconclusive) this.inconclusive = true;
  }

  outOfTime(): boolean {
    return Date.now() > this.budget.deadline;
  }
}
