import type { Severity } from '@atlasguard/core';
import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { fnv1a } from '../content/simhash.js';
import { mask, scanLeakage } from '../content/scan-leakage.js';
import type { Detector, DetectorContext } from './detector.js';

const SEVERITY: Readonly<Record<string, Severity>> = {
  'card-number': 'high',
  iban: 'high',
  secret: 'high',
  'private-key': 'critical',
  ssn: 'high',
  emails: 'medium',
};

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Data leakage in outputs (AML.T0057): card numbers (Luhn + issuer ranges, suppressed by id/timestamp
 * context), IBANs (mod-97 + country length), provider key formats (placeholders and low-entropy strings
 * excluded), private keys, SSNs with context, bulk e-mail lists; configured canary strings; and the logged
 * system prompt repeated in an output (AML.T0056).
 */
export class LeakageDetector implements Detector {
  readonly id = 'leakage';
  readonly description = 'PII, secrets, canaries and system-prompt text in model outputs';
  readonly techniques = ['AML.T0057', 'AML.T0056'];
  readonly requires = ['content.output'] as const;
  private readonly canaries: string[];

  constructor(private readonly config: MonitorConfig) {
    this.canaries = config.leakage.canaries.map((c) => c.toLowerCase());
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const out = e.outputText;
    if (out === undefined || out.length === 0) return;
    const base = { principal: e.principal, tenant: e.tenant, windowStart: e.time, windowEnd: e.time };
    const hits = scanLeakage(out, this.config.leakage.minEmails);
    const kinds = new Map<string, typeof hits>();
    for (const h of hits) kinds.set(h.kind, [...(kinds.get(h.kind) ?? []), h]);
    for (const [kind, list] of kinds) {
      ctx.emit({
        ...base,
        ruleId: `AG-MON-LEAK-${kind.toUpperCase()}`,
        severity: SEVERITY[kind] ?? 'medium',
        techniques: ['AML.T0057'],
        message: `model output discloses ${list.length} ${kind.replace('-', ' ')}${list.length > 1 ? ' values' : ''} (${[...new Set(list.map((h) => h.detail))].join(', ')})`,
        evidence: {
          lines: [e.line],
          statistic: { count: list.length },
          values: list.slice(0, 5).map((h) => h.masked),
        },
      });
    }
    if (this.canaries.length > 0) {
      const lower = out.toLowerCase();
      const found = this.canaries.filter((c) => lower.includes(c));
      if (found.length > 0) {
        ctx.emit({
          ...base,
          ruleId: 'AG-MON-CANARY',
          severity: 'critical',
          techniques: ['AML.T0057', 'AML.T0056'],
          message: `model output contains ${found.length} registered canary string${found.length > 1 ? 's' : ''}`,
          evidence: {
            lines: [e.line],
            statistic: { canaries: found.length },
            values: found.slice(0, 5).map(mask),
          },
        });
      }
    }
    const system = e.systemText;
    const n = this.config.leakage.systemPromptWords;
    if (system !== undefined) {
      const sys = words(system);
      if (sys.length >= n) {
        const grams = new Set<number>();
        for (let i = 0; i + n <= sys.length && grams.size < 20_000; i++)
          grams.add(fnv1a(sys.slice(i, i + n).join(' ')));
        const ow = words(out);
        let overlap = 0;
        for (let i = 0; i + n <= ow.length; i++)
          if (grams.has(fnv1a(ow.slice(i, i + n).join(' ')))) overlap++;
        if (overlap > 0) {
          ctx.emit({
            ...base,
            ruleId: 'AG-MON-SYSTEM-PROMPT-LEAK',
            severity: 'high',
            techniques: ['AML.T0056'],
            message: `model output repeats the system prompt verbatim (${overlap + n - 1}+ consecutive words)`,
            evidence: { lines: [e.line], statistic: { overlappingNgrams: overlap, ngram: n } },
          });
        }
      }
    }
  }

  tracked(): number {
    return 0;
  }
  stateBytes(): number {
    return 0;
  }
  snapshot(): unknown {
    return null;
  }
  restore(): void {
    /* stateless */
  }
}
