import type { AlertDraft } from '../alert.js';
import type { EventField, InferenceEvent } from '../event/event.js';
import { LruMap, estimateBytes } from '../state/lru.js';

/** Signals detectors share: an injection seen in a conversation makes its later tool calls suspicious. */
export interface Signals {
  markSuspicious(key: string, time: number, reason: string): void;
  suspicion(key: string, time: number): string | undefined;
}

export interface DetectorContext {
  emit(draft: AlertDraft): void;
  signals: Signals;
}

export interface Detector {
  readonly id: string;
  readonly description: string;
  /** Every ATLAS technique this detector can name (checked against the catalog by a test). */
  readonly techniques: readonly string[];
  /** The detector sees only events that carry all of these; others are counted as skipped. */
  readonly requires: readonly EventField[];
  /** …and at least one of these, when given. */
  readonly requiresAny?: readonly EventField[];
  observe(event: InferenceEvent, ctx: DetectorContext): void;
  tracked(): number;
  stateBytes(): number;
  snapshot(): unknown;
  restore(data: unknown): void;
}

/** Base for detectors whose state is one JSON-like object per key (principal), LRU-bounded. */
export abstract class KeyedDetector<S> implements Detector {
  abstract readonly id: string;
  abstract readonly description: string;
  abstract readonly techniques: readonly string[];
  abstract readonly requires: readonly EventField[];
  protected readonly state: LruMap<string, S>;

  constructor(maxKeys: number) {
    this.state = new LruMap<string, S>(maxKeys);
  }

  abstract observe(event: InferenceEvent, ctx: DetectorContext): void;

  tracked(): number {
    return this.state.size;
  }

  stateBytes(): number {
    let n = 0;
    for (const [k, v] of this.state.entries()) n += 48 + k.length * 2 + estimateBytes(v);
    return n;
  }

  snapshot(): unknown {
    return [...this.state.entries()];
  }

  restore(data: unknown): void {
    this.state.clear();
    if (!Array.isArray(data)) return;
    for (const entry of data) {
      if (Array.isArray(entry) && typeof entry[0] === 'string') this.state.set(entry[0], entry[1] as S);
    }
  }
}

/**
 * Keeps the last `max` line numbers as evidence; returns the array to keep. Once full, the ring is a copy of
 * exactly `max` slots rotated in place: push/shift would leave V8's growth slack (up to twice the length).
 */
export function pushLine(lines: number[], line: number, max = 20): number[] {
  const n = lines.length;
  if (n < max - 1) {
    lines.push(line);
    return lines;
  }
  if (n === max - 1) {
    const full = new Array<number>(max);
    for (let i = 0; i < n; i++) full[i] = lines[i] as number;
    full[n] = line;
    return full;
  }
  // full: drop the oldest in place (more than `max` only in a hand-edited checkpoint)
  const drop = n - max + 1;
  for (let i = 0; i + drop < n; i++) lines[i] = lines[i + drop] as number;
  lines[max - 1] = line;
  if (n > max) lines.length = max;
  return lines;
}

/** The event's principal key, built once per event (see `InferenceEvent.key`). */
export const principalKey = (e: InferenceEvent): string => (e.key ??= `${e.tenant}\u0000${e.principal}`);
