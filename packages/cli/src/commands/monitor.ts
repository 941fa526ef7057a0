import { resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from '../program.js';

const FORMATS = ['text', 'json'] as const;
const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface MonitorFlags {
  follow?: boolean;
  alerts?: string;
  format: (typeof FORMATS)[number];
  out?: string;
  failOn: (typeof FAIL_ON)[number];
  metricsPort?: string;
  metricsHost: string;
  webhook?: string;
  rules: string[];
  builtinRules: boolean;
  config?: string;
  canary: string[];
  detectors?: string;
  maxLineLength?: string;
  labels?: string;
  idleExit?: string;
  nats?: string;
  natsStream?: string;
  natsSubject?: string;
  partitions?: string;
  partition?: string;
  checkpointEvery?: string;
}

function int(ctxFlag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${ctxFlag} must be an integer from ${min} to ${max}`);
  return n;
}

class UsageError extends Error {}

/**
 * `monitor` and its subcommands share option names (--out, --labels, --format, --rules, --nats…). Commander
 * lets the parent consume its options wherever they appear, so a subcommand reads those from the parent.
 */
function inherited<K extends string>(
  parent: { opts(): Record<string, unknown> },
  keys: readonly K[],
): Partial<Record<K, never>> {
  const opts = parent.opts();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = opts[k];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out as Partial<Record<K, never>>;
}

/** `atlasguard monitor FILE|-`, `monitor simulate`, `monitor report`, `monitor rules`: the inference monitor. */
export const registerMonitor: RegisterCommand = (program, ctx) => {
  const monitor = program
    .command('monitor')
    .description('watch inference logs (JSONL) for attacks on deployed models and raise ATLAS-mapped alerts')
    .argument('[file]', 'JSONL file of inference events, or - for stdin')
    .option('-f, --follow', 'keep reading as the file grows (survives rotation and truncation)')
    .option('--alerts <path>', 'write alerts as JSONL (atomically; appended line by line with --follow)')
    .addOption(new Option('--format <format>', 'summary format').choices(FORMATS).default('text' as const))
    .option('--out <path>', 'write the summary to PATH (atomically) instead of stdout')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when an alert is at or above this severity')
        .choices(FAIL_ON)
        .default('medium' as const),
    )
    .option('--metrics-port <n>', 'serve Prometheus metrics on this port (0 = any free port)')
    .option('--metrics-host <host>', 'address for the metrics server', '127.0.0.1')
    .option('--webhook <url>', 'POST each alert as JSON to this URL (retries with backoff, bounded queue)')
    .option('--rules <dir>', 'extra YAML detection rules (repeatable)', collect, [] as string[])
    .option('--no-builtin-rules', 'do not load the rules shipped with AtlasGuard')
    .option('--config <file>', 'JSON file with detector thresholds (see docs/monitor.md)')
    .option(
      '--canary <string>',
      'canary string whose appearance in an output is an alert (repeatable)',
      collect,
      [] as string[],
    )
    .option('--detectors <list>', 'comma-separated detectors to run (default: all)')
    .option('--max-line-length <n>', 'longest input line accepted, in characters (default 1048576)')
    .option('--labels <file>', 'score alerts against simulator labels (monitor simulate --labels)')
    .option('--idle-exit <seconds>', 'with --follow: stop after this many seconds without new data')
    .option('--nats <url>', 'run as a JetStream worker instead of reading a file (see docs/monitor.md)')
    .option('--nats-stream <name>', 'JetStream stream of events', 'AG_EVENTS')
    .option('--nats-subject <prefix>', 'subject prefix of events and alerts', 'ag')
    .option('--partitions <n>', 'number of principal partitions', '8')
    .option('--partition <list>', 'partitions this worker owns, e.g. 0,1,2 (default: all)')
    .option('--checkpoint-every <n>', 'checkpoint detector state every N events', '1000')
    .action(async (file, flags) => {
      await guard(ctx, () => runMonitorCommand(ctx, file, flags));
    });
  registerSimulate(monitor, ctx);
  registerReport(monitor, ctx);
  registerRules(monitor, ctx);
  registerPublish(monitor, ctx);
};

async function guard(_ctx: CliContext, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof UsageError) {
      const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
      throw new AtlasGuardError(error.message, {
        exitCode: ExitCode.Usage,
        hint: 'see `atlasguard monitor --help`',
      });
    }
    throw error;
  }
}

async function loadConfig(
  ctx: CliContext,
  flags: MonitorFlags,
): Promise<import('@atlasguard/monitor').MonitorConfig> {
  const { readFile } = await import('node:fs/promises');
  const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
  const { monitorConfigSchema } = await import('@atlasguard/monitor');
  let raw: unknown = {};
  if (flags.config !== undefined) {
    const path = resolve(ctx.cwd, flags.config);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new AtlasGuardError(
        `cannot read config: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { position: { file: path }, exitCode: ExitCode.Usage },
      );
    }
    if (text.length > 4 * 1024 * 1024)
      throw new AtlasGuardError('config larger than 4 MiB', {
        position: { file: path },
        exitCode: ExitCode.Usage,
      });
    try {
      raw = JSON.parse(text) as unknown;
    } catch (error) {
      throw new AtlasGuardError(`config is not JSON: ${(error as Error).message}`, {
        position: { file: path },
        exitCode: ExitCode.Usage,
        hint: 'the config is a JSON object of detector thresholds',
      });
    }
  }
  const parsed = monitorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AtlasGuardError(
      `invalid config: ${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? ''}`,
      {
        ...(flags.config !== undefined ? { position: { file: resolve(ctx.cwd, flags.config) } } : {}),
        exitCode: ExitCode.Usage,
        hint: 'see docs/monitor.md, "Thresholds"',
      },
    );
  }
  const config = parsed.data;
  config.leakage.canaries = [...config.leakage.canaries, ...flags.canary];
  return config;
}

