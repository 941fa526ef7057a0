import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { writeFileAtomic } from '@atlasguard/io';
import {
  AtlasGuardError,
  DATA_CLASSES,
  ExitCode,
  LEVELS_4,
  MODEL_ACCESS,
  MODEL_TASKS,
  parseSystemModelText,
  PROVENANCES,
  SECTORS,
  starterModel,
  starterOptionsSchema,
} from '@atlasguard/core';
import type { CliContext } from '../context.js';
import { note } from './kb-runtime.js';
import type { InitFlags } from './init.js';

export async function runInit(ctx: CliContext, file: string, flags: InitFlags): Promise<void> {
  const raw: Record<string, unknown> = {
    id: flags.id,
    name: flags.name,
    sector: flags.sector,
    criticality: flags.criticality,
    task: flags.task,
    provenance: flags.provenance,
    access: flags.access,
    dataClasses: flags.dataClasses
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
  const interactive = flags.yes !== true && process.stdin.isTTY && ctx.stdout.isTTY === true;
  if (interactive) await askStarterOptions(raw, process.stdin, process.stderr);
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const parsed = starterOptionsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = `--${String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new AtlasGuardError(`${flag}: ${issue?.message ?? 'invalid value'}`, {
      exitCode: ExitCode.Usage,
      hint: 'see `atlasguard init --help` for the accepted values',
    });
  }
  const text = starterModel(parsed.data);
  // The starter must validate as written: a broken starter would be a bug, not a user error.
  const check = parseSystemModelText(text, file);
  if (!check.ok) throw new Error(`starter model does not validate: ${check.issues[0]?.message ?? ''}`);
  if (file === '-') {
    ctx.stdout.write(text);
    return;
  }
  const path = resolve(ctx.cwd, file);
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists && flags.force !== true) {
    throw new AtlasGuardError(`${file} already exists`, {
      exitCode: ExitCode.Usage,
      hint: 'pass --force to overwrite it, or give another file name',
    });
  }
  await writeFileAtomic(path, text);
  note(
    ctx,
    `wrote ${file}; edit it, then run \`atlasguard validate ${file}\` and \`atlasguard assess ${file}\``,
  );
}

/**
 * Asks, one line each, for the starter options not given as flags (`raw` keys already set are skipped).
 * An empty answer keeps the default shown in brackets; end of input keeps the defaults of the rest. Lines are
 * read through a buffered iterator, so answers typed ahead or pasted at once are not lost.
 */
export async function askStarterOptions(
  raw: Record<string, unknown>,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const rl = createInterface({ input, output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const line = async (prompt: string): Promise<string> => {
    output.write(prompt);
    const next = await lines.next();
    return next.done === true ? '' : next.value.trim();
  };
  try {
    const question = async (
      key: string,
      prompt: string,
      choices?: readonly string[],
      fallback?: string,
    ): Promise<void> => {
      if (raw[key] !== undefined) return;
      const hint = choices ? ` (${choices.join(' | ')})` : '';
      const answer = await line(`${prompt}${hint}${fallback ? ` [${fallback}]` : ''}: `);
      if (answer !== '') raw[key] = answer;
    };
    await question('name', 'System name', undefined, 'My AI system');
    await question('id', 'System id', undefined, 'my-ai-system');
    await question('sector', 'Sector', SECTORS, 'other');
    await question('criticality', 'Business criticality', LEVELS_4, 'medium');
    await question('task', 'Main model task', MODEL_TASKS, 'llm');
    await question('provenance', 'Where the model comes from', PROVENANCES, 'third-party-api');
    await question('access', 'Who can query it', MODEL_ACCESS, 'authenticated-api');
    if (raw.dataClasses === undefined) {
      const answer = await line(`Data classes, comma-separated (${DATA_CLASSES.join(' | ')}) [pii]: `);
      if (answer !== '')
        raw.dataClasses = answer
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
    }
  } finally {
    rl.close();
  }
}
