import {
  canonicalRecordSchema,
  type CanonicalRecord,
  type EventRecord,
  type InferenceEvent,
  type Message,
} from './event.js';
import { fastCanonical } from './fast-canonical.js';
import { parseTimestamp } from './timestamp.js';

/**
 * The one mapping layer from what deployments actually log to the canonical record (docs/monitor.md,
 * "What to log"). Accepted shapes, in order:
 *  1. flat DESIGN.md records (OpenTelemetry GenAI names, dotted keys);
 *  2. the same names nested as objects (`{"gen_ai": {"usage": {...}}}`);
 *  3. OpenTelemetry log records: `attributes` (a map, or the OTLP/JSON `[{key, value: {stringValue}}]` list),
 *     `resource.attributes`, `timeUnixNano` / `observedTimeUnixNano`;
 *  4. deprecated GenAI names and OpenInference names, through ALIASES below.
 * A canonical name always wins over an alias for the same field.
 */
export const ALIASES: Readonly<Record<string, keyof CanonicalRecord | 'input.text' | 'output.text'>> = {
  // deprecated OpenTelemetry names
  'gen_ai.usage.prompt_tokens': 'gen_ai.usage.input_tokens',
  'gen_ai.usage.completion_tokens': 'gen_ai.usage.output_tokens',
  'gen_ai.prompt': 'gen_ai.input.messages',
  'gen_ai.completion': 'gen_ai.output.messages',
  'enduser.id': 'user.id',
  'net.sock.peer.addr': 'client.address',
  'net.peer.name': 'server.address',
  timeUnixNano: 'time_unix_nano',
  observedTimeUnixNano: 'time_unix_nano',
  '@timestamp': 'timestamp',
  // OpenInference (Arize) names
  'llm.model_name': 'gen_ai.request.model',
  'llm.token_count.prompt': 'gen_ai.usage.input_tokens',
  'llm.token_count.completion': 'gen_ai.usage.output_tokens',
  'llm.input_messages': 'gen_ai.input.messages',
  'llm.output_messages': 'gen_ai.output.messages',
  'input.value': 'input.text',
  'output.value': 'output.text',
  'session.id': 'gen_ai.conversation.id',
  'tool.name': 'gen_ai.tool.name',
  'tool.parameters': 'gen_ai.tool.call.arguments',
};

/** Keys whose values are structured and must not be flattened. */
const STRUCTURED = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.prompt',
  'gen_ai.completion',
  'llm.input_messages',
  'llm.output_messages',
  'llm.invocation_parameters',
  'tool.parameters',
  'gen_ai.tool.call.arguments',
  'gen_ai.system_instructions',
  'gen_ai.response.finish_reasons',
  'atlasguard.input.features',
  'atlasguard.output.scores',
  'attributes',
  'resource',
]);

const NUMERIC = new Set<string>([
  'gen_ai.request.max_tokens',
  'gen_ai.request.temperature',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.client.operation.duration',
  'atlasguard.request.top_logprobs',
  'atlasguard.request.logit_bias_count',
]);

const OPENINFERENCE_KIND: Readonly<Record<string, string>> = {
  LLM: 'chat',
  TOOL: 'execute_tool',
  EMBEDDING: 'embeddings',
  RETRIEVER: 'retrieval',
  AGENT: 'invoke_agent',
};

const MAX_DEPTH = 8;
const MAX_KEYS = 2_000;
const MAX_TEXT = 64 * 1024;
const MAX_EMBEDDED_JSON = 1024 * 1024;

export class MappingError extends Error {}

type Flat = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OTLP/JSON AnyValue → plain JS value. */
function otlpValue(value: unknown, depth: number): unknown {
  if (!isPlainObject(value) || depth > MAX_DEPTH) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return value.intValue;
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) {
    const values = isPlainObject(value.arrayValue) ? value.arrayValue.values : undefined;
    return Array.isArray(values) ? values.map((v) => otlpValue(v, depth + 1)) : [];
  }
  if ('kvlistValue' in value) {
    const values = isPlainObject(value.kvlistValue) ? value.kvlistValue.values : undefined;
    return Array.isArray(values) ? otlpList(values, depth + 1) : {};
  }
  return value;
}

