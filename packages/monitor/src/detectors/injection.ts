import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { scanInjection, type InjectionVerdict } from '../content/scan-injection.js';
import type { Severity } from '@atlasguard/core';
import { principalKey, type Detector, type DetectorContext } from './detector.js';

/**
 * Prompt injection (AML.T0051 .000 direct in user input, .001 indirect in tool / retrieved content),
 * jailbreak (AML.T0054) and system-prompt extraction attempts (AML.T0056): normalisation against obfuscation
 * (AML.T0068), multilingual phrase families and MinHash similarity to known attack templates. Stateless per
 * event; marks the conversation suspicious for the agent-tool detector.
 */
export class InjectionDetector implements Detector {
  readonly id = 'injection';
  readonly description =
    'prompt injection, jailbreak and system-prompt extraction in inputs and tool content';
  readonly techniques = [
    'AML.T0051',
    'AML.T0051.000',
    'AML.T0051.001',
    'AML.T0054',
    'AML.T0056',
    'AML.T0068',
  ];
  readonly requires = [] as const;
  readonly requiresAny = ['content.input', 'content.tool'] as const;

  constructor(private readonly config: MonitorConfig) {}

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    if (e.inputText !== undefined) this.check(e, ctx, e.inputText, 'input');
    if (e.toolText !== undefined) this.check(e, ctx, e.toolText, 'tool');
  }

  private check(e: InferenceEvent, ctx: DetectorContext, text: string, surface: 'input' | 'tool'): void {
    const v = scanInjection(text, this.config.content.maxScanChars, this.config.content.similarity);
    const s = v.scores;
    const found: { rule: string; techniques: string[]; severity: Severity; what: string }[] = [];
    const obfuscated = v.hits.some((h) => h.view !== 'base');
    const extra = obfuscated ? ['AML.T0068'] : [];
    if (
      (s.override ?? 0) >= 1 ||
      (s['role-tags'] ?? 0) >= 1 ||
      (s['exfil-markup'] ?? 0) >= 1 ||
      (s['tool-coercion'] ?? 0) >= 1 ||
      v.knownTechnique === 'AML.T0051.000'
    ) {
      found.push(
        surface === 'tool'
          ? {
              rule: 'AG-MON-INDIRECT-INJECTION',
              techniques: ['AML.T0051.001', ...extra],
              severity: 'high',
              what: 'indirect prompt injection in tool or retrieved content',
            }
          : {
              rule: 'AG-MON-PROMPT-INJECTION',
              techniques: ['AML.T0051.000', ...extra],
              severity: 'medium',
              what: 'prompt injection attempt',
            },
      );
    }
    if ((s.jailbreak ?? 0) >= 1 || v.knownTechnique === 'AML.T0054') {
      found.push({
        rule: 'AG-MON-JAILBREAK',
        techniques: ['AML.T0054', ...extra],
        severity: 'medium',
        what: 'jailbreak attempt',
      });
    }
    if ((s['system-prompt'] ?? 0) >= 1 || v.knownTechnique === 'AML.T0056') {
      found.push({
        rule: 'AG-MON-SYSTEM-PROMPT-EXTRACTION',
        techniques: ['AML.T0056', ...extra],
        severity: 'medium',
        what: 'system-prompt extraction attempt',
      });
    }
    if (found.length === 0) return;
    const conv = e.record['gen_ai.conversation.id'];
    ctx.signals.markSuspicious(principalKey(e), e.time, found[0]?.rule ?? 'injection');
    if (conv !== undefined)
      ctx.signals.markSuspicious(`${e.tenant}\u0000conv\u0000${conv}`, e.time, found[0]?.rule ?? 'injection');
    for (const f of found) {
      ctx.emit({
        ruleId: f.rule,
        severity: f.severity,
        principal: e.principal,
        tenant: e.tenant,
        techniques: f.techniques,
        message: `${f.what} in ${surface === 'tool' ? 'tool/retrieved content' : 'user input'}${obfuscated ? ' (obfuscated)' : ''}`,
        evidence: evidenceOf(e, v),
        windowStart: e.time,
        windowEnd: e.time,
      });
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

function evidenceOf(
  e: InferenceEvent,
  v: InjectionVerdict,
): { lines: number[]; statistic: Record<string, number | string>; matches: unknown[] } {
  return {
    lines: [e.line],
    statistic: {
      similarity: Number(v.similarity.toFixed(3)),
      families: v.hits.length,
      obfuscation: v.obfuscation.join(','),
    },
    matches: v.hits.slice(0, 5).map((h) => ({ family: h.family, view: h.view, excerpt: h.excerpt })),
  };
}
