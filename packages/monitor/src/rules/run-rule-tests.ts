import { defaultConfig } from '../config.js';
import { Monitor } from '../engine.js';
import type { CompiledRule } from './compile.js';
import { RulesDetector } from './rules-detector.js';
import type { TestCase } from './rule-schema.js';

export interface RuleTestResult {
  rule: string;
  source: string;
  kind: 'positive' | 'negative';
  index: number;
  passed: boolean;
  alerts: number;
}

const START = Date.UTC(2026, 0, 1);

function expand(tc: TestCase): Record<string, unknown>[] {
  if ('events' in tc && Array.isArray(tc.events)) return tc.events as Record<string, unknown>[];
  if ('repeat' in tc && typeof tc.repeat === 'number' && 'event' in tc)
    return Array.from({ length: tc.repeat }, () => tc.event as Record<string, unknown>);
  return [tc];
}

/** Runs every rule's embedded test events: positives must alert, negatives must not. */
export function runRuleTests(rules: readonly CompiledRule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    for (const kind of ['positive', 'negative'] as const) {
      rule.doc.tests[kind].forEach((tc, index) => {
        const config = defaultConfig();
        const monitor = new Monitor(config, [new RulesDetector([rule], 1000)]);
        let alerts = 0;
        expand(tc).forEach((ev, i) => {
          const event = {
            timestamp: new Date(START + i * 1000).toISOString(),
            'user.id': 'rule-test',
            ...ev,
          };
          alerts += monitor.processLine(JSON.stringify(event), i + 1).length;
        });
        const malformed = monitor.counters.malformed > 0;
        results.push({
          rule: rule.id,
          source: rule.source,
          kind,
          index,
          alerts,
          passed: !malformed && (kind === 'positive' ? alerts > 0 : alerts === 0),
        });
      });
    }
  }
  return results;
}
