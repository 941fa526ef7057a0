import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import type { Alert } from './alert.js';
import type { MonitorConfig } from './config.js';
import { createDetectors } from './detectors/all.js';
import type { Detector } from './detectors/detector.js';
import { Monitor, type MonitorStats } from './engine.js';
import { followFile } from './input/follow.js';
import { LineSplitter } from './input/line-splitter.js';
import type { CompiledRule } from './rules/compile.js';
import { RulesDetector } from './rules/rules-detector.js';

export const DEFAULT_MAX_LINE = 1024 * 1024;

export interface RunMonitorOptions {
  /** a path, or '-' for `stdin` */
  input: string;
  stdin?: Readable;
  follow?: boolean;
  idleExitMs?: number;
  pollMs?: number;
  maxLineLength?: number;
  config: MonitorConfig;
  rules?: readonly CompiledRule[];
  detectors?: readonly string[];
  signal?: AbortSignal;
  onAlert?: (alert: Alert) => void;
  onRotate?: (kind: 'rotated' | 'truncated') => void;
  /** called with the monitor before reading, for metrics servers */
  onStart?: (monitor: Monitor) => void;
  /** keep at most this many alerts in memory for the result (the rest still go to onAlert) */
  keepAlerts?: number;
}

export interface RunMonitorResult {
  stats: MonitorStats;
  alerts: Alert[];
  alertsDropped: number;
  monitor: Monitor;
}

export function buildDetectors(
  config: MonitorConfig,
  rules: readonly CompiledRule[] | undefined,
  only?: readonly string[],
): Detector[] {
  const detectors = createDetectors(config, only);
  if (rules && rules.length > 0 && (only === undefined || only.includes('rules')))
    detectors.push(new RulesDetector(rules, config.maxPrincipals));
  return detectors;
}

/** Reads JSONL from a file, stdin or a followed file through the monitor. Never stops on bad input. */
export async function runMonitor(options: RunMonitorOptions): Promise<RunMonitorResult> {
  const alerts: Alert[] = [];
  let alertsDropped = 0;
  const keep = options.keepAlerts ?? 1_000_000;
  const monitor = new Monitor(
    options.config,
    buildDetectors(options.config, options.rules, options.detectors),
    (a) => {
      if (alerts.length < keep) alerts.push(a);
      else alertsDropped++;
      options.onAlert?.(a);
    },
  );
  options.onStart?.(monitor);
  const splitter = new LineSplitter(
    options.maxLineLength ?? DEFAULT_MAX_LINE,
    (text, line) => monitor.processLine(text, line),
    (line, bytes) => {
      monitor.oversize(line, bytes);
    },
  );
  if (options.follow === true) {
    if (options.input === '-')
      throw new AtlasGuardError('--follow needs a file, not stdin', {
        exitCode: ExitCode.Usage,
        hint: 'pipe into `atlasguard monitor -` without --follow',
      });
    for await (const chunk of followFile(options.input, {
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      ...(options.idleExitMs !== undefined ? { idleExitMs: options.idleExitMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onRotate ? { onRotate: options.onRotate } : {}),
    })) {
      if (chunk === 'rotated') splitter.end();
      else if (chunk === 'truncated') splitter.reset();
      else splitter.push(chunk);
    }
    splitter.end();
  } else {
    let stream: Readable;
    let handle: FileHandle | undefined;
    if (options.input === '-') {
      stream = options.stdin ?? process.stdin;
    } else {
      try {
        handle = await open(options.input, 'r');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        throw new AtlasGuardError(`cannot read ${options.input}: ${code}`, {
          exitCode: code === 'ENOENT' ? ExitCode.NothingToScan : ExitCode.Error,
          position: { file: options.input },
          hint: 'pass a JSONL file of inference events, or - for stdin',
        });
      }
      stream = createReadStream('', { fd: handle.fd, autoClose: false, highWaterMark: 256 * 1024 });
    }
    try {
      for await (const chunk of stream) {
        if (options.signal?.aborted === true) break;
        splitter.push(chunk as Buffer | string);
      }
      splitter.end();
    } finally {
      await handle?.close();
    }
  }
  return { stats: monitor.stats(), alerts, alertsDropped, monitor };
}
