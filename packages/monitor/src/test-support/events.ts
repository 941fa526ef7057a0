import type { Alert } from '../alert.js';
import { defaultConfig, monitorConfigSchema, type MonitorConfig } from '../config.js';
import { createDetectors } from '../detectors/all.js';
import { Monitor } from '../engine.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A flat DESIGN.md event at `T0 + seconds`. */
export function ev(
  seconds: number,
  user: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { timestamp: new Date(T0 + seconds * 1000).toISOString(), 'user.id': user, ...fields };
}

export const userSays = (text: string): Record<string, unknown> => ({
  'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: text }] }],
});
export const modelSays = (text: string): Record<string, unknown> => ({
  'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: text }] }],
});

/** Runs events through the built-in detectors (optionally only some) and returns the alerts. */
export function run(
  events: readonly Record<string, unknown>[],
  options: { only?: string[]; config?: Partial<Record<keyof MonitorConfig, unknown>> } = {},
): { alerts: Alert[]; monitor: Monitor } {
  const config = options.config ? monitorConfigSchema.parse(options.config) : defaultConfig();
  const alerts: Alert[] = [];
  const monitor = new Monitor(config, createDetectors(config, options.only), (a) => alerts.push(a));
  events.forEach((e, i) => monitor.processLine(JSON.stringify(e), i + 1));
  return { alerts, monitor };
}

export const rulesOf = (alerts: readonly Alert[]): string[] =>
  [...new Set(alerts.map((a) => a.ruleId))].sort();

/**
 * Keys that are not canonical record fields (OpenTelemetry and OpenInference names, aliases, containers,
 * prototype names): the mapping differential tests mix them into random records.
 */
export const NON_CANONICAL_KEYS: readonly string[] = [
  'service.name',
  'gen_ai.system',
  'severityText',
  'body',
  'timeUnixNano',
  'observedTimeUnixNano',
  '@timestamp',
  'enduser.id',
  'gen_ai.usage.prompt_tokens',
  'llm.model_name',
  'input.value',
  'openinference.span.kind',
  'llm.invocation_parameters',
  'llm.input_messages.0.message.content',
  'attributes',
  'resource',
  'gen_ai',
  'user',
  'toString',
  'constructor',
];
