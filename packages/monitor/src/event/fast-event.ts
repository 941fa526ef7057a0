import {
  canonicalRecordSchema,
  type CanonicalRecord,
  type EventRecord,
  type InferenceEvent,
} from './event.js';
import { FIELD_CHECKS } from './fast-canonical.js';
import { ALIASES, eventTime } from './mapping.js';

/**
 * The event fast path: a parsed flat DESIGN.md record straight to an event, with no canonical copy and no
 * new objects — one reusable record of fixed shape (every canonical field present, `undefined` when absent,
 * so detectors' field reads stay monomorphic) and one reusable event.
 *
 * It accepts exactly the flat records the mapping layer's fast path (fast-canonical.ts) accepts without
 * aliases or content: every key a canonical metadata name whose value passes the same check as
 * `canonicalRecordSchema` (`FIELD_CHECKS`), or a key the mapping layer ignores. Anything else — aliases,
 * OpenTelemetry containers, OpenInference names, nesting, messages and system instructions (their texts are
 * extracted by the general path), an invalid value, a missing time — returns undefined and `toEvent`, the
 * authority, decides (and words every rejection). `fast-event.test.ts` checks the two against each other.
 *
 * The event and record it returns are reused by the next call: consumers must not keep them.
 */

const ORDER = Object.keys(canonicalRecordSchema.shape) as (keyof CanonicalRecord)[];
const N = ORDER.length;
const INDEX = new Map<string, number>(ORDER.map((k, i) => [k, i]));
/** Content fields: their texts are extracted by `toEvent`. */
const CONTENT = new Set<keyof CanonicalRecord>([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
]);
type Check = (value: unknown) => boolean;
const reject: Check = () => false;
/** The schema check per field index; content fields always send the record to the general path. */
const CHECK_AT: readonly Check[] = ORDER.map((k) => (CONTENT.has(k) ? reject : FIELD_CHECKS[k]));
const ALIAS_KEYS: ReadonlySet<string> = new Set(Object.keys(ALIASES));
const MAX_KEYS = 2_000;

/** Keys the mapping layer ignores (as fast-canonical.ts's `isIgnorable`): anything it would read is not. */
function ignorable(key: string, value: unknown): boolean {
  if (ALIAS_KEYS.has(key) || key === '__proto__' || key === 'attributes' || key === 'resource') return false;
  if (key.startsWith('llm.') || key === 'openinference.span.kind') return false;
  return typeof value !== 'object' || value === null || Array.isArray(value);
}

/** The record every fast-path event carries: one fixed shape, in the schema's order, reused. */
export class FixedRecord {
  timestamp: string | undefined = undefined;
  time_unix_nano: string | number | undefined = undefined;
  'user.id': string | undefined = undefined;
  'atlasguard.tenant.id': string | undefined = undefined;
  'client.address': string | undefined = undefined;
  'gen_ai.conversation.id': string | undefined = undefined;
  'gen_ai.operation.name': string | undefined = undefined;
  'gen_ai.request.model': string | undefined = undefined;
  'gen_ai.request.max_tokens': number | undefined = undefined;
  'gen_ai.request.temperature': number | undefined = undefined;
  'gen_ai.usage.input_tokens': number | undefined = undefined;
  'gen_ai.usage.output_tokens': number | undefined = undefined;
  'gen_ai.response.finish_reasons': string[] | undefined = undefined;
  'error.type': string | undefined = undefined;
  'gen_ai.client.operation.duration': number | undefined = undefined;
  'gen_ai.input.messages': undefined = undefined;
  'gen_ai.output.messages': undefined = undefined;
  'gen_ai.system_instructions': undefined = undefined;
  'gen_ai.tool.name': string | undefined = undefined;
  'gen_ai.tool.call.arguments': string | undefined = undefined;
  'server.address': string | undefined = undefined;
  'atlasguard.request.top_logprobs': number | undefined = undefined;
  'atlasguard.request.logit_bias_count': number | undefined = undefined;
  'atlasguard.input.features': number[] | undefined = undefined;
  'atlasguard.output.label': string | number | undefined = undefined;
  'atlasguard.output.scores': number[] | undefined = undefined;
  'atlasguard.input.simhash': string | undefined = undefined;
  'atlasguard.guardrail.action': string | undefined = undefined;
}

