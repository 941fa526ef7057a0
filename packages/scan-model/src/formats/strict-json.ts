/** JSON value from the strict parser. Objects keep every key; duplicates are reported. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface StrictJson {
  readonly value: JsonValue;
  /** Keys that appear twice in one object (parsers disagree on which wins). */
  readonly duplicates: readonly string[];
}

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * RFC 8259 JSON with duplicate-key detection and a depth limit. JSON.parse silently keeps the last
 * duplicate; other readers keep the first: a scanner must see both.
 */
export function parseStrictJson(text: string, maxDepth = 64): StrictJson | string {
  let i = 0;
  const duplicates: string[] = [];
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
      i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at ${String(i)}`);
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): JsonValue => {
    if (depth > maxDepth) fail('nesting too deep');
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: { [key: string]: JsonValue } = {};
      const keys = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected key');
        const k = str();
        if (keys.has(k)) duplicates.push(k);
        keys.add(k);
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        Object.defineProperty(obj, k, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected , or }');
      }
    }
    if (ch === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected , or ]');
      }
    }
    if (ch === '"') return str();
    LITERAL.lastIndex = i;
    const lit = LITERAL.exec(text);
    if (!lit) return fail('unexpected character');
    i += lit[0].length;
    if (lit[0] === 'true') return true;
    if (lit[0] === 'false') return false;
    if (lit[0] === 'null') return null;
    return Number(lit[0]);
  };
  try {
    const v = value(0);
    ws();
    if (i !== text.length) fail('data after the JSON value');
    return { value: v, duplicates };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
