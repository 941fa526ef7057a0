// PEP 508 environment markers: a small parser and a three-valued evaluator. A marker that names a
// variable the target environment does not set evaluates to "unknown" (never to false), so callers can
// keep such requirements (conservatively) and say why.
import { normalizePypiName } from '../manifest/names.js';
import { comparePep440, parsePep440 } from '../osv/pep440.js';

/** Marker variables (PEP 508), with the legacy dotted spellings pip still accepts mapped to them. */
export const MARKER_VARIABLES = [
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
] as const;
export type MarkerVariable = (typeof MARKER_VARIABLES)[number];

const LEGACY: Record<string, MarkerVariable> = {
  'os.name': 'os_name',
  'sys.platform': 'sys_platform',
  'platform.version': 'platform_version',
  'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
};

type Op = '<' | '<=' | '==' | '!=' | '>=' | '>' | '~=' | '===' | 'in' | 'not in';
type Operand = { kind: 'var'; name: MarkerVariable } | { kind: 'str'; value: string };

export type MarkerNode =
  { kind: 'cmp'; left: Operand; op: Op; right: Operand } | { kind: 'and' | 'or'; items: MarkerNode[] };

/** Variables of the environment a scan targets; an absent one is unknown. `extra` lists enabled extras. */
export interface MarkerEnvironment {
  values: Partial<Record<Exclude<MarkerVariable, 'extra'>, string>>;
  extras: readonly string[];
}

const MAX_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  { t: 'str'; v: string } | { t: 'name'; v: string } | { t: 'op'; v: Op } | { t: '(' | ')' | 'and' | 'or' };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return `unterminated string at column ${String(i + 1)}`;
      tokens.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
    } else if ('<>=!~'.includes(c)) {
      const op = /^(===|==|!=|~=|<=|>=|<|>)/.exec(text.slice(i, i + 3))?.[1];
      if (op === undefined) return `bad operator at column ${String(i + 1)}`;
      tokens.push({ t: 'op', v: op as Op });
      i += op.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))?.[0] ?? c;
      i += word.length;
      if (word === 'and' || word === 'or') tokens.push({ t: word });
      else if (word === 'in') tokens.push({ t: 'op', v: 'in' });
      else if (word === 'not') {
        const rest = /^\s+in\b/.exec(text.slice(i));
        if (rest === null) return `"not" must be followed by "in" (column ${String(i + 1 - word.length)})`;
        i += rest[0].length;
        tokens.push({ t: 'op', v: 'not in' });
      } else tokens.push({ t: 'name', v: word });
    } else {
      return `unexpected character "${c}" at column ${String(i + 1)}`;
    }
  }
  return tokens;
}