function otlpList(list: readonly unknown[], depth: number): Flat {
  const out: Flat = {};
  for (const item of list) {
    if (isPlainObject(item) && typeof item.key === 'string') out[item.key] = otlpValue(item.value, depth);
  }
  return out;
}

function attributeMap(value: unknown): Flat {
  if (Array.isArray(value)) return otlpList(value, 0);
  if (isPlainObject(value)) return value;
  return {};
}

function flattenInto(
  out: Flat,
  value: Record<string, unknown>,
  prefix: string,
  depth: number,
  budget: { n: number },
): void {
  for (const [key, child] of Object.entries(value)) {
    if (++budget.n > MAX_KEYS) throw new MappingError(`more than ${MAX_KEYS} keys`);
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(child) && !STRUCTURED.has(full) && depth < MAX_DEPTH) {
      flattenInto(out, child, full, depth + 1, budget);
    } else if (!(full in out)) {
      out[full] = child;
    }
  }
}

/** Merges an OTel log record's attribute maps with its top-level fields, then flattens dotted keys. */
function flatten(raw: Record<string, unknown>): Flat {
  // fast path: an already flat DESIGN.md record is used as it is
  if (!('attributes' in raw) && !('resource' in raw)) {
    let flat = true;
    let n = 0;
    for (const key in raw) {
      if (++n > MAX_KEYS) throw new MappingError(`more than ${String(MAX_KEYS)} keys`);
      if (isPlainObject(raw[key]) && !STRUCTURED.has(key)) {
        flat = false;
        break;
      }
    }
    if (flat) return raw;
  }
  const out: Flat = {};
  const budget = { n: 0 };
  const top: Record<string, unknown> = { ...raw };
  const attrs = 'attributes' in raw ? attributeMap(raw.attributes) : undefined;
  const resourceAttrs = isPlainObject(raw.resource) ? attributeMap(raw.resource.attributes) : undefined;
  delete top.attributes;
  delete top.resource;
  if (attrs) flattenInto(out, attrs, '', 0, budget);
  flattenInto(out, top, '', 0, budget);
  if (resourceAttrs) flattenInto(out, resourceAttrs, '', 0, budget);
  return out;
}

function parseEmbeddedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!(trimmed.startsWith('[') || trimmed.startsWith('{')) || value.length > MAX_EMBEDDED_JSON) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Messages in any accepted shape → `[{ role, parts: [{ type: 'text', content }] }]`. */
function toMessages(value: unknown, defaultRole: string): unknown {
  const parsed = parseEmbeddedJson(value);
  if (typeof parsed === 'string') return [{ role: defaultRole, parts: [{ type: 'text', content: parsed }] }];
  if (!Array.isArray(parsed)) return parsed;
  return parsed.map((m: unknown) => {
    if (!isPlainObject(m)) return m;
    // OpenInference nests `{ message: { role, content } }`.
    const msg = isPlainObject(m.message) ? m.message : m;
    if (Array.isArray(msg.parts)) return msg;
    const role = typeof msg.role === 'string' ? msg.role : defaultRole;
    const content = msg.content;
    if (typeof content === 'string') return { role, parts: [{ type: 'text', content }] };
    if (Array.isArray(content)) {
      return {
        role,
        parts: content.map((c: unknown) =>
          isPlainObject(c) && typeof c.text === 'string' ? { type: 'text', content: c.text } : c,
        ),
      };
    }
    return { role, parts: [] };
  });
}

const INDEXED: Readonly<Record<string, RegExp>> = {
  'llm.input_messages': /^llm\.input_messages\.(\d{1,4})\.message\.(role|content)$/,
  'llm.output_messages': /^llm\.output_messages\.(\d{1,4})\.message\.(role|content)$/,
};
const ALIAS_ENTRIES = Object.entries(ALIASES);

