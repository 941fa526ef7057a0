import { createServer, type Server } from 'node:http';
import type { Monitor } from '../engine.js';

export interface MetricsExtra {
  webhookQueue?: () => number;
  webhookDropped?: () => number;
  webhookFailed?: () => number;
  now?: () => number;
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * Prometheus text exposition (format 0.0.4), written directly. Labels are bounded by construction: detector
 * ids, ATLAS technique ids and severities — never principals, prompts or hashes.
 */
export function renderMetrics(monitor: Monitor, extra: MetricsExtra = {}): string {
  const out: string[] = [];
  const metric = (
    name: string,
    type: string,
    help: string,
    samples: [Record<string, string>, number][],
  ): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      out.push(`${name}${l === '' ? '' : `{${l}}`} ${Number.isFinite(value) ? String(value) : '0'}`);
    }
  };
  const c = monitor.counters;
  metric('atlasguard_monitor_lines_total', 'counter', 'Input lines read.', [[{}, c.lines]]);
  metric('atlasguard_monitor_events_total', 'counter', 'Inference events accepted.', [[{}, c.events]]);
  metric(
    'atlasguard_monitor_malformed_lines_total',
    'counter',
    'Lines rejected (invalid JSON, not an event, too long).',
    [[{}, c.malformed]],
  );
  metric(
    'atlasguard_monitor_alerts_suppressed_total',
    'counter',
    'Duplicate alerts merged by de-duplication.',
    [[{}, c.suppressed]],
  );
  const alerts: [Record<string, string>, number][] = [];
  for (const [key, n] of monitor.alertsByDetectorTechnique) {
    const [detector = '', technique = '', severity = ''] = key.split('\u0000');
    alerts.push([{ detector, technique, severity }, n]);
  }
  alerts.sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
  metric(
    'atlasguard_monitor_alerts_total',
    'counter',
    'Alerts raised, by detector, ATLAS technique and severity.',
    alerts,
  );
  const last = monitor.lastEventTime;
  const now = (extra.now ?? Date.now)();
  metric('atlasguard_monitor_event_lag_seconds', 'gauge', 'Wall-clock time minus the newest event time.', [
    [{}, last === undefined ? 0 : Math.max(0, (now - last) / 1000)],
  ]);
  const stats = monitor.stats();
  metric(
    'atlasguard_monitor_tracked_entities',
    'gauge',
    'Keys (principals, conversations, destinations) held per detector.',
    stats.detectors.map((d) => [{ detector: d.id }, d.tracked]),
  );
  metric(
    'atlasguard_monitor_state_bytes',
    'gauge',
    'Estimated bytes of detector state.',
    stats.detectors.map((d) => [{ detector: d.id }, d.stateBytes]),
  );
  metric(
    'atlasguard_monitor_detector_skipped_events_total',
    'counter',
    'Events a detector skipped because fields it needs were absent.',
    stats.detectors.map((d) => [{ detector: d.id }, d.skipped]),
  );
  if (extra.webhookQueue)
    metric('atlasguard_monitor_webhook_queue_length', 'gauge', 'Alerts waiting for the webhook.', [
      [{}, extra.webhookQueue()],
    ]);
  if (extra.webhookDropped)
    metric(
      'atlasguard_monitor_webhook_dropped_total',
      'counter',
      'Alerts dropped because the webhook queue was full.',
      [[{}, extra.webhookDropped()]],
    );
  if (extra.webhookFailed)
    metric(
      'atlasguard_monitor_webhook_failed_total',
      'counter',
      'Alerts given up after all webhook retries.',
      [[{}, extra.webhookFailed()]],
    );
  return `${out.join('\n')}\n`;
}

/** Serves GET /metrics; binds 127.0.0.1 unless told otherwise. Resolves once listening. */
export async function startMetricsServer(
  port: number,
  host: string,
  render: () => string,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?') === true)) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(render());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  return {
    server,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
