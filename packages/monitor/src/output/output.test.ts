import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../alert.js';
import { ev, run } from '../test-support/events.js';
import { escapeHtml, renderHtmlReport } from '../report/html.js';
import { expectGolden } from '../test-support/golden.js';
import { renderMetrics, startMetricsServer } from './metrics.js';
import { WebhookSink } from './webhook.js';

const probes = Array.from({ length: 40 }, (_, i) =>
  ev(i, 'thief', { 'gen_ai.request.max_tokens': 1, 'atlasguard.request.logit_bias_count': 150 }),
);

function alert(over: Partial<Alert> = {}): Alert {
  return {
    time: '2026-01-05T09:00:10.000Z',
    detector: 'logprob',
    ruleId: 'AG-MON-LOGIT-EXTRACTION',
    severity: 'high',
    principal: 'thief',
    tenant: 'default',
    atlas: { techniques: ['AML.T0024.002'] },
    message: 'm',
    evidence: { lines: [1] },
    window: { start: '2026-01-05T09:00:00.000Z', end: '2026-01-05T09:00:10.000Z' },
    ...over,
  };
}

describe('Prometheus metrics', () => {
  it('renders the text exposition format with bounded labels only', () => {
    const { monitor } = run(probes);
    const text = renderMetrics(monitor, { now: () => Date.parse('2026-01-05T09:01:39.000Z') });
    expect(text).toContain('atlasguard_monitor_events_total 40');
    expect(text).toContain(
      'atlasguard_monitor_alerts_total{detector="logprob",technique="AML.T0024.002",severity="high"} 1',
    );
    expect(text).toContain('atlasguard_monitor_event_lag_seconds 60');
    expect(text).toMatch(/atlasguard_monitor_state_bytes\{detector="volume"\} \d+/);
    expect(text).not.toContain('thief');
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
  });
  it('serves /metrics on 127.0.0.1', async () => {
    const { monitor } = run(probes);
    const server = await startMetricsServer(0, '127.0.0.1', () => renderMetrics(monitor));
    try {
      expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
      const res = await fetch(`http://127.0.0.1:${String(server.port)}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('atlasguard_monitor_events_total 40');
      expect((await fetch(`http://127.0.0.1:${String(server.port)}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('webhook sink', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => {
      if (server) {
        server.closeAllConnections();
        server.close(() => {
          r();
        });
      } else r();
    });
    server = undefined;
  });
  async function listen(handler: (req: IncomingMessage, body: string) => number): Promise<string> {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(handler(req, body));
        res.end();
      });
    });
    await new Promise<void>((r) =>
      server?.listen(0, '127.0.0.1', () => {
        r();
      }),
    );
    const address = server.address();
    return `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}/hook`;
  }
  it('retries with backoff until the receiver accepts', async () => {
    let calls = 0;
    const received: string[] = [];
    const url = await listen((_req, body) => {
      calls++;
      if (calls < 3) return 503;
      received.push(body);
      return 204;
    });
    const sink = new WebhookSink({ url, baseDelayMs: 5 });
    sink.push(alert());
    await sink.close(5000);
    expect(calls).toBe(3);
    expect(sink.sent).toBe(1);
    expect(JSON.parse(received[0] ?? '{}')).toMatchObject({ ruleId: 'AG-MON-LOGIT-EXTRACTION' });
  });
  it('gives up after the last attempt, does not retry 4xx, and drops the oldest when the queue is full', async () => {
    const url = await listen(() => 400);
    const sink = new WebhookSink({ url, maxQueue: 2, baseDelayMs: 1 });
    for (let i = 0; i < 5; i++) sink.push(alert({ principal: `p${String(i)}` }));
    await sink.close(5000);
    expect(sink.dropped).toBeGreaterThanOrEqual(2);
    expect(sink.failed + sink.dropped).toBe(5);
    expect(sink.sent).toBe(0);
  });
  it('counts a dead receiver as failed after bounded retries', async () => {
    const sink = new WebhookSink({
      url: 'http://127.0.0.1:9/hook',
      maxAttempts: 2,
      baseDelayMs: 1,
      timeoutMs: 500,
    });
    sink.push(alert());
    await sink.close(5000);
    expect(sink.failed).toBe(1);
  });
});

describe('HTML report', () => {
  it('escapes hostile data and is self-contained (golden)', () => {
    const hostile = alert({
      principal: '<script>alert(1)</script>',
      message: '"><img src=x onerror=alert(1)>',
      time: '2026-01-05T09:05:00.000Z',
    });
    const html = renderHtmlReport(
      [
        alert(),
        hostile,
        alert({
          severity: 'critical',
          ruleId: 'AG-MON-CANARY',
          principal: 'leaky',
          atlas: { techniques: ['AML.T0057'] },
        }),
      ],
      { source: 'alerts.jsonl' },
    );
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
    expect(html).not.toMatch(/<script|src="http/);
    expectGolden('report.html', html);
  });
});
