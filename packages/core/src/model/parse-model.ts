import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { z } from 'zod';
import { AtlasGuardError, type SourcePosition } from '../errors/atlasguard-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { didYouMean } from './did-you-mean.js';
import { systemModelSchema, type SystemModel } from './system-model-schema.js';

/** Bounds for untrusted model files. */
export const MODEL_LIMITS = {
  maxBytes: 8 * 1024 * 1024,
  maxDepth: 32,
  maxAliases: 100,
  maxNodes: 500_000,
} as const;

export type ModelPath = ReadonlyArray<string | number>;

/** One problem in a model file, with its position. */
export interface ModelIssue {
  message: string;
  hint?: string | undefined;
  /** Path into the model, e.g. `['model', 0, 'access']`. */
  path: ModelPath;
  position: SourcePosition;
}

/** Finds where a model path sits in the source; used by the parser and by later checks. */
export interface PositionIndex {
  file: string;
  /** Position of the value at `path` (or of the closest existing ancestor). */
  at(path: ModelPath): SourcePosition;
  /** Position of the key named by the last element of `path` (for unknown keys). */
  keyAt(path: ModelPath): SourcePosition;
}

export interface ParsedModel {
  model: SystemModel;
  positions: PositionIndex;
}

export type ParseResult = { ok: true; value: ParsedModel } | { ok: false; issues: ModelIssue[] };

function positionIndex(doc: Document | undefined, counter: LineCounter, file: string): PositionIndex {
  const toPosition = (offset: number | undefined): SourcePosition => {
    if (offset === undefined) return { file, line: 1, column: 1 };
    const { line, col } = counter.linePos(offset);
    return { file, line, column: col };
  };
  const walk = (path: ModelPath, key: boolean): SourcePosition => {
    let node: unknown = doc?.contents;
    let offset: number | undefined = (node as YamlNode | null | undefined)?.range?.[0];
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as YamlNode | null;
        if (key && i === path.length - 1) return toPosition(keyNode?.range?.[0]);
        const value = pair.value as YamlNode | null;
        node = value;
        offset = value?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
        if (value === null) break;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (item === undefined) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    return toPosition(offset);
  };
  return { file, at: (path) => walk(path, false), keyAt: (path) => walk(path, true) };
}

function depthAndCount(doc: Document): { depth: number; nodes: number; aliases: number } {
  let maxDepth = 0;
  let nodes = 0;
  let aliases = 0;
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    const { node, depth } = top;
    nodes++;
    if (depth > maxDepth) maxDepth = depth;
    if (depth > MODEL_LIMITS.maxDepth || nodes > MODEL_LIMITS.maxNodes) break;
    if (isAlias(node)) aliases++;
    else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return { depth: maxDepth, nodes, aliases };
}

/** Every object key a schema knows, for did-you-mean on unknown keys (cached per schema). */
const knownKeysCache = new WeakMap<object, string[]>();
function knownKeys(schema: z.ZodType): string[] {
  let keys = knownKeysCache.get(schema);
  if (!keys) {
    keys = collectKeys(schema);
    knownKeysCache.set(schema, keys);
  }
  return keys;
}

function collectKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (s: unknown): void => {
    if (s === null || typeof s !== 'object' || seen.has(s)) return;
    seen.add(s);
    const def = (s as { def?: Record<string, unknown> }).def;
    if (!def) return;
    const shape = def.shape as Record<string, unknown> | undefined;
    if (shape) {
      for (const [k, v] of Object.entries(shape)) {
        keys.add(k);
        visit(v);
      }
    }
    for (const key of ['element', 'innerType', 'in', 'out', 'schema']) visit(def[key]);
  };
  visit(schema);
  return [...keys];
}

