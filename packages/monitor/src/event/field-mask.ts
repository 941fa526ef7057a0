import {
  canonicalRecordSchema,
  hasField,
  type CanonicalRecord,
  type EventField,
  type InferenceEvent,
} from './event.js';

/**
 * The fields an event carries as one 32-bit mask (bit i: `hasField(event, MASK_FIELDS[i])`), so that the
 * engine decides which detectors see an event with two integer tests per detector instead of a keyed read
 * of the record per declared field. The canonical fields take the bits in the schema's order (the order
 * fast-event.ts indexes them in), the four content fields the bits after them.
 */
export const MASK_FIELDS: readonly EventField[] = [
  ...(Object.keys(canonicalRecordSchema.shape) as (keyof CanonicalRecord)[]),
  'content.input',
  'content.output',
  'content.tool',
  'content.system',
];
if (MASK_FIELDS.length > 32)
  throw new Error(`field-mask.ts: ${String(MASK_FIELDS.length)} fields do not fit 32 bits`);

const BIT = new Map<EventField, number>(MASK_FIELDS.map((f, i) => [f, 1 << i]));

/** The bits of some fields (0 for none). */
export function maskOf(fields: readonly EventField[]): number {
  let m = 0;
  for (const f of fields) m |= BIT.get(f) ?? 0;
  return m;
}

/** The mask of the fields an event carries: bit i set exactly when `hasField(event, MASK_FIELDS[i])`. */
export function fieldMask(event: InferenceEvent): number {
  let m = 0;
  for (let i = 0; i < MASK_FIELDS.length; i++) if (hasField(event, MASK_FIELDS[i] as EventField)) m |= 1 << i;
  return m;
}
