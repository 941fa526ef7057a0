import type { Severity } from '@atlasguard/core';
import type { InferenceEvent } from '../event/event.js';
import {
  ConditionError,
  evaluateCondition,
  parseCondition,
  referencedNames,
  type Condition,
} from './condition.js';
import type { RuleDocument } from './rule-schema.js';

type Scalar = string | number | boolean | null;
type Matcher = (event: InferenceEvent) => boolean;

export interface CompiledRule {
  doc: RuleDocument;
  id: string;
  severity: Severity;
  techniques: string[];
  condition: Condition;
  selections: Map<string, Matcher>;
  correlation?: {
    type: 'event_count' | 'value_count';
    groupBy: string[];
    timespanMs: number;
    field?: string;
    gte: number;
  };
  source: string;
}

export class RuleCompileError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

/** `atlas.aml.t0051.000` → `AML.T0051.000` */
export function techniqueFromTag(tag: string): string | undefined {
  const m = /^atlas\.aml\.t(\d{4})(?:\.(\d{3}))?$/.exec(tag);
  if (!m) return undefined;
  return `AML.T${m[1] ?? ''}${m[2] !== undefined ? `.${m[2]}` : ''}`;
}

/** Reads a field of an event by its canonical name, or a derived name (input.text, principal, …). */
/** A field as a string, for grouping and distinct counts (objects as JSON). */
export function fieldText(event: InferenceEvent, name: string): string {
  const v = fieldOf(event, name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function fieldOf(event: InferenceEvent, name: string): unknown {
  switch (name) {
    case 'principal':
      return event.principal;
    case 'tenant':
      return event.tenant;
    case 'input.text':
      return event.inputText;
    case 'output.text':
      return event.outputText;
    case 'tool.text':
      return event.toolText;
    case 'system.text':
      return event.systemText;
    default:
      return (event.record as Record<string, unknown>)[name];
  }
}

const MAX_REGEX = 500;
/** Rejects patterns with nested quantifiers — the usual catastrophic-backtracking shape. */
function safeRegex(source: string): RegExp {
  if (source.length > MAX_REGEX)
    throw new RuleCompileError(`regular expression longer than ${MAX_REGEX} characters`);
  if (/\([^)]*[+*][^)]*\)[+*{]/.test(source) || /\\[1-9]/.test(source)) {
    throw new RuleCompileError(
      `regular expression "${source.slice(0, 60)}" has nested quantifiers or backreferences`,
    );
  }
  try {
    return new RegExp(source, 'iu');
  } catch (error) {
    throw new RuleCompileError(`invalid regular expression: ${(error as Error).message}`);
  }
}

function compileField(key: string, value: Scalar | Scalar[]): Matcher {
  const [field = '', ...mods] = key.split('|');
  const values = Array.isArray(value) ? value : [value];
  const all = mods.includes('all');
  const op = mods.find((m) => m !== 'all') ?? 'eq';
  const str = (v: Scalar): string => String(v).toLowerCase();
  let test: (actual: unknown, expected: Scalar) => boolean;
  switch (op) {
    case 'eq':
      test = (a, e) =>
        e === null
          ? a === undefined
          : typeof a === 'number' || typeof a === 'boolean'
            ? String(a) === String(e)
            : typeof a === 'string' && a.toLowerCase() === str(e);
      break;
    case 'contains':
      test = (a, e) => typeof a === 'string' && a.toLowerCase().includes(str(e));
      break;
    case 'startswith':
      test = (a, e) => typeof a === 'string' && a.toLowerCase().startsWith(str(e));
      break;
    case 'endswith':
      test = (a, e) => typeof a === 'string' && a.toLowerCase().endsWith(str(e));
      break;
    case 're': {
      const res = new Map(values.map((v) => [v, safeRegex(String(v))]));
      test = (a, e) =>
        typeof a === 'string' && (res.get(e)?.test(a.length > 100_000 ? a.slice(0, 100_000) : a) ?? false);
      break;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      for (const v of values)
        if (typeof v !== 'number') throw new RuleCompileError(`${key}: ${op} needs a number`);
      test = (a, e) => {
        if (typeof a !== 'number' || typeof e !== 'number') return false;
        return op === 'gt' ? a > e : op === 'gte' ? a >= e : op === 'lt' ? a < e : a <= e;
      };
      break;
    }
    case 'exists':
      test = (a, e) => (a !== undefined) === (e === true || e === 'true');
      break;
    default:
      throw new RuleCompileError(`unknown modifier |${op} on ${field}`);
  }
  return (event) => {
    const actual = fieldOf(event, field);
    const one = (e: Scalar): boolean =>
      Array.isArray(actual) ? actual.some((x) => test(x, e)) : test(actual, e);
    return all ? values.every(one) : values.some(one);
  };
}

function compileSelection(
  sel: Record<string, Scalar | Scalar[]> | Record<string, Scalar | Scalar[]>[],
): Matcher {
  const maps = Array.isArray(sel) ? sel : [sel];
  const compiled = maps.map((m) => Object.entries(m).map(([k, v]) => compileField(k, v)));
  return (event) => compiled.some((fields) => fields.every((f) => f(event)));
}

const UNIT: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function compileRule(doc: RuleDocument, source: string): CompiledRule {
  const techniques = doc.tags.map(techniqueFromTag).filter((t): t is string => t !== undefined);
  if (techniques.length === 0)
    throw new RuleCompileError('no ATLAS technique tag (atlas.aml.tNNNN[.NNN])', ['tags']);
  const selections = new Map<string, Matcher>();
  for (const [name, sel] of Object.entries(doc.detection)) {
    if (name === 'condition' || typeof sel === 'string') continue;
    try {
      selections.set(name, compileSelection(sel));
    } catch (error) {
      throw new RuleCompileError((error as Error).message, ['detection', name]);
    }
  }
  let condition: Condition;
  try {
    const text = doc.detection.condition;
    condition = parseCondition(typeof text === 'string' ? text : '');
  } catch (error) {
    if (error instanceof ConditionError)
      throw new RuleCompileError(`condition: ${error.message}`, ['detection', 'condition']);
    throw error;
  }
  for (const name of referencedNames(condition)) {
    if (!selections.has(name))
      throw new RuleCompileError(`condition names unknown selection "${name}"`, ['detection', 'condition']);
  }
  const severity: Severity = doc.level === 'informational' ? 'info' : doc.level;
  const rule: CompiledRule = { doc, id: doc.id, severity, techniques, condition, selections, source };
  if (doc.correlation) {
    const span = doc.correlation.timespan;
    rule.correlation = {
      type: doc.correlation.type,
      groupBy: doc.correlation['group-by'],
      timespanMs: Number(span.slice(0, -1)) * (UNIT[span.slice(-1)] ?? 1000),
      gte: doc.correlation.condition.gte,
      ...(doc.correlation.field !== undefined ? { field: doc.correlation.field } : {}),
    };
  }
  return rule;
}

export function ruleMatches(rule: CompiledRule, event: InferenceEvent): boolean {
  const lazy = new Map<string, () => boolean>();
  for (const [name, m] of rule.selections) {
    let cached: boolean | undefined;
    lazy.set(name, () => (cached ??= m(event)));
  }
  return evaluateCondition(rule.condition, lazy);
}
