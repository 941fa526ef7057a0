// Replaces every free-text string of a value with a hostile payload, keeping enum-valued fields intact so
// the result still has the assessment's shape. Used to prove the writers neutralise model-supplied text.

export const PAYLOAD = `=cmd|' /C calc'!A0 "><script>alert(1)</script><img src=x onerror=alert(2)>|**x**\r\n# h`;

const ENUM_KEYS = new Set([
  'decision',
  'level',
  'residualLevel',
  'status',
  'element',
  'elements',
  'maturity',
  'answer',
  'via',
  'type',
  'treatment',
  'effect',
  'dimension',
  'source',
  'name', // tool.name is a literal; other names are poisoned through `poisonNames` below
  // ATLAS IDs are validated by the assessment schema, so they cannot carry a payload.
  'techniqueId',
  'techniques',
  'mitigationId',
  'mitigations',
  'mitigationsInPlace',
  'mitigationsMissing',
  'breaks',
]);

function poisonValue(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    const keep = (key !== undefined && ENUM_KEYS.has(key)) || (key === 'id' && /^AML\.[MT]\d/.test(value));
    return keep ? value : `${value}${PAYLOAD}`;
  }
  if (Array.isArray(value)) return value.map((v) => poisonValue(v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'treatment' && v !== null && typeof v === 'object') out[k] = poisonValue(v, undefined);
      else out[k] = poisonValue(v, k);
    }
    return out;
  }
  return value;
}

/** Poisons every free-text field, including names (except the literal tool name). */
export function poison<T>(value: T): T {
  const poisoned = poisonValue(value, undefined) as Record<string, unknown>;
  const names = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(names);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] = k === 'name' && typeof x === 'string' ? `${x}${PAYLOAD}` : names(x);
      return out;
    }
    return v;
  };
  const result = names(poisoned) as Record<string, unknown>;
  // Keep the literal tool name the schema asks for.
  result.tool = (value as Record<string, unknown>).tool;
  return result as T;
}