function describeExpected(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_value') {
    return `expected one of: ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return undefined;
}

function issueFromZod(
  issue: z.core.$ZodIssue,
  data: unknown,
  positions: PositionIndex,
  keys: readonly string[],
): ModelIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const hint = didYouMean(key, keys) ?? 'remove the key, or check docs/system-model.md for the fields';
      return {
        message: `unknown key "${key}"`,
        hint,
        path: [...path, key],
        position: positions.keyAt([...path, key]),
      };
    });
  }
  const actual = valueAt(data, path);
  let message = issue.message;
  let hint = describeExpected(issue);
  if (issue.code === 'invalid_value' && typeof actual === 'string') {
    message = `invalid value "${actual}"`;
    const suggestion = didYouMean(
      actual,
      issue.values.map((v) => String(v)),
    );
    hint = suggestion ? `${suggestion} (${hint ?? ''})` : hint;
  } else if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && actual === undefined) {
    const field = path.at(-1);
    message = `missing required field "${String(field)}"`;
    hint = `add "${String(field)}:" (${issue.code === 'invalid_type' ? issue.expected : (hint ?? '')})`;
  } else if (issue.code === 'invalid_type') {
    hint = `expected ${issue.expected}`;
  }
  const where = path.length > 0 ? ` at ${renderPath(path)}` : '';
  return [{ message: `${message}${where}`, hint, path, position: positions.at(path) }];
}

function valueAt(data: unknown, path: ModelPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** `model[0].access` style rendering of a path. */
export function renderPath(path: ModelPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${String(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export type YamlDataResult =
  { ok: true; data: unknown; positions: PositionIndex } | { ok: false; issues: ModelIssue[] };

/**
 * Parses untrusted YAML into plain data with a position index. Never throws for bad input; bounded in size,
 * depth, node count and aliases. No custom tags: nothing in the file can construct objects.
 */
export function parseYamlData(source: string, file: string): YamlDataResult {
  const counter = new LineCounter();
  if (source.length > MODEL_LIMITS.maxBytes) {
    return fail(file, `file is too large (${String(source.length)} characters)`, {
      hint: `keep it under ${String(MODEL_LIMITS.maxBytes / 1024 / 1024)} MiB; split very large systems`,
    });
  }
  let doc: Document;
  try {
    doc = parseDocument(source, {
      lineCounter: counter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      version: '1.2',
      schema: 'core',
      customTags: [],
    });
  } catch (error) {
    return fail(
      file,
      `cannot parse YAML: ${error instanceof Error ? firstLine(error.message) : String(error)}`,
      {},
    );
  }
  const positions = positionIndex(doc, counter, file);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.slice(0, 20).map((e) => {
        const linePos = e.linePos?.[0] ?? counter.linePos(e.pos[0]);
        return {
          message: `YAML syntax: ${firstLine(e.message)}`,
          hint: yamlHint(e.code),
          path: [],
          position: { file, line: linePos.line, column: linePos.col },
        };
      }),
    };
  }
  const shape = depthAndCount(doc);
  if (shape.depth > MODEL_LIMITS.maxDepth) {
    return fail(file, `YAML is nested too deeply (more than ${String(MODEL_LIMITS.maxDepth)} levels)`, {
      hint: 'a system model is a few levels deep; check for runaway nesting',
    });
  }
  if (shape.nodes > MODEL_LIMITS.maxNodes) {
    return fail(file, `YAML has too many nodes (more than ${String(MODEL_LIMITS.maxNodes)})`, {
      hint: 'split the system into several models',
    });
  }
  if (shape.aliases > MODEL_LIMITS.maxAliases) {
    return fail(file, `YAML uses too many aliases (${String(shape.aliases)})`, {
      hint: `at most ${String(MODEL_LIMITS.maxAliases)} aliases are allowed; write the values out`,
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MODEL_LIMITS.maxAliases });
  } catch (error) {
    return fail(
      file,
      `cannot read YAML: ${error instanceof Error ? firstLine(error.message) : String(error)}`,
      {
        hint: 'YAML aliases may not expand to huge documents',
      },
    );
  }
  return { ok: true, data, positions };
}

/** Validates parsed YAML data with a zod schema, turning every issue into a positioned one. */
export function validateYamlData<S extends z.ZodType>(
  schema: S,
  data: unknown,
  positions: PositionIndex,
): { ok: true; value: z.infer<S> } | { ok: false; issues: ModelIssue[] } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.flatMap((i) => issueFromZod(i, data, positions, knownKeys(schema)));
  issues.sort(
    (a, b) =>
      (a.position.line ?? 0) - (b.position.line ?? 0) || (a.position.column ?? 0) - (b.position.column ?? 0),
  );
  return { ok: false, issues };
}

/**
 * Parses and validates a system model file. Never throws for bad input: returns every problem found,
 * each with `file:line:col` and a hint. Bounded for hostile input (size, depth, aliases, nodes).
 */
export function parseSystemModelText(source: string, file: string): ParseResult {
  const yaml = parseYamlData(source, file);
  if (!yaml.ok) return yaml;
  const { data, positions } = yaml;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail(file, 'a system model must be a YAML mapping starting with `atlasguard: 1`', {
      hint: 'run `atlasguard init` to write a starter model',
    });
  }
  const version = (data as Record<string, unknown>).atlasguard;
  if (version === undefined) {
    return fail(file, 'missing `atlasguard: 1` (the model format version)', {
      hint: 'add `atlasguard: 1` as the first line',
    });
  }
  if (version !== 1) {
    return {
      ok: false,
      issues: [
        {
          message: `unsupported model format version ${JSON.stringify(version)}`,
          hint: 'this AtlasGuard reads `atlasguard: 1`',
          path: ['atlasguard'],
          position: positions.at(['atlasguard']),
        },
      ],
    };
  }
  const validated = validateYamlData(systemModelSchema, data, positions);
  if (!validated.ok) return validated;
  return { ok: true, value: { model: validated.value, positions } };
}

function fail(file: string, message: string, extra: { hint?: string }): { ok: false; issues: ModelIssue[] } {
  return {
    ok: false,
    issues: [{ message, hint: extra.hint, path: [], position: { file, line: 1, column: 1 } }],
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: nested fields need more spaces than their parent (no tabs)';
    case 'TAB_AS_INDENT':
      return 'YAML indentation uses spaces, not tabs';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a key is missing its ":" or a value is indented under the wrong key';
    default:
      return 'fix the YAML syntax at this position';
  }
}

/** Turns the issues of a failed parse into the one error the CLI prints. */
export function modelIssuesError(issues: readonly ModelIssue[]): AtlasGuardError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${String(issues.length - 1)} more problems)` : '';
  return new AtlasGuardError(`${first?.message ?? 'invalid system model'}${more}`, {
    exitCode: ExitCode.Error,
    hint: `${first?.hint ?? 'see docs/system-model.md'}${more ? '; run `atlasguard validate` to list them all' : ''}`,
    ...(first ? { position: first.position } : {}),
  });
}