async function loadAllRules(
  ctx: CliContext,
  flags: { rules: string[]; builtinRules: boolean },
): Promise<import('@atlasguard/monitor').CompiledRule[]> {
  const m = await import('@atlasguard/monitor');
  const rules = [];
  if (flags.builtinRules) rules.push(...(await m.loadRulesDir(m.BUILTIN_RULES_DIR)));
  for (const dir of flags.rules) rules.push(...(await m.loadRulesDir(resolve(ctx.cwd, dir))));
  m.checkUniqueIds(rules);
  try {
    const { loadCatalog } = await import('@atlasguard/io');
    const { catalog } = await loadCatalog({ atlasData: ctx.globals().atlasData, env: ctx.env, cwd: ctx.cwd });
    m.checkRuleTechniques(rules, catalog);
  } catch (error) {
    const { AtlasGuardError } = await import('@atlasguard/core');
    if (error instanceof AtlasGuardError && error.message.startsWith('rule ')) throw error;
    if (!ctx.globals().quiet)
      ctx.stderr.write('atlasguard: note: no ATLAS data loaded; rule technique IDs checked for shape only\n');
  }
  return rules;
}

async function runMonitorCommand(
  ctx: CliContext,
  file: string | undefined,
  flags: MonitorFlags,
): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { createWriteStream } = await import('node:fs');
  const { AtlasGuardError, ExitCode, isAtOrAbove } = await import('@atlasguard/core');
  const m = await import('@atlasguard/monitor');
  const { emit, toJson } = await import('../output/emit.js');
  const { writeFileAtomic } = await import('@atlasguard/io');
  const globals = ctx.globals();
  const note = (s: string): void => {
    if (!globals.quiet) ctx.stderr.write(`atlasguard: ${s}\n`);
  };
  const config = await loadConfig(ctx, flags);
  const rules = await loadAllRules(ctx, flags);
  const detectors = flags.detectors
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (detectors) {
    const known = new Set<string>([...m.DETECTOR_IDS, 'rules']);
    const unknown = detectors.filter((d) => !known.has(d));
    if (unknown.length > 0)
      throw new UsageError(`unknown detector ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  }
  const maxLineLength = int('--max-line-length', flags.maxLineLength, 256, 64 * 1024 * 1024);
  const metricsPort = int('--metrics-port', flags.metricsPort, 0, 65535);
  const idleExit = flags.idleExit !== undefined ? Number(flags.idleExit) : undefined;
  if (idleExit !== undefined && !(idleExit > 0))
    throw new UsageError('--idle-exit must be a positive number of seconds');
  let labels: import('@atlasguard/monitor').LabelsInput | undefined;
  if (flags.labels !== undefined) {
    const path = resolve(ctx.cwd, flags.labels);
    try {
      labels = m.labelsSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (error) {
      throw new AtlasGuardError(`cannot use labels: ${(error as Error).message.split('\n')[0] ?? ''}`, {
        position: { file: path },
        exitCode: ExitCode.Usage,
      });
    }
    config.leakage.canaries = [...new Set([...config.leakage.canaries, ...labels.canaries])];
  }
  let webhookUrl: string | undefined;
  if (flags.webhook !== undefined) {
    let u: URL;
    try {
      u = new URL(flags.webhook);
    } catch {
      throw new UsageError('--webhook must be an http(s) URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new UsageError('--webhook must be an http(s) URL');
    webhookUrl = u.toString();
  }

  if (flags.nats !== undefined) {
    const { runNatsWorker } = await import('@atlasguard/monitor/nats');
    const partitions = int('--partitions', flags.partitions, 1, 1024) ?? 8;
    const owned = flags.partition
      ?.split(',')
      .map((s) => int('--partition', s.trim(), 0, partitions - 1) ?? 0);
    const controller = new AbortController();
    const stop = (): void => {
      controller.abort();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await runNatsWorker({
        url: flags.nats,
        stream: flags.natsStream ?? 'AG_EVENTS',
        subjectPrefix: flags.natsSubject ?? 'ag',
        partitions,
        owned: owned ?? Array.from({ length: partitions }, (_, i) => i),
        config,
        rules,
        checkpointEvery: int('--checkpoint-every', flags.checkpointEvery, 1, 10_000_000) ?? 1000,
        signal: controller.signal,
        ...(idleExit !== undefined ? { idleExitMs: idleExit * 1000 } : {}),
      });
      note(
        `nats worker stopped: ${result.events} events, ${result.alerts} alerts published${result.consumerResets > 0 ? `, ${result.consumerResets} consumer re-reads after messages lost in delivery` : ''}`,
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return;
  }

  if (file === undefined) throw new UsageError('monitor needs a FILE or - for stdin (or --nats URL)');
  const input = file === '-' ? '-' : resolve(ctx.cwd, file);
  const follow = flags.follow === true;
  const alertsPath = flags.alerts !== undefined ? resolve(ctx.cwd, flags.alerts) : undefined;
  const appendStream =
    follow && alertsPath !== undefined ? createWriteStream(alertsPath, { flags: 'a' }) : undefined;
  const webhook = webhookUrl !== undefined ? new m.WebhookSink({ url: webhookUrl }) : undefined;
  let metrics: Awaited<ReturnType<typeof m.startMetricsServer>> | undefined;
  let monitorRef: import('@atlasguard/monitor').Monitor | undefined;
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  if (follow) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  let result;
  try {
    if (metricsPort !== undefined) {
      metrics = await m.startMetricsServer(metricsPort, flags.metricsHost, () =>
        monitorRef
          ? m.renderMetrics(
              monitorRef,
              webhook
                ? {
                    webhookQueue: () => webhook.queued,
                    webhookDropped: () => webhook.dropped,
                    webhookFailed: () => webhook.failed,
                  }
                : {},
            )
          : '',
      );
      note(`metrics on http://${flags.metricsHost}:${metrics.port}/metrics`);
    }
    result = await m.runMonitor({
      input,
      follow,
      config,
      rules,
      signal: controller.signal,
      ...(detectors ? { detectors } : {}),
      ...(maxLineLength !== undefined ? { maxLineLength } : {}),
      ...(idleExit !== undefined ? { idleExitMs: idleExit * 1000 } : {}),
      onStart: (mon) => {
        monitorRef = mon;
      },
      onRotate: (kind) => {
        note(`${input} was ${kind}; continuing`);
      },
      onAlert: (alert) => {
        appendStream?.write(`${JSON.stringify(alert)}\n`);
        webhook?.push(alert);
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (appendStream) await new Promise<void>((r) => appendStream.end(r));
    await webhook?.close();
    await metrics?.close();
  }
  const { stats, alerts } = result;
  if (alertsPath !== undefined && !follow)
    await writeFileAtomic(alertsPath, alerts.map((a) => `${JSON.stringify(a)}\n`).join(''));
  const evaluation = labels ? m.evaluate(alerts, labels) : undefined;
  if (flags.format === 'json') {
    await emit(
      ctx,
      toJson({
        tool: 'atlasguard monitor',
        stats,
        ...(evaluation ? { evaluation } : {}),
        ...(webhook
          ? { webhook: { sent: webhook.sent, dropped: webhook.dropped, failed: webhook.failed } }
          : {}),
      }),
      flags.out,
    );
  } else {
    await emit(ctx, m.renderSummary(stats, alerts, evaluation), flags.out);
  }
  if (stats.events === 0) {
    if (stats.malformed > 0) {
      note(`no valid events: all ${stats.malformed} non-empty lines were malformed`);
      ctx.setExitCode(ExitCode.Error);
    } else {
      ctx.setExitCode(ExitCode.NothingToScan);
    }
    return;
  }
  const failing =
    flags.failOn !== 'none' &&
    alerts.some((a) => isAtOrAbove(a.severity, flags.failOn as import('@atlasguard/core').Severity));
  ctx.setExitCode(failing ? ExitCode.Findings : ExitCode.Ok);
}

function registerSimulate(monitor: Command<[string | undefined]>, ctx: CliContext): void {
  monitor
    .command('simulate')
    .description(
      'write realistic benign inference traffic with labelled attack campaigns (seeded, deterministic)',
    )
    .option('--out <path>', 'events JSONL (default stdout)')
    .option('--labels <path>', 'write the ground-truth labels (JSON) here')
    .option('--seed <n>', 'random seed', '1')
    .option('--principals <n>', 'benign principals', '1000')
    .option('--hours <n>', 'simulated hours', '3')
    .option('--attackers-per-kind <n>', 'attacker principals per campaign kind', '5')
    .option('--kinds <list>', 'comma-separated campaign kinds (default: all)')
    .action(async (own) => {
      await guard(ctx, async () => {
        const flags = { ...own, ...inherited(monitor, ['out', 'labels']) };
        const { createWriteStream } = await import('node:fs');
        const { rename, rm } = await import('node:fs/promises');
        const m = await import('@atlasguard/monitor');
        const { writeFileAtomic } = await import('@atlasguard/io');
        const seed = int('--seed', flags.seed, 0, 2 ** 31) ?? 1;
        const principals = int('--principals', flags.principals, 0, 10_000_000) ?? 1000;
        const hours = Number(flags.hours);
        if (!(hours > 0 && hours <= 24 * 31)) throw new UsageError('--hours must be a number from 0 to 744');
        const attackersPerKind = int('--attackers-per-kind', flags.attackersPerKind, 0, 10_000) ?? 5;
        const kinds = flags.kinds?.split(',').map((k) => k.trim());
        for (const k of kinds ?? [])
          if (!(k in m.CAMPAIGN_KINDS))
            throw new UsageError(`unknown campaign kind ${k} (known: ${m.CAMPAIGN_KIND_LIST.join(', ')})`);
        const sim = m.simulate({
          seed,
          principals,
          hours,
          attackersPerKind,
          ...(kinds ? { kinds: kinds as import('@atlasguard/monitor').CampaignKind[] } : {}),
        });
        let count = 0;
        if (flags.out === undefined || flags.out === '-') {
          for (const line of sim.lines) {
            ctx.stdout.write(`${line}\n`);
            count++;
          }
        } else {
          const target = resolve(ctx.cwd, flags.out);
          const tmp = `${target}.${String(process.pid)}.tmp`;
          const out = createWriteStream(tmp);
          try {
            let buf: string[] = [];
            for (const line of sim.lines) {
              buf.push(line);
              count++;
              if (buf.length >= 2000) {
                if (!out.write(`${buf.join('\n')}\n`))
                  await new Promise<void>((r) =>
                    out.once('drain', () => {
                      r();
                    }),
                  );
                buf = [];
              }
            }
            if (buf.length > 0) out.write(`${buf.join('\n')}\n`);
            await new Promise<void>((r, j) => {
              out.end((e?: Error | null) => {
                if (e) j(e);
                else r();
              });
            });
            await rename(tmp, target);
          } catch (error) {
            await rm(tmp, { force: true });
            throw error;
          }
        }
        if (flags.labels !== undefined)
          await writeFileAtomic(resolve(ctx.cwd, flags.labels), `${JSON.stringify(sim.labels, null, 2)}\n`);
        if (!ctx.globals().quiet)
          ctx.stderr.write(
            `atlasguard: simulated ${count} events, ${sim.labels.campaigns.length} attack campaigns\n`,
          );
      });
    });
}

function registerReport(monitor: Command<[string | undefined]>, ctx: CliContext): void {
  monitor
    .command('report')
    .description(
      'render alerts (JSONL from --alerts) as a self-contained HTML report with timelines per principal',
    )
    .argument('<alerts>', 'alerts JSONL')
    .option('--out <path>', 'HTML file (default stdout)')
    .option('--title <text>', 'report title')
    .action(async (alertsFile, own) => {
      const flags = { ...own, ...inherited(monitor, ['out']) };
      const { readFile, stat } = await import('node:fs/promises');
      const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
      const m = await import('@atlasguard/monitor');
      const { emit } = await import('../output/emit.js');
      const path = resolve(ctx.cwd, alertsFile);
      let text: string;
      try {
        const st = await stat(path);
        if (st.size > 512 * 1024 * 1024)
          throw new AtlasGuardError('alerts file larger than 512 MiB', { position: { file: path } });
        text = await readFile(path, 'utf8');
      } catch (error) {
        if (error instanceof AtlasGuardError) throw error;
        throw new AtlasGuardError(
          `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          { position: { file: path }, exitCode: ExitCode.NothingToScan },
        );
      }
      const alerts: import('@atlasguard/monitor').Alert[] = [];
      let bad = 0;
      let firstBad: number | undefined;
      text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          alerts.push(m.alertSchema.parse(JSON.parse(line)));
        } catch {
          bad++;
          firstBad ??= i + 1;
        }
      });
      if (bad > 0 && !ctx.globals().quiet)
        ctx.stderr.write(
          `atlasguard: ${path}:${String(firstBad ?? 0)}: ${bad} unreadable alert line(s) skipped\n`,
        );
      await emit(
        ctx,
        m.renderHtmlReport(alerts, {
          source: alertsFile,
          malformedAlertLines: bad,
          ...(flags.title !== undefined ? { title: flags.title } : {}),
        }),
        flags.out,
      );
      ctx.setExitCode(alerts.length === 0 && bad === 0 ? ExitCode.NothingToScan : ExitCode.Ok);
    });
}

function registerRules(monitor: Command<[string | undefined]>, ctx: CliContext): void {
  monitor
    .command('rules')
    .description('list the detection rules and run their embedded positive and negative test events')
    .option('--rules <dir>', 'extra YAML rule directory (repeatable)', collect, [] as string[])
    .option('--no-builtin-rules', 'skip the rules shipped with AtlasGuard')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text' as const))
    .action(async (own) => {
      const flags = { ...own, ...inherited(monitor, ['rules', 'builtinRules', 'format']) };
      const m = await import('@atlasguard/monitor');
      const { ExitCode } = await import('@atlasguard/core');
      const { emit, toJson } = await import('../output/emit.js');
      const rules = await loadAllRules(ctx, flags);
      const results = m.runRuleTests(rules);
      const failed = results.filter((r) => !r.passed);
      if (flags.format === 'json') {
        await emit(
          ctx,
          toJson({
            rules: rules.map((r) => ({
              id: r.id,
              title: r.doc.title,
              level: r.severity,
              techniques: r.techniques,
              source: r.source,
            })),
            tests: results,
          }),
          undefined,
        );
      } else {
        const lines = rules.map(
          (r) =>
            `${r.id.padEnd(34)} ${r.severity.padEnd(8)} ${r.techniques.join(',').padEnd(28)} ${r.doc.title}`,
        );
        lines.push(`${results.length - failed.length}/${results.length} rule tests passed`);
        for (const f of failed)
          lines.push(`FAIL ${f.rule} ${f.kind} #${f.index + 1} (${f.alerts} alerts) ${f.source}`);
        await emit(ctx, lines.join('\n'), undefined);
      }
      ctx.setExitCode(
        failed.length > 0 ? ExitCode.Findings : rules.length === 0 ? ExitCode.NothingToScan : ExitCode.Ok,
      );
    });
}

function registerPublish(monitor: Command<[string | undefined]>, ctx: CliContext): void {
  monitor
    .command('publish')
    .description('publish a JSONL event file to JetStream, partitioned by principal (for --nats workers)')
    .argument('<file>', 'JSONL file of inference events')
    .option('--nats <url>', 'NATS server URL')
    .option('--nats-stream <name>', 'JetStream stream of events', 'AG_EVENTS')
    .option('--nats-subject <prefix>', 'subject prefix', 'ag')
    .option('--partitions <n>', 'number of principal partitions', '8')
    .action(async (file, own) => {
      await guard(ctx, async () => {
        const flags = { ...own, ...inherited(monitor, ['nats', 'natsStream', 'natsSubject', 'partitions']) };
        if (flags.nats === undefined) throw new UsageError('publish needs --nats URL');
        const { publishFile } = await import('@atlasguard/monitor/nats');
        const partitions = int('--partitions', flags.partitions, 1, 1024) ?? 8;
        const r = await publishFile({
          url: flags.nats,
          file: resolve(ctx.cwd, file),
          stream: flags.natsStream,
          subjectPrefix: flags.natsSubject,
          partitions,
        });
        if (!ctx.globals().quiet)
          ctx.stderr.write(
            `atlasguard: published ${r.published} events (${r.malformed} malformed lines skipped)\n`,
          );
      });
    });
}
