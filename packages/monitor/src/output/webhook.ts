import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../alert.js';

export interface WebhookOptions {
  url: string;
  maxQueue?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/**
 * Posts each alert as JSON to a URL, one at a time, with exponential backoff on failure (network errors, 5xx,
 * 429). The queue is bounded: when full the oldest alert is dropped and counted, so a dead receiver cannot
 * grow memory. `close()` drains what it can within a deadline.
 */
export class WebhookSink {
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  sent = 0;
  dropped = 0;
  failed = 0;
  private readonly o: Required<Omit<WebhookOptions, 'headers'>> & { headers: Record<string, string> };

  constructor(options: WebhookOptions) {
    this.o = {
      url: options.url,
      maxQueue: options.maxQueue ?? 1000,
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      timeoutMs: options.timeoutMs ?? 5000,
      headers: options.headers ?? {},
    };
  }

  get queued(): number {
    return this.queue.length;
  }

  push(alert: Alert): void {
    if (this.closed) return;
    if (this.queue.length >= this.o.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(alert);
    this.running ??= this.pump().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0 && !this.closed) this.running = this.pump();
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const alert = this.queue[0];
      if (!alert) return;
      const ok = await this.deliver(alert);
      this.queue.shift();
      if (ok) this.sent++;
      else this.failed++;
    }
  }

  private async deliver(alert: Alert): Promise<boolean> {
    const body = JSON.stringify(alert);
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      try {
        const res = await fetch(this.o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.o.headers },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        if (res.status < 500 && res.status !== 429 && res.status !== 408) return false;
      } catch {
        // network error or timeout: retry
      }
      if (attempt < this.o.maxAttempts) {
        const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
        await sleep(delay * (0.5 + Math.random() / 2));
      }
    }
    return false;
  }

  /** Stops accepting alerts and waits up to `deadlineMs` for the queue to drain. */
  async close(deadlineMs = 10_000): Promise<void> {
    const pending = this.running;
    if (pending) await Promise.race([pending, sleep(deadlineMs)]);
    this.closed = true;
  }
}
