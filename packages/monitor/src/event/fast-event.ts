import {
  canonicalRecordSchema,
  type CanonicalRecord,
  type EventRecord,
  type InferenceEvent,
} from './event.js';
import { FIELD_CHECKS } from './fast-canonical.js';
import { ALIASES, eventTime } from './mapping.js';
import { parseTimestampInto } from './timestamp.js';

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
/**
 * The plain checks of `FIELD_CHECKS` by field index, for `checkAt` to do inline: a string of at most `MAX_AT`
 * characters, a finite number (≥ 0 for `NONNEG`); every other field calls its check.
 */
const K_CALL = 0;
const K_STR = 1;
const K_NONNEG = 2;
const K_NUM = 3;
const PLAIN: Partial<Record<keyof CanonicalRecord, readonly [number, number]>> = {
  timestamp: [K_STR, 64],
  'user.id': [K_STR, 512],
  'atlasguard.tenant.id': [K_STR, 512],
  'client.address': [K_STR, 256],
  'gen_ai.conversation.id': [K_STR, 512],
  'gen_ai.operation.name': [K_STR, 64],
  'gen_ai.request.model': [K_STR, 256],
  'gen_ai.request.max_tokens': [K_NONNEG, 0],
  'gen_ai.request.temperature': [K_NUM, 0],
  'gen_ai.usage.input_tokens': [K_NONNEG, 0],
  'gen_ai.usage.output_tokens': [K_NONNEG, 0],
  'error.type': [K_STR, 256],
  'gen_ai.client.operation.duration': [K_NONNEG, 0],
  'gen_ai.tool.name': [K_STR, 256],
  'server.address': [K_STR, 512],
  'atlasguard.request.top_logprobs': [K_NONNEG, 0],
  'atlasguard.request.logit_bias_count': [K_NONNEG, 0],
  'atlasguard.guardrail.action': [K_STR, 64],
};
const KIND_AT = Int32Array.from(ORDER, (k) => (CONTENT.has(k) ? K_CALL : (PLAIN[k]?.[0] ?? K_CALL)));
const MAX_AT = Int32Array.from(ORDER, (k) => PLAIN[k]?.[1] ?? 0);

/**
 * `CHECK_AT[at](value)`, with the plain checks done inline (one call site per check instead of a call through
 * the table per key); `fast-event.test.ts` compares the two on every field.
 */
export function checkAt(at: number, value: unknown): boolean {
  switch (KIND_AT[at]) {
    case K_STR:
      return typeof value === 'string' && value.length <= (MAX_AT[at] as number);
    case K_NONNEG:
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case K_NUM:
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return (CHECK_AT[at] as Check)(value);
  }
}
const ALIAS_KEYS: ReadonlySet<string> = new Set(Object.keys(ALIASES));
/** Remembered key positions: parsed lines mostly repeat a few key orders (see `FastEvents.from`). */
const SEEN = 64;
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
  private readonly time = new Float64Array(1);
  /**
   * The key last seen at each position of a record and its field index (-1: not canonical): a key equal to
   * the remembered one (JSON.parse interns keys, so mostly one pointer comparison) skips the `INDEX` lookup
   */
  private readonly seenKey: (string | undefined)[] = new Array<string | undefined>(SEEN).fill(undefined);
  private readonly seenAt = new Int32Array(SEEN).fill(-1);
  /** the fields the last event returned carries, as `fieldMask` (field-mask.ts) computes them */
  mask = 0;

  /** A value from `JSON.parse` as the reused event, or undefined when the general path must decide. */
  from(raw: unknown, line: number): InferenceEvent | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const o = raw as Record<string, unknown>;
    const values = this.values;
    let ok = true;
    let n = 0;
    let mask = 0;
    const seenKey = this.seenKey;
    const seenAt = this.seenAt;
    for (const key in o) {
      const value = o[key];
      let at: number;
      if (n < SEEN && seenKey[n] === key) at = seenAt[n] as number;
      else {
        at = INDEX.get(key) ?? -1;
        if (n < SEEN) {
          seenKey[n] = key;
          seenAt[n] = at;
        }
      }
      if (++n > MAX_KEYS) {
        ok = false;
        break;
      }
      if (at < 0) {
        if (ignorable(key, value)) continue;
        ok = false;
        break;
      }
      if (!checkAt(at, value)) {
        ok = false;
        break;
      }
      values[at] = value;
      // JSON.parse never yields undefined: the field is present (its bit is its index in the schema's order)
      mask |= 1 << at;
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
    // `eventTime(r)`, with the usual case (a valid `timestamp`) read through `parseTimestampInto`: no heap
    // number per event for the returned time; anything else goes to `eventTime`, which decides as before
    const ts = r.timestamp;
    let time = NaN;
    if (ts !== undefined) {
      parseTimestampInto(ts, this.time);
      time = this.time[0] as number;
    }
    if (!Number.isFinite(time)) {
      const t = eventTime(r);
      if (t === undefined) return undefined;
      time = t;
    }
    const e = this.event;
    e.time = time;
    e.line = line;
    e.principal = r['user.id'] ?? r['client.address'] ?? 'anonymous';
    e.tenant = r['atlasguard.tenant.id'] ?? 'default';
    e.key = undefined;
    this.mask = mask;
    return e;
  }
}
