import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  AtlasGuardError,
  checkSystemModel,
  ExitCode,
  MODEL_LIMITS,
  parseSystemModelText,
  type Catalog,
  type CheckResult,
  type ModelIssue,
  type ParsedModel,
  type ParseResult,
} from '@atlasguard/core';
import type { CliContext } from '../context.js';

/** Names tried, in order, when MODEL is a directory. */
export const MODEL_FILE_NAMES = ['atlasguard.yaml', 'atlasguard.yml'] as const;

export interface ModelFile {
  /** Absolute path. */
  path: string;
  /** The path as shown to the user (relative to the working directory when inside it). */
  display: string;
  text: string;
}

/** Reads a model file (or `DIR/atlasguard.yaml`) with a size bound, before anything parses it. */
export async function readModelFile(ctx: CliContext, argument: string): Promise<ModelFile> {
  let path = resolve(ctx.cwd, argument);
  let info = await stat(path).catch((error: unknown) => {
    throw new AtlasGuardError(`cannot read ${argument}: ${errorCode(error)}`, {
      exitCode: ExitCode.Error,
      hint: 'give the path of a system model (YAML) or of a directory holding atlasguard.yaml; `atlasguard init` writes one',
    });
  });
  if (info.isDirectory()) {
    let found: string | undefined;
    for (const name of MODEL_FILE_NAMES) {
      const candidate = join(path, name);
      const s = await stat(candidate).catch(() => undefined);
      if (s?.isFile() === true) {
        found = candidate;
        info = s;
        break;
      }
    }
    if (found === undefined) {
      throw new AtlasGuardError(`no ${MODEL_FILE_NAMES.join(' or ')} in ${argument}`, {
        exitCode: ExitCode.Error,
        hint: 'run `atlasguard init` in that directory, or give the model file itself',
      });
    }
    path = found;
  }
  if (!info.isFile()) {
    throw new AtlasGuardError(`${argument} is not a regular file`, {
      exitCode: ExitCode.Error,
      hint: 'give a YAML file',
    });
  }
  const display = displayPath(ctx, path);
  if (info.size > MODEL_LIMITS.maxBytes) {
    throw new AtlasGuardError(`model file is too large (${String(info.size)} bytes)`, {
      exitCode: ExitCode.Error,
      position: { file: display, line: 1, column: 1 },
      hint: `keep a model under ${String(MODEL_LIMITS.maxBytes / 1024 / 1024)} MiB; split very large systems`,
    });
  }
  const bytes = await readFile(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AtlasGuardError('model file is not valid UTF-8', {
      exitCode: ExitCode.Error,
      position: { file: display, line: 1, column: 1 },
      hint: 'save the model as UTF-8 text',
    });
  }
  return { path, display, text };
}

export function displayPath(ctx: CliContext, path: string): string {
  const rel = relative(ctx.cwd, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

export interface LoadedModel {
  file: ModelFile;
  parsed: ParseResult;
  check?: CheckResult;
}

/** Parses and checks a model; returns every issue rather than throwing. */
export async function loadModel(
  ctx: CliContext,
  argument: string,
  catalog: Catalog,
  questionIds: ReadonlySet<string>,
): Promise<LoadedModel> {
  const file = await readModelFile(ctx, argument);
  const parsed = parseSystemModelText(file.text, file.display);
  if (!parsed.ok) return { file, parsed };
  const check = checkSystemModel(parsed.value.model, parsed.value.positions, catalog, { questionIds });
  return { file, parsed, check };
}

/** The model when it is valid; throws the first error (with a count of the rest) otherwise. */
export function validModel(
  loaded: LoadedModel,
  modelIssuesError: (issues: readonly ModelIssue[]) => AtlasGuardError,
): ParsedModel {
  if (!loaded.parsed.ok) throw modelIssuesError(loaded.parsed.issues);
  if (loaded.check && loaded.check.errors.length > 0) throw modelIssuesError(loaded.check.errors);
  return loaded.parsed.value;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
