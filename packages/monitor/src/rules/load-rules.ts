import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { AtlasGuardError, ExitCode, type Catalog } from '@atlasguard/core';
import { compileRule, RuleCompileError, type CompiledRule } from './compile.js';
import { ruleSchema } from './rule-schema.js';

const MAX_FILE_BYTES = 256 * 1024;
const MAX_FILES = 500;

/** The rules shipped with the package (packages/monitor/rules), found relative to this module. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

function positionOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: readonly PropertyKey[],
): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) {
      const p = counter.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return undefined;
}

/** Parses one rule file with limits (size, no alias bombs, unique keys) and validates it. */
export function parseRule(text: string, file: string): CompiledRule {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw new AtlasGuardError(`rule file larger than ${MAX_FILE_BYTES} bytes`, {
      position: { file },
      hint: 'split it into one rule per file',
    });
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const p = yamlError.linePos?.[0];
    throw new AtlasGuardError(`invalid YAML: ${yamlError.message.split('\n')[0] ?? ''}`, {
      position: { file, ...(p ? { line: p.line, column: p.col } : {}) },
      hint: 'fix the YAML syntax of the rule',
    });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 });
  } catch (error) {
    throw new AtlasGuardError(`invalid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, {
      position: { file },
      hint: 'rules may not expand aliases more than 20 times',
    });
  }
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const p = positionOf(doc, counter, path);
    throw new AtlasGuardError(
      `invalid rule: ${path.map(String).join('.')}${path.length > 0 ? ': ' : ''}${issue?.message ?? ''}`,
      {
        position: { file, ...(p ? { line: p.line, column: p.col } : {}) },
        hint: 'see docs/monitor.md, "Detection rules"',
      },
    );
  }
  try {
    return compileRule(parsed.data, file);
  } catch (error) {
    if (error instanceof RuleCompileError) {
      const p = positionOf(doc, counter, error.path);
      throw new AtlasGuardError(`invalid rule: ${error.message}`, {
        position: { file, ...(p ? { line: p.line, column: p.col } : {}) },
        hint: 'see docs/monitor.md, "Detection rules"',
      });
    }
    throw error;
  }
}

/** Every `*.yaml` / `*.yml` rule in a directory (not recursive), sorted by name; IDs must be unique. */
export async function loadRulesDir(dir: string): Promise<CompiledRule[]> {
  const path = resolve(dir);
  let names: string[];
  try {
    const st = await stat(path);
    if (!st.isDirectory())
      throw new AtlasGuardError(`${path} is not a directory`, {
        exitCode: ExitCode.Usage,
        hint: 'pass --rules DIR with YAML rule files',
      });
    names = (await readdir(path)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (error) {
    if (error instanceof AtlasGuardError) throw error;
    throw new AtlasGuardError(`cannot read rules directory ${path}`, {
      exitCode: ExitCode.Usage,
      hint: 'check the --rules path',
    });
  }
  if (names.length > MAX_FILES)
    throw new AtlasGuardError(`more than ${MAX_FILES} rule files in ${path}`, {
      hint: 'split rules into several directories',
    });
  const rules: CompiledRule[] = [];
  for (const name of names) {
    const file = join(path, name);
    const st = await stat(file);
    if (st.size > MAX_FILE_BYTES)
      throw new AtlasGuardError(`rule file larger than ${MAX_FILE_BYTES} bytes`, { position: { file } });
    rules.push(parseRule(await readFile(file, 'utf8'), file));
  }
  return rules;
}

export function checkUniqueIds(rules: readonly CompiledRule[]): void {
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other !== undefined) {
      throw new AtlasGuardError(`duplicate rule id ${r.id}`, {
        position: { file: r.source },
        hint: `also defined in ${other}`,
      });
    }
    seen.set(r.id, r.source);
  }
}

/** Every technique a rule names must exist in the loaded ATLAS catalog. */
export function checkRuleTechniques(rules: readonly CompiledRule[], catalog: Catalog): void {
  for (const r of rules) {
    for (const t of r.techniques) {
      if (!catalog.technique(t)) {
        throw new AtlasGuardError(`rule ${r.id} names ${t}, which is not in ATLAS ${catalog.version}`, {
          position: { file: r.source },
          hint: 'fix the atlas.aml.t… tag',
        });
      }
    }
  }
}
