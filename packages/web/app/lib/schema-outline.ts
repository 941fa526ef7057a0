import { z } from 'zod';

/** The parts of a JSON Schema node the outline reads (the rest is ignored). */
interface SchemaNode {
  type?: string | string[] | undefined;
  description?: string | undefined;
  enum?: unknown[] | undefined;
  const?: unknown;
  properties?: Record<string, SchemaNode> | undefined;
  required?: string[] | undefined;
  items?: SchemaNode | undefined;
}
const node: z.ZodType<SchemaNode> = z.lazy(() =>
  z.object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    description: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
    const: z.unknown().optional(),
    properties: z.record(z.string(), node).optional(),
    required: z.array(z.string()).optional(),
    items: node.optional(),
  }),
);

export interface OutlineField {
  name: string;
  required: boolean;
  type: string;
  description: string;
  values: string[];
}
export interface OutlineSection extends OutlineField {
  fields: OutlineField[];
}

const typeOf = (n: SchemaNode): string => {
  if (n.type === 'array') return `list of ${n.items === undefined ? 'values' : typeOf(n.items)}`;
  if (Array.isArray(n.type)) return n.type.join(' or ');
  return n.type ?? (n.enum === undefined ? 'value' : 'one of');
};
const valuesOf = (n: SchemaNode): string[] => {
  const inner = n.type === 'array' && n.items !== undefined ? n.items : n;
  const vals = inner.enum ?? (inner.const === undefined ? [] : [inner.const]);
  return vals.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
};
const fieldsOf = (n: SchemaNode): OutlineField[] => {
  const obj = n.type === 'array' && n.items !== undefined ? n.items : n;
  const required = new Set(obj.required ?? []);
  return Object.entries(obj.properties ?? {}).map(([name, p]) => ({
    name,
    required: required.has(name),
    type: typeOf(p),
    description: p.description ?? p.items?.description ?? '',
    values: valuesOf(p),
  }));
};

/**
 * The top-level sections of the system model JSON Schema with their fields, for the editor's reference
 * panel. Null when the document is not a schema of that shape.
 */
export function schemaOutline(schema: unknown): OutlineSection[] | null {
  const parsed = node.safeParse(schema);
  if (!parsed.success || parsed.data.properties === undefined) return null;
  const required = new Set(parsed.data.required ?? []);
  return Object.entries(parsed.data.properties).map(([name, p]) => ({
    name,
    required: required.has(name),
    type: typeOf(p),
    description: p.description ?? p.items?.description ?? '',
    values: valuesOf(p),
    fields: fieldsOf(p),
  }));
}
