/** Sigma-style condition expressions: `sel and not (filter1 or 1 of other*)`, `all of them`. */
export type Condition =
  | { op: 'ref'; name: string }
  | { op: 'not'; arg: Condition }
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'of'; quantifier: 'one' | 'all'; pattern: string };

export class ConditionError extends Error {}

const TOKEN = /\s*(\(|\)|[A-Za-z_][A-Za-z0-9_*.-]*|\d+|\S)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) break;
    const t = m[1];
    if (t === undefined) break;
    tokens.push(t);
    if (tokens.length > 200) throw new ConditionError('condition has more than 200 tokens');
  }
  return tokens;
}

export function parseCondition(text: string): Condition {
  const tokens = tokenize(text.trim());
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new ConditionError('condition ends too early');
    return t;
  };
  const parseOr = (depth: number): Condition => {
    const args = [parseAnd(depth)];
    while (peek()?.toLowerCase() === 'or') {
      i++;
      args.push(parseAnd(depth));
    }
    return args.length === 1 && args[0] ? args[0] : { op: 'or', args };
  };
  const parseAnd = (depth: number): Condition => {
    const args = [parseNot(depth)];
    while (peek()?.toLowerCase() === 'and') {
      i++;
      args.push(parseNot(depth));
    }
    return args.length === 1 && args[0] ? args[0] : { op: 'and', args };
  };
  const parseNot = (depth: number): Condition => {
    if (depth > 32) throw new ConditionError('condition nested too deeply');
    const t = take();
    const lower = t.toLowerCase();
    if (lower === 'not') return { op: 'not', arg: parseNot(depth + 1) };
    if (t === '(') {
      const inner = parseOr(depth + 1);
      if (take() !== ')') throw new ConditionError('missing )');
      return inner;
    }
    if (lower === '1' || lower === 'all' || lower === 'any') {
      if (take().toLowerCase() !== 'of') throw new ConditionError(`expected "of" after "${t}"`);
      const pattern = take();
      return { op: 'of', quantifier: lower === 'all' ? 'all' : 'one', pattern };
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(t)) throw new ConditionError(`unexpected "${t}"`);
    return { op: 'ref', name: t };
  };
  const result = parseOr(0);
  if (i !== tokens.length) throw new ConditionError(`unexpected "${tokens[i] ?? ''}"`);
  return result;
}

function matchesPattern(name: string, pattern: string): boolean {
  if (pattern === 'them') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/** Names of selections a condition refers to (for validation). */
export function referencedNames(c: Condition, out: Set<string> = new Set()): Set<string> {
  switch (c.op) {
    case 'ref':
      out.add(c.name);
      break;
    case 'not':
      referencedNames(c.arg, out);
      break;
    case 'and':
    case 'or':
      for (const a of c.args) referencedNames(a, out);
      break;
    case 'of':
      break;
  }
  return out;
}

export function evaluateCondition(c: Condition, selections: ReadonlyMap<string, () => boolean>): boolean {
  switch (c.op) {
    case 'ref':
      return selections.get(c.name)?.() ?? false;
    case 'not':
      return !evaluateCondition(c.arg, selections);
    case 'and':
      return c.args.every((a) => evaluateCondition(a, selections));
    case 'or':
      return c.args.some((a) => evaluateCondition(a, selections));
    case 'of': {
      const names = [...selections.keys()].filter((n) => matchesPattern(n, c.pattern));
      if (names.length === 0) return false;
      return c.quantifier === 'all'
        ? names.every((n) => selections.get(n)?.() ?? false)
        : names.some((n) => selections.get(n)?.() ?? false);
    }
  }
}
