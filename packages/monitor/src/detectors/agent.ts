import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { LruMap } from '../state/lru.js';
import { principalKey, type Detector, type DetectorContext } from './detector.js';

interface Destination {
  /** up to 3 distinct principals that called it */
  p: string[];
  n: number;
}

const EGRESS_TOOL =
  /(?:http|fetch|request|post|send|upload|email|mail|webhook|curl|browse|slack|post_message)/i;

function hostOf(value: string): string {
  const v = value.trim().toLowerCase();
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/.exec(v);
  return (m?.[1] ?? v.split(/[/:?#]/)[0] ?? v).slice(0, 253);
}

/**
 * Agent tool abuse (AML.T0053 AI Agent Tool Invocation; AML.T0086 Exfiltration via AI Agent Tool Invocation):
 * a tool call to a destination that is unusual for the tenant (called by fewer than three principals so far)
 * from a conversation or principal that recently sent input flagged as injection or jailbreak.
 */
export class AgentToolDetector implements Detector {
  readonly id = 'agent-tools';
  readonly description = 'tool calls to unusual destinations after suspicious inputs';
  readonly techniques = ['AML.T0053', 'AML.T0086'];
  readonly requires = ['gen_ai.tool.name'] as const;
  private readonly destinations: LruMap<string, Destination>;

  constructor(private readonly config: MonitorConfig) {
    this.destinations = new LruMap(config.agent.maxDestinations);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const tool = e.record['gen_ai.tool.name'] ?? '';
    const args = e.record['gen_ai.tool.call.arguments'] ?? '';
    let dest = e.record['server.address'];
    if (dest === undefined) {
      const url = /https?:\/\/[^\s"'<>]{1,300}/.exec(args);
      if (url) dest = url[0];
    }
    if (dest === undefined) return;
    const host = hostOf(dest);
    const key = `${e.tenant}\u0000${host}`;
    const d = this.destinations.getOrCreate(key, () => ({ p: [], n: 0 }));
    const unusual = d.p.filter((p) => p !== e.principal).length < 3;
    if (!d.p.includes(e.principal) && d.p.length < 3) d.p.push(e.principal);
    d.n++;
    if (!unusual) return;
    const conv = e.record['gen_ai.conversation.id'];
    const reason =
      (conv !== undefined
        ? ctx.signals.suspicion(`${e.tenant}\u0000conv\u0000${conv}`, e.time)
        : undefined) ?? ctx.signals.suspicion(principalKey(e), e.time);
    if (reason === undefined) return;
    const egress = EGRESS_TOOL.test(tool) || args.length >= 256;
    ctx.emit({
      ruleId: egress ? 'AG-MON-TOOL-EXFILTRATION' : 'AG-MON-TOOL-ABUSE',
      severity: egress ? 'high' : 'medium',
      principal: e.principal,
      tenant: e.tenant,
      techniques: egress ? ['AML.T0086', 'AML.T0053'] : ['AML.T0053'],
      message: `tool ${tool} called ${host} (unusual for tenant ${e.tenant}) after ${reason}`,
      evidence: {
        lines: [e.line],
        statistic: { destinationCallers: d.p.length, argumentBytes: args.length },
        destination: host,
        tool,
        after: reason,
      },
      windowStart: e.time,
      windowEnd: e.time,
    });
  }

  tracked(): number {
    return this.destinations.size;
  }
  stateBytes(): number {
    return this.destinations.size * 160;
  }
  snapshot(): unknown {
    return [...this.destinations.entries()];
  }
  restore(data: unknown): void {
    this.destinations.clear();
    if (!Array.isArray(data)) return;
    for (const entry of data) {
      if (Array.isArray(entry) && typeof entry[0] === 'string')
        this.destinations.set(entry[0], entry[1] as Destination);
    }
  }
}