class ReusedEvent implements InferenceEvent {
  time = 0;
  line = 0;
  principal = '';
  tenant = '';
  key: string | undefined = undefined;
  inputText: string | undefined = undefined;
  toolText: string | undefined = undefined;
  systemText: string | undefined = undefined;
  outputText: string | undefined = undefined;
  constructor(readonly record: EventRecord) {}
}

/** One per monitor (not re-entrant: the event and record it returns are reused). */
export class FastEvents {
  private readonly values: unknown[] = new Array<unknown>(N).fill(undefined);
  private readonly record = new FixedRecord();
  private readonly event = new ReusedEvent(this.record);

  /** A value from `JSON.parse` as the reused event, or undefined when the general path must decide. */
  from(raw: unknown, line: number): InferenceEvent | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const o = raw as Record<string, unknown>;
    const values = this.values;
    let ok = true;
    let n = 0;
    for (const key in o) {
      const value = o[key];
      const at = INDEX.get(key);
      if (++n > MAX_KEYS) {
        ok = false;
        break;
      }
      if (at === undefined) {
        if (ignorable(key, value)) continue;
        ok = false;
        break;
      }
      if (!(CHECK_AT[at] as Check)(value)) {
        ok = false;
        break;
      }
      values[at] = value;
    }
    if (!ok) {
      for (let i = 0; i < N; i++) values[i] = undefined;
      return undefined;
    }
    const r = this.record;
    r.timestamp = values[0] as string | undefined;
    r.time_unix_nano = values[1] as string | number | undefined;
    r['user.id'] = values[2] as string | undefined;
    r['atlasguard.tenant.id'] = values[3] as string | undefined;
    r['client.address'] = values[4] as string | undefined;
    r['gen_ai.conversation.id'] = values[5] as string | undefined;
    r['gen_ai.operation.name'] = values[6] as string | undefined;
    r['gen_ai.request.model'] = values[7] as string | undefined;
    r['gen_ai.request.max_tokens'] = values[8] as number | undefined;
    r['gen_ai.request.temperature'] = values[9] as number | undefined;
    r['gen_ai.usage.input_tokens'] = values[10] as number | undefined;
    r['gen_ai.usage.output_tokens'] = values[11] as number | undefined;
    r['gen_ai.response.finish_reasons'] = values[12] as string[] | undefined;
    r['error.type'] = values[13] as string | undefined;
    r['gen_ai.client.operation.duration'] = values[14] as number | undefined;
    r['gen_ai.tool.name'] = values[18] as string | undefined;
    r['gen_ai.tool.call.arguments'] = values[19] as string | undefined;
    r['server.address'] = values[20] as string | undefined;
    r['atlasguard.request.top_logprobs'] = values[21] as number | undefined;
    r['atlasguard.request.logit_bias_count'] = values[22] as number | undefined;
    r['atlasguard.input.features'] = values[23] as number[] | undefined;
    r['atlasguard.output.label'] = values[24] as string | number | undefined;
    r['atlasguard.output.scores'] = values[25] as number[] | undefined;
    r['atlasguard.input.simhash'] = values[26] as string | undefined;
    r['atlasguard.guardrail.action'] = values[27] as string | undefined;
    for (let i = 0; i < N; i++) values[i] = undefined;
    const time = eventTime(r);
    if (time === undefined) return undefined;
    const e = this.event;
    e.time = time;
    e.line = line;
    e.principal = r['user.id'] ?? r['client.address'] ?? 'anonymous';
    e.tenant = r['atlasguard.tenant.id'] ?? 'default';
    e.key = undefined;
    return e;
  }
}
