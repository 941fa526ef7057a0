import { z } from 'zod';

/** Text of one message part; only `text` parts are scanned. */
const partSchema = z.object({ type: z.string().max(64).optional(), content: z.unknown().optional() }).loose();
const messageSchema = z
  .object({ role: z.string().max(64).optional(), parts: z.array(partSchema).max(256).optional() })
  .loose();
export const messagesSchema = z.array(messageSchema).max(1024);
export type Message = z.infer<typeof messageSchema>;

const num = z.number();
const nonNeg = num.nonnegative();

/**
 * The canonical flat record (DESIGN.md "Inference events") after the mapping layer, validated with zod.
 * Every field but the time is optional: deployments that log metadata only are first-class.
 */
export const canonicalRecordSchema = z.object({
  timestamp: z.string().max(64).optional(),
  time_unix_nano: z.union([z.string().regex(/^\d{1,20}$/), nonNeg]).optional(),
  'user.id': z.string().max(512).optional(),
  'atlasguard.tenant.id': z.string().max(512).optional(),
  'client.address': z.string().max(256).optional(),
  'gen_ai.conversation.id': z.string().max(512).optional(),
  'gen_ai.operation.name': z.string().max(64).optional(),
  'gen_ai.request.model': z.string().max(256).optional(),
  'gen_ai.request.max_tokens': nonNeg.optional(),
  'gen_ai.request.temperature': num.optional(),
  'gen_ai.usage.input_tokens': nonNeg.optional(),
  'gen_ai.usage.output_tokens': nonNeg.optional(),
  'gen_ai.response.finish_reasons': z.array(z.string().max(64)).max(64).optional(),
  'error.type': z.string().max(256).optional(),
  'gen_ai.client.operation.duration': nonNeg.optional(),
  'gen_ai.input.messages': messagesSchema.optional(),
  'gen_ai.output.messages': messagesSchema.optional(),
  'gen_ai.system_instructions': z.string().max(1_000_000).optional(),
  'gen_ai.tool.name': z.string().max(256).optional(),
  'gen_ai.tool.call.arguments': z.string().max(1_000_000).optional(),
  'server.address': z.string().max(512).optional(),
  'atlasguard.request.top_logprobs': nonNeg.optional(),
  'atlasguard.request.logit_bias_count': nonNeg.optional(),
  'atlasguard.input.features': z.array(num).max(4096).optional(),
  'atlasguard.output.label': z.union([z.string().max(256), num]).optional(),
  'atlasguard.output.scores': z.array(num).max(4096).optional(),
  'atlasguard.input.simhash': z
    .string()
    .regex(/^[0-9a-fA-F]{1,16}$/)
    .optional(),
  'atlasguard.guardrail.action': z.string().max(64).optional(),
});
export type CanonicalRecord = z.infer<typeof canonicalRecordSchema>;
/**
 * What detectors read: the canonical fields, each possibly present as `undefined` (the line fast path,
 * scan-line.ts, hands them one record of fixed shape with every field present).
 */
export type EventRecord = { readonly [K in keyof CanonicalRecord]?: CanonicalRecord[K] | undefined };

/**
 * The internal event every detector sees: typed, with texts already extracted from messages. Valid only during
 * the call that receives it: the fast path reuses one event object (detectors copy what they keep).
 */
export interface InferenceEvent {
  /** Event time, ms since the epoch. */
  time: number;
  /** 1-based line in the source (0 when not from a file). */
  line: number;
  principal: string;
  tenant: string;
  /** `tenant \0 principal`, built once per event and shared by every detector's state map. */
  key?: string | undefined;
  record: EventRecord;
  /** Concatenated text of user (and unlabelled) input parts; undefined when content was not logged. */
  inputText?: string | undefined;
  /** Text of tool / retrieved-document parts in the input (indirect injection surface). */
  toolText?: string | undefined;
  /** System instructions (from `gen_ai.system_instructions` or system-role messages). */
  systemText?: string | undefined;
  outputText?: string | undefined;
}

/** Field names detectors can declare as needs; `content.*` are derived from messages. */
export type EventField =
  keyof CanonicalRecord | 'content.input' | 'content.output' | 'content.tool' | 'content.system';

export function hasField(event: InferenceEvent, field: EventField): boolean {
  switch (field) {
    case 'content.input':
      return event.inputText !== undefined;
    case 'content.output':
      return event.outputText !== undefined;
    case 'content.tool':
      return event.toolText !== undefined;
    case 'content.system':
      return event.systemText !== undefined;
    default:
      return event.record[field] !== undefined;
  }
}