/** OpenInference flattened lists: `llm.input_messages.0.message.role` = "user". */
function collectIndexedMessages(
  flat: Flat,
  prefix: 'llm.input_messages' | 'llm.output_messages',
): unknown[] | undefined {
  const byIndex = new Map<number, { role?: string; content?: string }>();
  const re = INDEXED[prefix];
  if (!re) return undefined;
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(prefix)) continue;
    const m = re.exec(key);
    if (!m || typeof value !== 'string') continue;
    const index = Number(m[1]);
    const entry = byIndex.get(index) ?? {};
    if (m[2] === 'role') entry.role = value;
    else entry.content = value;
    byIndex.set(index, entry);
  }
  if (byIndex.size === 0) return undefined;
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => ({ role: e.role ?? 'user', parts: [{ type: 'text', content: e.content ?? '' }] }));
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim())) return Number(value);
  return value;
}

function applyInvocationParameters(flat: Flat, out: Flat): void {
  const params = parseEmbeddedJson(flat['llm.invocation_parameters']);
  if (!isPlainObject(params)) return;
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && out[key] === undefined) out[key] = toNumber(value);
  };
  set('gen_ai.request.max_tokens', params.max_tokens ?? params.max_completion_tokens);
  set('gen_ai.request.temperature', params.temperature);
  set('atlasguard.request.top_logprobs', params.top_logprobs);
  if (isPlainObject(params.logit_bias))
    set('atlasguard.request.logit_bias_count', Object.keys(params.logit_bias).length);
}

const CANONICAL_KEYS = new Set(Object.keys(canonicalRecordSchema.shape));
const ALIAS_KEYS: ReadonlySet<string> = new Set(Object.keys(ALIASES));

export interface CanonicalResult {
  record: CanonicalRecord;
  inputText?: string;
  outputText?: string;
}

/**
 * Raw parsed JSON → canonical record (validated). Throws MappingError with a short reason when the value
 * cannot be an inference event (not an object, wrong field types). Common shapes take the hand-checked fast
 * path (fast-canonical.ts); everything else, and every rejection, goes through `toCanonicalGeneral`.
 */
export function toCanonical(raw: unknown): CanonicalResult {
  if (isPlainObject(raw)) {
    const record = fastCanonical(raw, ALIAS_KEYS);
    if (record !== undefined) return { record };
  }
  return toCanonicalGeneral(raw);
}

/** The general mapping: every accepted shape, validated with zod (the authority for error messages). */
export function toCanonicalGeneral(raw: unknown): CanonicalResult {
  if (!isPlainObject(raw)) throw new MappingError('not a JSON object');
  const flat = flatten(raw);
  const out: Flat = {};
  for (const key of CANONICAL_KEYS) if (flat[key] !== undefined) out[key] = flat[key];
  let inputText: string | undefined;
  let outputText: string | undefined;
  let openInference = false;
  for (const [alias, target] of ALIAS_ENTRIES) {
    const value = flat[alias];
    if (value === undefined) continue;
    openInference ||= alias.startsWith('llm.');
    if (target === 'input.text') {
      if (typeof value === 'string') inputText = value;
    } else if (target === 'output.text') {
      if (typeof value === 'string') outputText = value;
    } else if (out[target] === undefined) {
      out[target] = value;
    }
  }
  if (
    openInference ||
    'openinference.span.kind' in flat ||
    'llm.input_messages.0.message.role' in flat ||
    'llm.input_messages.0.message.content' in flat
  ) {
    out['gen_ai.input.messages'] ??= collectIndexedMessages(flat, 'llm.input_messages');
    out['gen_ai.output.messages'] ??= collectIndexedMessages(flat, 'llm.output_messages');
  }
  const kind = flat['openinference.span.kind'];
  if (typeof kind === 'string' && out['gen_ai.operation.name'] === undefined) {
    out['gen_ai.operation.name'] = OPENINFERENCE_KIND[kind.toUpperCase()];
  }
  applyInvocationParameters(flat, out);
  for (const key of NUMERIC) if (out[key] !== undefined) out[key] = toNumber(out[key]);
  const fr = out['gen_ai.response.finish_reasons'];
  if (typeof fr === 'string') out['gen_ai.response.finish_reasons'] = [fr];
  if (out['gen_ai.input.messages'] !== undefined)
    out['gen_ai.input.messages'] = toMessages(out['gen_ai.input.messages'], 'user');
  if (out['gen_ai.output.messages'] !== undefined) {
    out['gen_ai.output.messages'] = toMessages(out['gen_ai.output.messages'], 'assistant');
  }
  for (const key of ['gen_ai.tool.call.arguments', 'gen_ai.system_instructions']) {
    const v = out[key];
    if (v !== undefined && typeof v !== 'string') out[key] = JSON.stringify(v).slice(0, MAX_EMBEDDED_JSON);
  }
  const label = out['atlasguard.output.label'];
  if (typeof label === 'boolean') out['atlasguard.output.label'] = String(label);
  const defined = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  const parsed = canonicalRecordSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') : '';
    throw new MappingError(`field ${where === '' ? '?' : where}: ${issue?.message ?? 'invalid'}`);
  }
  const result: CanonicalResult = { record: parsed.data };
  if (inputText !== undefined) result.inputText = inputText;
  if (outputText !== undefined) result.outputText = outputText;
  return result;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function partText(part: Record<string, unknown>): string | undefined {
  if (typeof part.content === 'string') return part.content;
  if (typeof part.response === 'string') return part.response;
  if (part.content !== undefined && part.content !== null && typeof part.content === 'object') {
    return JSON.stringify(part.content).slice(0, MAX_TEXT);
  }
  return undefined;
}

