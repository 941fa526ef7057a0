import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { WindowShape, type BucketWindow } from '../state/window.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

const F_COUNT = 0;
const F_SAT = 1;
const F_IN = 2;
const F_OUT = 3;

interface CostState {
  w: BucketWindow;
  lines: number[];
}

interface ConversationState {
  calls: number;
  lines: number[];
  start: number;
  last: number;
}

/** A response used (nearly) all the output tokens it was allowed. */
function saturated(e: InferenceEvent): boolean {
  const reasons = e.record['gen_ai.response.finish_reasons'];
  if (reasons?.some((r) => r === 'length' || r === 'max_tokens')) return true;
  const max = e.record['gen_ai.request.max_tokens'];
  const out = e.record['gen_ai.usage.output_tokens'];
  return max !== undefined && out !== undefined && max > 0 && out >= 0.95 * max;
}

/**
 * Cost harvesting (AML.T0034): token shape per principal over a sliding window — max-token saturation with
 * long outputs (.001 resource-intensive queries), output/input token ratio, a token budget, and tool calls
 * per conversation (.002 agentic resource consumption).
 */
export class CostDetector extends KeyedDetector<CostState> {
  readonly id = 'cost';
  readonly description = 'token shape, max-token saturation, output/input ratio and agent tool-call loops';
  readonly techniques = ['AML.T0034', 'AML.T0034.001', 'AML.T0034.002'];
  readonly requires = [] as const;
  readonly requiresAny = ['gen_ai.usage.output_tokens', 'gen_ai.conversation.id'] as const;
  private readonly shape: WindowShape;
  private readonly conversations: LruMap<string, ConversationState>;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
    this.shape = new WindowShape(config.cost.windowSeconds, 10, 4);
    this.conversations = new LruMap(config.maxPrincipals);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.cost;
    this.observeTools(e, ctx);
    const out = e.record['gen_ai.usage.output_tokens'];
    if (out === undefined) return;
    const input = e.record['gen_ai.usage.input_tokens'] ?? 0;
    // get-then-set: no closure allocated per event on the hot path
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = { w: this.shape.create(e.time), lines: [] };
      this.state.set(key, s);
    }
    const b = this.shape.advance(s.w, e.time);
    this.shape.add(s.w, b, F_COUNT, 1);
    if (saturated(e)) this.shape.add(s.w, b, F_SAT, 1);
    this.shape.add(s.w, b, F_IN, input);
    this.shape.add(s.w, b, F_OUT, out);
    s.lines = pushLine(s.lines, e.line);
    const count = this.shape.sum(s.w, F_COUNT);
    const sat = this.shape.sum(s.w, F_SAT);
    const sumIn = this.shape.sum(s.w, F_IN);
    const sumOut = this.shape.sum(s.w, F_OUT);
    const meanOut = sumOut / Math.max(count, 1);
    const saturating =
      count >= cfg.minRequests && sat / count >= cfg.saturatedShare && meanOut >= cfg.minMeanOutputTokens;
    const ratio =
      count >= cfg.minRequests &&
      meanOut >= cfg.minMeanOutputTokens &&
      sumOut / Math.max(sumIn, 1) >= cfg.outputInputRatio;
    const budget = sumIn + sumOut >= cfg.tokensPerWindow;
    if (!saturating && !ratio && !budget) return;
    const base = {
      principal: e.principal,
      tenant: e.tenant,
      windowStart: this.shape.start(s.w),
      windowEnd: e.time,
    };
    const statistic = {
      requests: count,
      saturatedShare: Number((sat / Math.max(count, 1)).toFixed(3)),
      meanOutputTokens: Math.round(meanOut),
      outputInputRatio: Number((sumOut / Math.max(sumIn, 1)).toFixed(2)),
      tokens: sumIn + sumOut,
    };
    if (saturating) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-COST-SATURATION',
        severity: 'medium',
        techniques: ['AML.T0034.001'],
        message: `${sat} of ${count} responses hit their max-token limit (mean ${Math.round(meanOut)} output tokens)`,
        evidence: { lines: [...s.lines], statistic },
      });
    } else if (ratio) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-COST-RATIO',
        severity: 'low',
        techniques: ['AML.T0034.001'],
        message: `output/input token ratio ${statistic.outputInputRatio} over ${count} requests`,
        evidence: { lines: [...s.lines], statistic },
      });
    }
    if (budget) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-COST-BUDGET',
        severity: 'medium',
        techniques: ['AML.T0034.001'],
        message: `${sumIn + sumOut} tokens in ${cfg.windowSeconds}s (budget ${cfg.tokensPerWindow})`,
        evidence: { lines: [...s.lines], statistic },
      });
    }
  }

  /** Tool calls since the conversation's last model turn (reset by any non-tool event or a long pause). */
  private observeTools(e: InferenceEvent, ctx: DetectorContext): void {
    const conv = e.record['gen_ai.conversation.id'];
    if (conv === undefined) return;
    const isTool =
      e.record['gen_ai.operation.name'] === 'execute_tool' || e.record['gen_ai.tool.name'] !== undefined;
    const key = `${e.tenant}\u0000${conv}`;
    if (!isTool) {
      const c = this.conversations.peek(key);
      if (c) {
        c.calls = 0;
        c.lines = [];
      }
      return;
    }
    const c = this.conversations.getOrCreate(key, () => ({
      calls: 0,
      lines: [],
      start: e.time,
      last: e.time,
    }));
    if (c.calls === 0 || e.time - c.last > this.config.cost.windowSeconds * 1000) {
      c.calls = 0;
      c.start = e.time;
    }
    c.calls++;
    c.last = e.time;
    c.lines = pushLine(c.lines, e.line);
    if (c.calls === this.config.cost.toolCallsPerConversation) {
      ctx.emit({
        ruleId: 'AG-MON-AGENT-LOOP',
        severity: 'medium',
        principal: e.principal,
        tenant: e.tenant,
        techniques: ['AML.T0034.002'],
        message: `${c.calls} tool calls in one turn of conversation ${conv}`,
        evidence: { lines: [...c.lines], statistic: { toolCallsInTurn: c.calls }, conversation: conv },
        windowStart: c.start,
        windowEnd: e.time,
      });
    }
  }

  override stateBytes(): number {
    return super.stateBytes() + this.conversations.size * 400;
  }

  override snapshot(): unknown {
    return { p: super.snapshot(), c: [...this.conversations.entries()] };
  }

  override restore(data: unknown): void {
    const d = data as { p?: unknown; c?: unknown } | null;
    super.restore(d?.p);
    this.conversations.clear();
    if (Array.isArray(d?.c)) {
      for (const entry of d.c as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string') {
          this.conversations.set(entry[0], entry[1] as ConversationState);
        }
      }
    }
  }
}
