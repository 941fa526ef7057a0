/**
 * Prometheus text exposition of the server's own counters. Labels are bounded: method (a fixed set), the
 * route template (finite), and the status class (2xx…5xx).
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Series>();
  private readonly started = Date.now();
  loginFailures = 0;
  rateLimited = 0;

  observe(method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    const cls = `${String(Math.min(Math.max(Math.floor(status / 100), 1), 5))}xx`;
    const key = `method="${m}",route="${escapeLabel(route)}",status="${cls}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const dkey = `method="${m}",route="${escapeLabel(route)}"`;
    let s = this.durations.get(dkey);
    if (s === undefined) {
      s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.durations.set(dkey, s);
    }
    s.count += 1;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
  }

  render(extra: Record<string, number> = {}): string {
    const out: string[] = [];
    out.push('# HELP atlasguard_http_requests_total HTTP requests by method, route and status class.');
    out.push('# TYPE atlasguard_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`atlasguard_http_requests_total{${k}} ${String(v)}`);
    out.push('# HELP atlasguard_http_request_duration_seconds HTTP request duration.');
    out.push('# TYPE atlasguard_http_request_duration_seconds histogram');
    for (const [k, s] of this.durations) {
      BUCKETS.forEach((b, i) => {
        out.push(
          `atlasguard_http_request_duration_seconds_bucket{${k},le="${String(b)}"} ${String(s.buckets[i] ?? 0)}`,
        );
      });
      out.push(`atlasguard_http_request_duration_seconds_bucket{${k},le="+Inf"} ${String(s.count)}`);
      out.push(`atlasguard_http_request_duration_seconds_sum{${k}} ${String(s.sum)}`);
      out.push(`atlasguard_http_request_duration_seconds_count{${k}} ${String(s.count)}`);
    }
    out.push('# HELP atlasguard_login_failures_total Failed logins.');
    out.push('# TYPE atlasguard_login_failures_total counter');
    out.push(`atlasguard_login_failures_total ${String(this.loginFailures)}`);
    out.push('# HELP atlasguard_rate_limited_total Requests refused by the login rate limiter.');
    out.push('# TYPE atlasguard_rate_limited_total counter');
    out.push(`atlasguard_rate_limited_total ${String(this.rateLimited)}`);
    const mem = process.memoryUsage();
    out.push('# HELP atlasguard_process_resident_memory_bytes Resident memory.');
    out.push('# TYPE atlasguard_process_resident_memory_bytes gauge');
    out.push(`atlasguard_process_resident_memory_bytes ${String(mem.rss)}`);
    out.push('# HELP atlasguard_process_uptime_seconds Seconds since the server started.');
    out.push('# TYPE atlasguard_process_uptime_seconds gauge');
    out.push(`atlasguard_process_uptime_seconds ${String((Date.now() - this.started) / 1000)}`);
    for (const [name, value] of Object.entries(extra)) {
      out.push(`# TYPE ${name} gauge`, `${name} ${String(value)}`);
    }
    return `${out.join('\n')}\n`;
  }
}