class MarkerSyntaxError extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): MarkerNode {
    const node = this.or(0);
    if (this.i < this.tokens.length)
      throw new MarkerSyntaxError(`unexpected ${describe(this.tokens[this.i])}`);
    return node;
  }

  private or(depth: number): MarkerNode {
    const items = [this.and(depth)];
    while (this.peek()?.t === 'or') {
      this.i++;
      items.push(this.and(depth));
    }
    return items.length === 1 ? (items[0] as MarkerNode) : { kind: 'or', items };
  }

  private and(depth: number): MarkerNode {
    const items = [this.expr(depth)];
    while (this.peek()?.t === 'and') {
      this.i++;
      items.push(this.expr(depth));
    }
    return items.length === 1 ? (items[0] as MarkerNode) : { kind: 'and', items };
  }

  private expr(depth: number): MarkerNode {
    if (depth > MAX_DEPTH) throw new MarkerSyntaxError('markers nested too deeply');
    const token = this.peek();
    if (token?.t === '(') {
      this.i++;
      const inner = this.or(depth + 1);
      if (this.peek()?.t !== ')') throw new MarkerSyntaxError('missing ")"');
      this.i++;
      return inner;
    }
    const left = this.operand();
    const op = this.peek();
    if (op?.t !== 'op') throw new MarkerSyntaxError(`expected a comparison operator, found ${describe(op)}`);
    this.i++;
    const right = this.operand();
    if (left.kind === 'str' && right.kind === 'str')
      throw new MarkerSyntaxError('a marker compares a variable, not two strings');
    return { kind: 'cmp', left, op: op.v, right };
  }

  private operand(): Operand {
    const token = this.peek();
    this.i++;
    if (token?.t === 'str') return { kind: 'str', value: token.v };
    if (token?.t === 'name') {
      const name = LEGACY[token.v] ?? (MARKER_VARIABLES as readonly string[]).find((v) => v === token.v);
      if (name === undefined) throw new MarkerSyntaxError(`unknown marker variable "${token.v}"`);
      return { kind: 'var', name: name as MarkerVariable };
    }
    throw new MarkerSyntaxError(`expected a variable or a quoted string, found ${describe(token)}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end';
  if (token.t === 'str') return `"${token.v}"`;
  if (token.t === 'name' || token.t === 'op') return `"${token.v}"`;
  return `"${token.t}"`;
}

/** Parses a marker expression; a message instead of a tree for anything PEP 508 does not allow. */
export function parseMarker(text: string): MarkerNode | { error: string } {
  if (text.length > MAX_LENGTH) return { error: 'marker is too long' };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { error: tokens };
  if (tokens.length === 0) return { error: 'empty marker' };
  try {
    return new Parser(tokens).parse();
  } catch (error) {
    if (error instanceof MarkerSyntaxError) return { error: error.message };
    throw error;
  }
}

export type Truth = boolean | undefined;

const VERSION_VARIABLES = new Set<MarkerVariable>([
  'python_version',
  'python_full_version',
  'implementation_version',
  'platform_release',
]);

function versionCompare(op: Op, left: string, right: string): Truth {
  // `==` / `!=` with a trailing `.*` compare a prefix of release segments.
  if ((op === '==' || op === '!=') && right.endsWith('.*')) {
    const l = parsePep440(left);
    const prefix = parsePep440(right.slice(0, -2));
    if (l === undefined || prefix === undefined) return undefined;
    const want = right.slice(0, -2).split('.').length;
    const head = parsePep440(left.split('+')[0]?.split('.').slice(0, want).join('.') ?? '');
    const same = head !== undefined && comparePep440(head, prefix) === 0;
    return op === '==' ? same : !same;
  }
  const l = parsePep440(left);
  const r = parsePep440(right);
  if (l === undefined || r === undefined) return undefined;
  const c = comparePep440(l, r);
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '~=': {
      // Compatible release: >= right, and the same release prefix without its last segment.
      const parts = right.split('.');
      if (parts.length < 2 || c < 0) return c < 0 ? false : undefined;
      const prefix = parts.slice(0, -1).join('.');
      return versionCompare('==', left, `${prefix}.*`);
    }
    default:
      return undefined;
  }
}

function compare(op: Op, left: string, right: string, versions: boolean): Truth {
  if (op === 'in') return right.includes(left);
  if (op === 'not in') return !right.includes(left);
  if (op === '===') return left === right;
  if (versions || (parsePep440(left) !== undefined && parsePep440(right) !== undefined)) {
    const v = versionCompare(op, left, right);
    if (v !== undefined) return v;
  }
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    default:
      return undefined;
  }
}

function evaluateCmp(node: Extract<MarkerNode, { kind: 'cmp' }>, env: MarkerEnvironment): Truth {
  const { left, right, op } = node;
  const varOf = (o: Operand): MarkerVariable | undefined => (o.kind === 'var' ? o.name : undefined);
  if (varOf(left) === 'extra' || varOf(right) === 'extra') {
    // `extra == "name"`: true when that extra is enabled (names compared after normalisation).
    const other = varOf(left) === 'extra' ? right : left;
    if (other.kind !== 'str' || (op !== '==' && op !== '!=')) return undefined;
    const on = env.extras.some((e) => normalizePypiName(e) === normalizePypiName(other.value));
    return op === '==' ? on : !on;
  }
  const value = (o: Operand): string | undefined =>
    o.kind === 'str' ? o.value : env.values[o.name as Exclude<MarkerVariable, 'extra'>];
  const l = value(left);
  const r = value(right);
  if (l === undefined || r === undefined) return undefined;
  const versions =
    (left.kind === 'var' && VERSION_VARIABLES.has(left.name)) ||
    (right.kind === 'var' && VERSION_VARIABLES.has(right.name));
  return compare(op, l, r, versions);
}

/** Kleene three-valued evaluation: unknown only when the known parts do not settle the result. */
export function evaluateMarker(node: MarkerNode, env: MarkerEnvironment): Truth {
  if (node.kind === 'cmp') return evaluateCmp(node, env);
  let unknown = false;
  for (const item of node.items) {
    const v = evaluateMarker(item, env);
    if (v === undefined) unknown = true;
    else if (node.kind === 'and' && !v) return false;
    else if (node.kind === 'or' && v) return true;
  }
  return unknown ? undefined : node.kind === 'and';
}

/** The variables a marker reads (to explain an unknown result). */
export function markerVariables(node: MarkerNode): Set<MarkerVariable> {
  const out = new Set<MarkerVariable>();
  const walk = (n: MarkerNode): void => {
    if (n.kind === 'cmp') {
      for (const o of [n.left, n.right]) if (o.kind === 'var') out.add(o.name);
    } else n.items.forEach(walk);
  };
  walk(node);
  return out;
}
