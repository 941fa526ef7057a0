import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  assetLocationsOf,
  navigatorLayerWriter,
  assess,
  AtlasGuardError,
  baselineInputSchema,
  diffBaseline,
  evaluateGate,
  ExitCode,
  explainTechnique,
  formatPosition,
  modelIssuesError,
  parsePolicyText,
  QUESTIONS,
  writeCsv,
  writeHtml,
  writeJson,
  writeMarkdown,
  writeNavigator,
  writeSarifAssessment,
  type Assessment,
  type AssessmentWriterRegistry,
  type Policy,
} from '@atlasguard/core';
import type { CliContext } from '../context.js';
import { emit } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { CLI_VERSION } from '../version.js';
import { ASSESS_LAYERS, type AssessFlags, type AssessFormat } from './assess.js';
import { renderAssessmentText } from './assess-text.js';
import { loadKbCatalog, note, stdoutColors } from './kb-runtime.js';
import pc from 'picocolors';
import { displayPath, loadModel, validModel } from './model-input.js';

/** `assess --format` → writer. Every writer is pure: `(assessment, catalog) => string`. */
export function assessWriters(ctx: CliContext, top: number, toFile = false): AssessmentWriterRegistry {
  // Colours only when the summary goes to a terminal, never into a file written with --out.
  const colors = toFile ? pc.createColors(false) : stdoutColors(ctx);
  return {
    text: (assessment, catalog) => renderAssessmentText(assessment, catalog, colors, top),
    json: writeJson,
    md: writeMarkdown,
    html: writeHtml,
    navigator: writeNavigator,
    csv: writeCsv,
    sarif: writeSarifAssessment,
  } satisfies Record<AssessFormat, AssessmentWriterRegistry[string]>;
}

const MAX_SIDE_FILE = 64 * 1024 * 1024;

export async function runAssess(ctx: CliContext, modelArg: string, flags: AssessFlags): Promise<void> {
  const format = chosenFormat(flags, 'text');
  const top = Number(flags.top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) {
    throw new AtlasGuardError(`--top "${flags.top}" is not a number from 1 to 1000`, {
      exitCode: ExitCode.Usage,
      hint: 'e.g. --top 20',
    });
  }
  const assessedOn = flags.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(assessedOn) || Number.isNaN(Date.parse(assessedOn))) {
    throw new AtlasGuardError(`--date "${assessedOn}" is not a date`, {
      exitCode: ExitCode.Usage,
      hint: 'use YYYY-MM-DD',
    });
  }
  const { catalog } = await loadKbCatalog(ctx);
  const loaded = await loadModel(ctx, modelArg, catalog, new Set(QUESTIONS.map((q) => q.id)));
  const { model, positions } = validModel(loaded, modelIssuesError);
  const warnings = (loaded.check?.warnings ?? []).map(
    (w) => `${formatPosition(w.position)}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`,
  );
  for (const w of warnings) note(ctx, `warning: ${w}`);
  const policy = flags.policy === undefined ? undefined : await readPolicy(ctx, flags.policy);

  const assessment: Assessment = assess(model, catalog, {
    source: loaded.file.display,
    assessedOn,
    toolVersion: CLI_VERSION,
    ...(policy === undefined ? {} : { policy }),
    warnings,
    assetLocations: assetLocationsOf(model, positions),
  });
  if (flags.baseline !== undefined) {
    assessment.baseline = await readBaseline(ctx, flags.baseline, assessment);
  }
  if (flags.failOn !== 'none') assessment.gate = evaluateGate(assessment, flags.failOn);

  if (flags.explain !== undefined) {
    const text = explainTechnique(assessment, flags.explain.trim());
    if (text === undefined) {
      throw new AtlasGuardError(`${flags.explain} is not a technique of ATLAS ${catalog.version}`, {
        exitCode: ExitCode.Usage,
        hint: 'give a technique ID such as AML.T0051 (see `atlasguard kb search`)',
      });
    }
    await emit(ctx, text, flags.out);
  } else {
    if (flags.layer !== undefined && format !== 'navigator') {
      throw new AtlasGuardError('--layer goes with --format navigator', {
        exitCode: ExitCode.Usage,
        hint: `e.g. --format navigator --layer residual`,
      });
    }
    const writer =
      flags.layer === undefined
        ? assessWriters(ctx, top, flags.out !== undefined && flags.out !== '-')[format]
        : navigatorLayerWriter(flags.layer);
    if (writer === undefined) {
      throw new AtlasGuardError(`no writer for --format ${format}`, {
        exitCode: ExitCode.Usage,
        hint: 'see `atlasguard assess --help`',
      });
    }
    await emit(ctx, writer(assessment, catalog), flags.out);
    if (format === 'navigator' && flags.layer === undefined) {
      // The hosted ATLAS Navigator reads one layer per file and opens a multi-layer file as an empty layer
      // without any error (docs/reports.md): say so where the user sees it.
      note(
        ctx,
        `note: this file holds ${String(ASSESS_LAYERS.length)} layers (ATT&CK Navigator 5.x opens them as tabs); for the hosted ATLAS Navigator write one per file with --layer ${ASSESS_LAYERS.join('|')}`,
      );
    }
  }
  if (assessment.gate?.failed === true) {
    note(
      ctx,
      `gate: ${String(assessment.gate.blocking.length)} residual risk(s) at or above ${assessment.gate.failOn}` +
        (assessment.gate.excused.length > 0
          ? ` (${String(assessment.gate.excused.length)} excused by unexpired decisions)`
          : ''),
    );
    ctx.setExitCode(ExitCode.Findings);
  }
}

async function readSide(
  ctx: CliContext,
  file: string,
  what: string,
): Promise<{ text: string; display: string }> {
  const path = resolve(ctx.cwd, file);
  const display = displayPath(ctx, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new AtlasGuardError(
      `cannot read ${what} ${file}: ${typeof code === 'string' ? code : String(error)}`,
      {
        exitCode: ExitCode.Error,
        hint: `check the ${what} path`,
      },
    );
  }
  if (bytes.length > MAX_SIDE_FILE) {
    throw new AtlasGuardError(`${what} ${file} is too large`, {
      exitCode: ExitCode.Error,
      position: { file: display },
      hint: 'at most 64 MiB',
    });
  }
  return { text: bytes.toString('utf8'), display };
}

async function readPolicy(ctx: CliContext, file: string): Promise<Policy> {
  const { text, display } = await readSide(ctx, file, 'policy');
  const parsed = parsePolicyText(text, display);
  if (!parsed.ok) throw modelIssuesError(parsed.issues);
  return parsed.value;
}

async function readBaseline(
  ctx: CliContext,
  file: string,
  current: Assessment,
): Promise<NonNullable<Assessment['baseline']>> {
  const { text, display } = await readSide(ctx, file, 'baseline');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AtlasGuardError(
      `baseline is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        exitCode: ExitCode.Error,
        position: { file: display, line: 1, column: 1 },
        hint: 'give a file written by `atlasguard assess --format json`',
      },
    );
  }
  const parsed = baselineInputSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `not an AtlasGuard assessment (schemaVersion 1): ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? ''}`,
      {
        exitCode: ExitCode.Error,
        position: { file: display },
        hint: 'give a file written by `atlasguard assess --format json`',
      },
    );
  }
  return diffBaseline(current, parsed.data, display);
}
