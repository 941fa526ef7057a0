import { canonicalRecordSchema, type CanonicalRecord } from './event.js';

/**
 * The fast path of the mapping layer for the common shapes: a flat DESIGN.md record, or an OpenTelemetry log
 * record whose `attributes` is a plain map of flat values — canonical names only, plus the timestamp aliases
 * and any unrelated keys. It checks every field by hand exactly as `canonicalRecordSchema` would and builds
 * the same output (same keys in the same order, arrays and message objects copied as zod copies them).
 *
 * It never decides a rejection: on anything it is not sure about (a wrong type, an alias it does not handle,
 * nesting, OpenInference names, a value zod would refuse) it returns undefined and the general mapping with
 * zod — the authority for error messages — runs instead. `fast-canonical.test.ts` fuzzes the two against
 * each other (accept/reject and output).
 */

type Check = (value: unknown) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** z.number(): finite numbers only. */
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const nonNeg: Check = (v) => isNum(v) && v >= 0;
const str =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length <= max;
const NANO_RE = /^\d{1,20}$/;

/** /^[0-9a-fA-F]{1,16}$/ without the regex engine (hot: most gateway events carry a fingerprint). */
function isSimhash(v: unknown): boolean {
  if (typeof v !== 'string' || v.length === 0 || v.length > 16) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const l = c | 0x20;
    if (!((c >= 48 && c <= 57) || (l >= 97 && l <= 102))) return false;
  }
  return true;
}

function numbers(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 4096) return false;
  for (let i = 0; i < v.length; i++) if (!isNum(v[i])) return false;
  return true;
}

function strings(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 64) return false;
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string' || s.length > 64) return false;
  }
  return true;
}

const str64 = str(64);

/** A message array the general path would pass through `toMessages` unchanged and zod would accept. */
function messages(v: unknown): boolean {
  if (!Array.isArray(v) || v.length > 1024) return false;
  for (let i = 0; i < v.length; i++) {
    const m: unknown = v[i];
    if (!isPlainObject(m) || isPlainObject(m.message) || Object.hasOwn(m, '__proto__')) return false;
    if (m.role !== undefined && !str64(m.role)) return false;
    const parts = m.parts;
    if (!Array.isArray(parts) || parts.length > 256) return false;
    for (let j = 0; j < parts.length; j++) {
      const p: unknown = parts[j];
      if (!isPlainObject(p) || Object.hasOwn(p, '__proto__')) return false;
      if (p.type !== undefined && !str64(p.type)) return false;
    }
  }
  return true;
}

/** zod's output for a loose object: declared keys in declared order, then the others in input order. */
function looseCopy(o: Record<string, unknown>, declared: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of declared) if (o[k] !== undefined) out[k] = o[k];
  for (const k in o) if (!declared.includes(k)) out[k] = o[k];
  return out;
}

const MESSAGE_KEYS = ['role', 'parts'] as const;
const PART_KEYS = ['type', 'content'] as const;

function copyMessages(v: readonly Record<string, unknown>[]): unknown[] {
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    const m = v[i] as Record<string, unknown>;
    const copy = looseCopy(m, MESSAGE_KEYS);
    copy.parts = (m.parts as Record<string, unknown>[]).map((p) => looseCopy(p, PART_KEYS));
    out[i] = copy;
  }
  return out;
}

/** One check per canonical field, mirroring `canonicalRecordSchema` in event.ts. */
export const FIELD_CHECKS: Readonly<Record<keyof CanonicalRecord, Check>> = {
  timestamp: str(64),
  time_unix_nano: (v) => (typeof v === 'string' ? NANO_RE.test(v) : nonNeg(v)),
  'user.id': str(512),
  'atlasguard.tenant.id': str(512),
  'client.address': str(256),
  'gen_ai.conversation.id': str(512),
  'gen_ai.operation.name': str(64),
  'gen_ai.request.model': str(256),
  'gen_ai.request.max_tokens': nonNeg,
  'gen_ai.request.temperature': isNum,
  'gen_ai.usage.input_tokens': nonNeg,
  'gen_ai.usage.output_tokens': nonNeg,
  'gen_ai.response.finish_reasons': strings,
  'error.type': str(256),
  'gen_ai.client.operation.duration': nonNeg,
  'gen_ai.input.messages': messages,
  'gen_ai.output.messages': messages,
  'gen_ai.system_instructions': str(1_000_000),
  'gen_ai.tool.name': str(256),
  'gen_ai.tool.call.arguments': str(1_000_000),
  'server.address': str(512),
  'atlasguard.request.top_logprobs': nonNeg,
  'atlasguard.request.logit_bias_count': nonNeg,
  'atlasguard.input.features': numbers,
  'atlasguard.output.label': (v) => (typeof v === 'string' ? v.length <= 256 : isNum(v)),
  'atlasguard.output.scores': numbers,
  'atlasguard.input.simhash': isSimhash,
  'atlasguard.guardrail.action': str(64),
};

