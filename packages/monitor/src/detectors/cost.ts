import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { PackedRows, PackedWindow } from '../state/packed-rows.js';
import { principalKey, pushLine, type Detector, type DetectorContext } from './detector.js';

const F_COUNT = 0;
const F_SAT = 1;
const F_IN = 2;
const F_OUT = 3;
const SLOTS = 10;
const FIELDS = 4;

interface ConversationState {
  calls: number;
  lines: number[];
  start: number;
  last: number;
}

/** A response used (nearly) all the output tokens it was allowed. */
function saturated(e: InferenceEvent): boolean {
  const reasons = e.record['gen_ai.response.finish_reasons'];
  if (reasons !== undefined) {
    // a plain loop: no callback per event
    for (let i = 0; i < reasons.length; i++) {
      const r = reasons[i];
      if (r === 'length' || r === 'max_tokens') return true;
    }
  }
  const max = e.record['gen_ai.request.max_tokens'];
  const out = e.record['gen_ai.usage.output_tokens'];
  return max !== undefined && out !== undefined && max > 0 && out >= 0.95 * max;
}

/**
 * Cost harvesting (AML.T0034): token shape per principal over a sliding window — max-token saturation with
 * long outputs (.001 resource-intensive queries), output/input token ratio, a token budget, and tool calls
 * per conversation (.002 agentic resource consumption).
 */
export class CostDetector implements Detector {
  readonly id = 'cost';
  readonly description = 'token shape, max-token saturation, output/input ratio and agent tool-call loops';
  readonly techniques = ['AML.T0034', 'AML.T0034.001', 'AML.T0034.002'];
  readonly requires = [] as const;
  readonly requiresAny = ['gen_ai.usage.output_tokens', 'gen_ai.conversation.id'] as const;
  /** per principal: the token window (its row is the window alone) */
  private readonly shape: PackedWindow;
  private readonly rows: PackedRows;
  private readonly conversations: LruMap<string, ConversationState>;
  /**
   * Every conversation id with a state (and possibly some without): most model turns belong to conversations
   * that never called a tool, and this answers them without building and hashing the tenant-qualified key.
   */
  private readonly knownConversations = new Set<string>();

  constructor(private readonly config: MonitorConfig) {
    this.shape = new PackedWindow(config.cost.windowSeconds, SLOTS, FIELDS);
    this.rows = new PackedRows(config.maxPrincipals, this.shape.width);
    this.conversations = new LruMap(config.maxPrincipals);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.cost;
    this.observeTools(e, ctx);
    const out = e.record['gen_ai.usage.output_tokens'];
    if (out === undefined) return;
    const input = e.record['gen_ai.usage.input_tokens'] ?? 0;
    // get-then-set: no closure allocated per event on the hot path
    const rows = this.rows;
    const shape = this.shape;
    const key = principalKey(e);
    let id = rows.get(key);
    if (id === undefined) {
      id = rows.create(key);
      shape.init(rows.values, id * shape.width, e.time);
    }
    const v = rows.values;
    const at = id * shape.width;
    const b = shape.advance(v, at, e.time);
    shape.add(v, at, b, F_COUNT, 1);
    if (saturated(e)) shape.add(v, at, b, F_SAT, 1);
    shape.add(v, at, b, F_IN, input);
    shape.add(v, at, b, F_OUT, out);
    rows.pushLine(id, e.line);
    // the four window sums in one pass, each added slot by slot from 0 in the order `PackedWindow.sum` adds
    // them (so bit for bit the same), into locals: no boxed double comes back from a call per sum
    let count = 0;
    let sat = 0;
    let sumIn = 0;
    let sumOut = 0;
    for (let i = at + 1, end = at + shape.width; i < end; i += FIELDS) {
      count += v[i + F_COUNT] as number;
      sat += v[i + F_SAT] as number;
      sumIn += v[i + F_IN] as number;
      sumOut += v[i + F_OUT] as number;
    }
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
      windowStart: shape.start(v, at),
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
        evidence: { lines: rows.linesOf(id), statistic },
      });
    } else if (ratio) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-COST-RATIO',
        severity: 'low',
        techniques: ['AML.T0034.001'],
        message: `output/input token ratio ${statistic.outputInputRatio} over ${count} requests`,
        evidence: { lines: rows.linesOf(id), statistic },
      });
    }
    if (budget) {
      ctx.emit({
        ...base,
        ruleId: 'AG-MON-COST-BUDGET',
        severity: 'medium',
        techniques: ['AML.T0034.001'],
        message: `${sumIn + sumOut} tokens in ${cfg.windowSeconds}s (budget ${cfg.tokensPerWindow})`,
        evidence: { lines: rows.linesOf(id), statistic },
      });
    }
  }

  /** Tool calls since the conversation's last model turn (reset by any non-tool event or a long pause). */
  private observeTools(e: InferenceEvent, ctx: DetectorContext): void {
    const conv = e.record['gen_ai.conversation.id'];
    if (conv === undefined) return;
    const isTool =
      e.record['gen_ai.operation.name'] === 'execute_tool' || e.record['gen_ai.tool.name'] !== undefined;
    if (!isTool && !this.knownConversations.has(conv)) return;
    const key = `${e.tenant}\u0000${conv}`;
    if (!isTool) {
      const c = this.conversations.peek(key);
      if (c) {
        c.calls = 0;
        c.lines = [];
      }
      return;
    }
    let c = this.conversations.get(key);
    if (c === undefined) {
      c = { calls: 0, lines: [], start: e.time, last: e.time };
      this.conversations.set(key, c);
      this.knowConversation(conv);
    }
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

  /** Adds an id to `knownConversations`, rebuilding it from the live keys once it holds twice as many. */
  private knowConversation(conv: string): void {
    this.knownConversations.add(conv);
    if (this.knownConversations.size > 2 * Math.max(this.conversations.size, 1024))
      this.reindexConversations();
  }

  /**
   * `knownConversations` from the live keys (`tenant \0 conversation`). A tenant may itself contain NUL, so
   * every suffix after a NUL is added: a superset, never missing a live conversation.
   */
  private reindexConversations(): void {
    this.knownConversations.clear();
    for (const [key] of this.conversations.entries()) {
      for (let i = key.indexOf('\u0000'); i >= 0; i = key.indexOf('\u0000', i + 1))
        this.knownConversations.add(key.slice(i + 1));
    }
  }

  tracked(): number {
    return this.rows.size;
  }

  stateBytes(): number {
    return this.rows.stateBytes() + this.conversations.size * 400;
  }

  /** Checkpoints keep the layout of the object states: per principal `[key, { w: { h, v }, lines }]`. */
  snapshot(): unknown {
    const p: [string, unknown][] = [];
    const v = this.rows.values;
    for (const [k, id] of this.rows.entries())
      p.push([k, { w: this.shape.toJson(v, id * this.shape.width), lines: this.rows.linesOf(id) }]);
    return { p, c: [...this.conversations.entries()] };
  }

  restore(data: unknown): void {
    const d = data as { p?: unknown; c?: unknown } | null;
    this.rows.clear();
    this.rows.restoreEntries(d?.p, (id, st) => {
      this.shape.fromJson(this.rows.values, id * this.shape.width, st.w);
    });
    this.conversations.clear();
    if (Array.isArray(d?.c)) {
      for (const entry of d.c as unknown[]) {
        if (Array.isArray(entry) && typeof entry[0] === 'string') {
          this.conversations.set(entry[0], entry[1] as ConversationState);
        }
      }
    }
    this.reindexConversations();
  }
}
