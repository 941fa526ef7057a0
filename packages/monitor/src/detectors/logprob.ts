import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { WindowShape, type BucketWindow } from '../state/window.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

interface LogprobState {
  w: BucketWindow;
  lines: number[];
  maxBias: number;
  maxTop: number;
}

/**
 * Logit-bias / logprob extraction of LLMs (Carlini et al. 2024; Finlayson et al. 2024): many requests that
 * ask for one or two tokens with large logit-bias maps or the maximum of top logprobs. Classifiers that bias
 * a handful of label tokens, and apps reading a few logprobs of normal-length answers, stay below the shape.
 */
export class LogprobDetector extends KeyedDetector<LogprobState> {
  readonly id = 'logprob';
  readonly description = 'logit-bias and top-logprob extraction request patterns';
  readonly techniques = ['AML.T0024.002', 'AML.T0040'];
  readonly requires = ['gen_ai.request.max_tokens'] as const;
  readonly requiresAny = ['atlasguard.request.top_logprobs', 'atlasguard.request.logit_bias_count'] as const;
  private readonly shape: WindowShape;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
    this.shape = new WindowShape(config.logprob.windowSeconds, 10, 1);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.logprob;
    const max = e.record['gen_ai.request.max_tokens'] ?? Infinity;
    const bias = e.record['atlasguard.request.logit_bias_count'] ?? 0;
    const top = e.record['atlasguard.request.top_logprobs'] ?? 0;
    if (max > cfg.maxTokens || (bias < cfg.minLogitBias && top < cfg.minTopLogprobs)) return;
    // get-then-set (as getOrCreate does): no closure allocated per event
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = { w: this.shape.create(e.time), lines: [], maxBias: 0, maxTop: 0 };
      this.state.set(key, s);
    }
    const b = this.shape.advance(s.w, e.time);
    this.shape.add(s.w, b, 0, 1);
    s.maxBias = Math.max(s.maxBias, bias);
    s.maxTop = Math.max(s.maxTop, top);
    s.lines = pushLine(s.lines, e.line);
    const count = this.shape.sum(s.w, 0);
    if (count >= cfg.minRequests) {
      ctx.emit({
        ruleId: 'AG-MON-LOGIT-EXTRACTION',
        severity: 'high',
        principal: e.principal,
        tenant: e.tenant,
        techniques: ['AML.T0024.002', 'AML.T0040'],
        message: `${count} requests for ≤${cfg.maxTokens} tokens with logit-bias maps up to ${s.maxBias} entries / top_logprobs up to ${s.maxTop} in ${cfg.windowSeconds}s`,
        evidence: {
          lines: [...s.lines],
          statistic: { probeRequests: count, maxLogitBias: s.maxBias, maxTopLogprobs: s.maxTop },
        },
        windowStart: this.shape.start(s.w),
        windowEnd: e.time,
      });
    }
  }
}
