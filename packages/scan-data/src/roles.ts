import { z } from 'zod';

/** Which columns play which part; given by flags or a small JSON config (`--roles FILE`). */
export const fieldRolesSchema = z
  .object({
    text: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
    features: z.array(z.string().min(1)).max(1000).default([]),
    embedding: z.string().min(1).optional(),
    /** Where each row came from (feed, vendor, crawler): counts per source and new sources. */
    source: z.string().min(1).optional(),
  })
  .strict();
export type FieldRoles = z.infer<typeof fieldRolesSchema>;

/** A field by name; a dotted name reaches into nested JSON objects when no top-level key matches. */
export function fieldValue(values: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(values, name)) return values[name];
  if (!name.includes('.')) return undefined;
  let current: unknown = values;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Text of a field: strings as they are, numbers and booleans as written; anything else is absent. */
export function fieldText(
  values: Readonly<Record<string, unknown>>,
  name: string | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  const v = fieldValue(values, name);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Numeric value of a cell: numbers, and strings that are plain decimal numbers. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    // Number() accepts hex/binary/octal literals and whitespace; decimal notation only is a number here
    const n = Number(v);
    if (!Number.isFinite(n)) return undefined;
    const t = v.trim();
    if (t === '') return undefined;
    const c = t.charCodeAt(t.length > 1 && (t[0] === '-' || t[0] === '+') ? 1 : 0);
    if (c !== 0x2e && (c < 0x30 || c > 0x39)) return undefined;
    if (/[xXbBoO]/.test(t)) return undefined;
    return n;
  }
  return undefined;
}

/** An embedding vector: a JSON array of numbers, or a string like "[0.1, 0.2]" or "0.1 0.2". */
export function asVector(v: unknown, maxDims = 8192): Float64Array | undefined {
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') {
    const t = v.trim().replace(/^\[/, '').replace(/\]$/, '');
    if (t === '') return undefined;
    items = t.split(/[\s,;]+/);
  } else return undefined;
  if (items.length === 0 || items.length > maxDims) return undefined;
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const n = asNumber(items[i]);
    if (n === undefined) return undefined;
    out[i] = n;
  }
  return out;
}