function splitMessages(messages: readonly Message[] | undefined): {
  user?: string;
  tool?: string;
  system?: string;
  all?: string;
} {
  if (!messages) return {};
  const buckets: Record<'user' | 'tool' | 'system' | 'all', string[]> = {
    user: [],
    tool: [],
    system: [],
    all: [],
  };
  for (const m of messages) {
    const role = (m.role ?? 'user').toLowerCase();
    for (const p of m.parts ?? []) {
      const text = partText(p);
      if (text === undefined) continue;
      const isToolPart = p.type === 'tool_call_response';
      buckets.all.push(text);
      if (role === 'system' || role === 'developer') buckets.system.push(text);
      else if (role === 'tool' || isToolPart) buckets.tool.push(text);
      else if (role === 'user') buckets.user.push(text);
    }
  }
  const join = (xs: string[]): string | undefined => (xs.length === 0 ? undefined : clip(xs.join('\n')));
  const result: { user?: string; tool?: string; system?: string; all?: string } = {};
  const user = join(buckets.user);
  const tool = join(buckets.tool);
  const system = join(buckets.system);
  const all = join(buckets.all);
  if (user !== undefined) result.user = user;
  if (tool !== undefined) result.tool = tool;
  if (system !== undefined) result.system = system;
  if (all !== undefined) result.all = all;
  return result;
}

/** Event time in ms from `timestamp`, else `time_unix_nano`; undefined when neither is valid. */
export function eventTime(record: EventRecord): number | undefined {
  if (record.timestamp !== undefined) {
    const t = parseTimestamp(record.timestamp);
    if (Number.isFinite(t)) return t;
  }
  const nano = record.time_unix_nano;
  if (nano !== undefined) {
    const ms = typeof nano === 'number' ? nano / 1e6 : Number(BigInt(nano) / 1_000_000n);
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  return undefined;
}

/** Raw parsed JSON → InferenceEvent. Throws MappingError on anything that is not an event. */
export function toEvent(raw: unknown, line: number): InferenceEvent {
  const { record, inputText, outputText } = toCanonical(raw);
  const time = eventTime(record);
  if (time === undefined) throw new MappingError('no valid timestamp or time_unix_nano');
  const input = splitMessages(record['gen_ai.input.messages']);
  const output = splitMessages(record['gen_ai.output.messages']);
  const principal = record['user.id'] ?? record['client.address'] ?? 'anonymous';
  const tenant = record['atlasguard.tenant.id'] ?? 'default';
  const event: InferenceEvent = {
    time,
    line,
    principal,
    tenant,
    key: undefined,
    record,
  };
  const userText = input.user ?? inputText;
  if (userText !== undefined) event.inputText = clip(userText);
  if (input.tool !== undefined) event.toolText = input.tool;
  const system = record['gen_ai.system_instructions'] ?? input.system;
  if (system !== undefined) event.systemText = clip(system);
  const out = output.all ?? outputText;
  if (out !== undefined) event.outputText = clip(out);
  return event;
}