/** Canonical names in the schema's order (zod builds its output in this order). */
const ORDER = Object.keys(canonicalRecordSchema.shape) as (keyof CanonicalRecord)[];
const INDEX = new Map<string, number>(ORDER.map((k, i) => [k, i]));
const CHECK_AT: readonly Check[] = ORDER.map((k) => FIELD_CHECKS[k]);
const I_TIME = ORDER.indexOf('time_unix_nano');
const I_TIMESTAMP = ORDER.indexOf('timestamp');
const I_INPUT = ORDER.indexOf('gen_ai.input.messages');
const I_OUTPUT = ORDER.indexOf('gen_ai.output.messages');
/** Values of the record being mapped, by field index (reused: the fast path is not re-entrant). */
const slots: unknown[] = new Array<unknown>(ORDER.length).fill(undefined);

/** Aliases the fast path resolves itself (target ← aliases, in the general path's precedence). */
const TIME_ALIASES = ['timeUnixNano', 'observedTimeUnixNano'] as const;
const TIMESTAMP_ALIAS = '@timestamp';

/**
 * Keys the general path reads besides canonical names: aliases, OpenInference names (`llm.*`, span kind,
 * invocation parameters), the OTel containers. Any of these (other than the time aliases) sends the record
 * to the general path.
 */
function isIgnorable(key: string, value: unknown, aliases: ReadonlySet<string>): boolean {
  if (aliases.has(key) || key === '__proto__' || key === 'attributes' || key === 'resource') return false;
  if (key.startsWith('llm.') || key === 'openinference.span.kind') return false;
  return !isPlainObject(value);
}

const MAX_KEYS = 2_000;

/**
 * Raw parsed JSON → canonical record, or undefined when the general path must decide. `aliases` is the
 * general path's alias table (its keys), passed in to keep one source of truth.
 */
export function fastCanonical(
  raw: Record<string, unknown>,
  aliases: ReadonlySet<string>,
): CanonicalRecord | undefined {
  let flat: Record<string, unknown> = raw;
  if ('attributes' in raw || 'resource' in raw) {
    // OpenTelemetry log record with a plain attribute map: attributes win over top-level fields.
    const attrs = raw.attributes;
    if ('resource' in raw || !isPlainObject(attrs)) return undefined;
    flat = Object.create(null) as Record<string, unknown>;
    let n = 0;
    for (const key in attrs) {
      if (++n > MAX_KEYS || key === 'attributes' || key === 'resource') return undefined;
      flat[key] = attrs[key];
    }
    for (const key in raw) {
      if (key === 'attributes') continue;
      if (++n > MAX_KEYS) return undefined;
      if (!(key in flat)) flat[key] = raw[key];
    }
  }
  let n = 0;
  let timeAlias: unknown;
  let timestampAlias: unknown;
  let ok = true;
  let sawAlias = false;
  for (const key in flat) {
    if (++n > MAX_KEYS) {
      ok = false;
      break;
    }
    const value = flat[key];
    const at = INDEX.get(key);
    if (at !== undefined) {
      if (!(CHECK_AT[at] as Check)(value)) {
        ok = false;
        break;
      }
      slots[at] = value;
      continue;
    }
    if (key === TIME_ALIASES[0] || key === TIME_ALIASES[1] || key === TIMESTAMP_ALIAS) {
      sawAlias = true;
      continue;
    }
    if (!isIgnorable(key, value, aliases)) {
      ok = false;
      break;
    }
  }
  if (ok && sawAlias && slots[I_TIME] === undefined) {
    // an alias that is present (even as null) wins over the next one, as in the general path
    const first = flat[TIME_ALIASES[0]];
    timeAlias = first !== undefined ? first : flat[TIME_ALIASES[1]];
    if (timeAlias !== undefined && !FIELD_CHECKS.time_unix_nano(timeAlias)) ok = false;
    else slots[I_TIME] = timeAlias;
  }
  if (ok && sawAlias && slots[I_TIMESTAMP] === undefined) {
    timestampAlias = flat[TIMESTAMP_ALIAS];
    if (timestampAlias !== undefined && !FIELD_CHECKS.timestamp(timestampAlias)) ok = false;
    else slots[I_TIMESTAMP] = timestampAlias;
  }
  const out: Record<string, unknown> | undefined = ok ? {} : undefined;
  for (let i = 0; i < slots.length; i++) {
    let value = slots[i];
    if (value === undefined) continue;
    slots[i] = undefined;
    if (out === undefined) continue;
    if (Array.isArray(value)) {
      value =
        i === I_INPUT || i === I_OUTPUT ? copyMessages(value as Record<string, unknown>[]) : value.slice();
    }
    out[ORDER[i] as string] = value;
  }
  return out;
}
