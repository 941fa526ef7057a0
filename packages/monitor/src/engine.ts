import { alertSchema, iso, type Alert, type AlertDraft } from './alert.js';
import type { MonitorConfig } from './config.js';
import { hasField, type EventField, type InferenceEvent } from './event/event.js';
import { fieldMask, maskOf, MASK_FIELDS } from './event/field-mask.js';
import { MappingError, toEvent } from './event/mapping.js';
import { FastEvents } from './event/fast-event.js';
import { KeyInterner } from './state/intern.js';
import { LruMap } from './state/lru.js';
import { type Detector, type DetectorContext, type Signals } from './detectors/detector.js';

export interface MalformedLine {
  line: number;
  reason: string;
}

export interface DetectorStats {
  id: string;
  evaluated: number;
  /** events that lacked the fields the detector needs */
  skipped: number;
  alerts: number;
  tracked: number;
  stateBytes: number;
}

export interface MonitorStats {
  lines: number;
  events: number;
  malformed: number;
  malformedSamples: MalformedLine[];
  oversizeLines: number;
  alerts: number;
  suppressedDuplicates: number;
  firstEventTime?: string;
  lastEventTime?: string;
  principals: number;
  detectors: DetectorStats[];
  alertsByRule: Record<string, number>;
  alertsBySeverity: Record<string, number>;
  alertsByTechnique: Record<string, number>;
}

const MAX_SAMPLES = 50;
const NO_ALERTS = Object.freeze([]) as unknown as Alert[];

class SignalBoard implements Signals {
  private readonly map: LruMap<string, { t: number; r: string }>;
  constructor(
    private readonly ttlMs: number,
    max: number,
  ) {
    this.map = new LruMap(max);
  }
  markSuspicious(key: string, time: number, reason: string): void {
    this.map.set(key, { t: time, r: reason });
  }
  suspicion(key: string, time: number): string | undefined {
    const s = this.map.peek(key);
    if (!s) return undefined;
    return time - s.t <= this.ttlMs && time >= s.t - 1000 ? s.r : undefined;
  }
  get size(): number {
    return this.map.size;
  }
  snapshot(): unknown {
    return [...this.map.entries()];
  }
  restore(data: unknown): void {
    this.map.clear();
    if (!Array.isArray(data)) return;
    for (const e of data)
      if (Array.isArray(e) && typeof e[0] === 'string') this.map.set(e[0], e[1] as { t: number; r: string });
  }
}

interface DetectorSlot {
  detector: Detector;
  stats: DetectorStats;
  /**
   * the detector's `requires` and `requiresAny` as field masks (field-mask.ts), read once: slots have one
   * shape, detectors six
   */
  requires: number;
  requiresAny: number;
  /** the detector declares `requiresAny` (an empty list accepts nothing, as before) */
  hasAny: boolean;
  /** a declared name outside `MASK_FIELDS` (a detector from elsewhere): decided field by field as before */
  byField: { requires: readonly EventField[]; requiresAny: readonly EventField[] | undefined } | undefined;
}

/**
 * The monitor: JSON lines → events (mapping layer, zod) → every detector whose declared fields are present →
 * de-duplicated alerts. Never throws on input: malformed lines are counted and sampled with line numbers.
 */
export class Monitor {
  private readonly slots: DetectorSlot[];
  private readonly signals: SignalBoard;
  private readonly dedup: LruMap<string, { until: number; n: number }>;
  private readonly principals: LruMap<string, number>;
  private readonly keys: KeyInterner;
  /** flat DESIGN.md records become one reused event without a canonical copy (fast-event.ts) */
  private readonly fast = new FastEvents();
  private current: DetectorSlot | undefined;
  private readonly ctx: DetectorContext;
  /** alerts raised by the current event; the shared empty list until one is raised (no per-event array) */
  private pending: Alert[] = NO_ALERTS;
  readonly counters = {
    lines: 0,
    events: 0,
    malformed: 0,
    oversize: 0,
    alerts: 0,
    suppressed: 0,
  };
  private readonly samples: MalformedLine[] = [];
  private firstTime: number | undefined;
  /** newest event time; a number field (an `undefined` start would box every time stored), valid if `timed` */
  private lastTime = -Infinity;
  private timed = false;
  readonly alertsByRule = new Map<string, number>();
  readonly alertsBySeverity = new Map<string, number>();
  readonly alertsByTechnique = new Map<string, number>();
  readonly alertsByDetectorTechnique = new Map<string, number>();

  constructor(
    readonly config: MonitorConfig,
    detectors: readonly Detector[],
    private readonly onAlert?: (alert: Alert) => void,
  ) {
    this.slots = detectors.map((detector) => ({
      detector,
      stats: { id: detector.id, evaluated: 0, skipped: 0, alerts: 0, tracked: 0, stateBytes: 0 },
      requires: maskOf(detector.requires),
      requiresAny: maskOf(detector.requiresAny ?? []),
      hasAny: detector.requiresAny !== undefined,
      byField: [...detector.requires, ...(detector.requiresAny ?? [])].every((f) => MASK_FIELDS.includes(f))
        ? undefined
        : {
            requires: [...detector.requires],
            requiresAny: detector.requiresAny && [...detector.requiresAny],
          },
    }));
    this.signals = new SignalBoard(config.agent.suspicionSeconds * 1000, config.maxPrincipals);
    this.dedup = new LruMap(config.maxPrincipals);
    this.principals = new LruMap(config.maxPrincipals);
    this.keys = new KeyInterner(2 * config.maxPrincipals);
    this.ctx = {
      emit: (draft) => {
        this.emit(draft);
      },
      signals: this.signals,
    };
  }

  get detectors(): readonly Detector[] {
    return this.slots.map((s) => s.detector);
  }

  /** One line of JSONL; returns the alerts it raised (also passed to onAlert). */
  processLine(text: string, line: number): Alert[] {
    this.counters.lines++;
    // a JSON line starts with '{' in practice: only other lines pay for trim()
    if (text.charCodeAt(0) !== 123 && text.trim() === '') return [];
    let raw: unknown;
    try {
      raw = JSON.parse(text) as unknown;
    } catch (error) {
      this.malformed(line, `invalid JSON: ${(error as Error).message.slice(0, 120)}`);
      return [];
    }
    const fast = this.fast.from(raw, line);
    if (fast !== undefined) return this.dispatch(fast, this.fast.mask);
    let event: InferenceEvent;
    try {
      event = toEvent(raw, line);
    } catch (error) {
      if (error instanceof MappingError || error instanceof RangeError || error instanceof SyntaxError) {
        this.malformed(line, error.message.slice(0, 200));
        return [];
      }
      throw error;
    }
    return this.processEvent(event);
  }

  /** A line longer than the maximum: counted, never parsed. */
  oversize(line: number, bytes: number): void {
    this.counters.lines++;
    this.counters.oversize++;
    this.malformed(line, `line longer than the maximum (${bytes} characters)`);
  }

  malformed(line: number, reason: string): void {
    this.counters.malformed++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push({ line, reason });
  }

  processEvent(event: InferenceEvent): Alert[] {
    return this.dispatch(event, fieldMask(event));
  }

  /** `processEvent` with the event's `fieldMask` already known. */
  private dispatch(event: InferenceEvent, mask: number): Alert[] {
    this.counters.events++;
    this.firstTime ??= event.time;
    // Math.max(-Infinity, t) is t for every t, NaN included: the first event's time as before
    this.lastTime = Math.max(this.lastTime, event.time);
    this.timed = true;
    const key = (event.key = this.keys.key(event.tenant, event.principal));
    if (this.principals.get(key) === undefined) this.principals.set(key, 1);
    this.pending = NO_ALERTS;
    for (const slot of this.slots) {
      if (
        slot.byField === undefined
          ? (mask & slot.requires) !== slot.requires || (slot.hasAny && (mask & slot.requiresAny) === 0)
          : !accepts(slot.byField, event)
      ) {
        slot.stats.skipped++;
        continue;
      }
      slot.stats.evaluated++;
      this.current = slot;
      slot.detector.observe(event, this.ctx);
    }
    this.current = undefined;
    return this.pending;
  }

  private emit(draft: AlertDraft): void {
    const slot = this.current;
    const detector = slot?.detector.id ?? 'unknown';
    const key = `${detector}\u0000${draft.ruleId}\u0000${draft.tenant}\u0000${draft.principal}`;
    const seen = this.dedup.get(key);
    const windowMs = this.config.dedupWindowSeconds * 1000;
    if (seen && draft.windowEnd <= seen.until) {
      seen.n++;
      this.counters.suppressed++;
      return;
    }
    this.dedup.set(key, { until: draft.windowEnd + windowMs, n: 0 });
    const alert: Alert = {
      time: iso(draft.windowEnd),
      detector,
      ruleId: draft.ruleId,
      severity: draft.severity,
      principal: draft.principal,
      tenant: draft.tenant,
      atlas: { techniques: draft.techniques },
      message: draft.message,
      evidence: draft.evidence,
      window: { start: iso(Math.min(draft.windowStart, draft.windowEnd)), end: iso(draft.windowEnd) },
    };
    alertSchema.parse(alert);
    this.counters.alerts++;
    if (slot) slot.stats.alerts++;
    bump(this.alertsByRule, draft.ruleId);
    bump(this.alertsBySeverity, draft.severity);
    for (const t of draft.techniques) {
      bump(this.alertsByTechnique, t);
      bump(this.alertsByDetectorTechnique, `${detector}\u0000${t}\u0000${draft.severity}`);
    }
    if (this.pending === NO_ALERTS) this.pending = [];
    this.pending.push(alert);
    this.onAlert?.(alert);
  }

  /** Event time of the newest event seen (ms), for lag. */
  get lastEventTime(): number | undefined {
    return this.timed ? this.lastTime : undefined;
  }

  stats(): MonitorStats {
    const detectors = this.slots.map((s) => ({
      ...s.stats,
      tracked: s.detector.tracked(),
      stateBytes: s.detector.stateBytes(),
    }));
    const out: MonitorStats = {
      lines: this.counters.lines,
      events: this.counters.events,
      malformed: this.counters.malformed,
      malformedSamples: [...this.samples],
      oversizeLines: this.counters.oversize,
      alerts: this.counters.alerts,
      suppressedDuplicates: this.counters.suppressed,
      principals: this.principals.size,
      detectors,
      alertsByRule: Object.fromEntries([...this.alertsByRule].sort()),
      alertsBySeverity: Object.fromEntries([...this.alertsBySeverity].sort()),
      alertsByTechnique: Object.fromEntries([...this.alertsByTechnique].sort()),
    };
    if (this.firstTime !== undefined) out.firstEventTime = iso(this.firstTime);
    if (this.timed) out.lastEventTime = iso(this.lastTime);
    return out;
  }

  /** Everything needed to resume: detector state, signals, de-dup memory, counters. */
  snapshot(): unknown {
    return {
      v: 1,
      detectors: Object.fromEntries(this.slots.map((s) => [s.detector.id, s.detector.snapshot()])),
      signals: this.signals.snapshot(),
      dedup: [...this.dedup.entries()],
      counters: { ...this.counters },
    };
  }

  restore(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const d = data as {
      detectors?: Record<string, unknown>;
      signals?: unknown;
      dedup?: unknown;
      counters?: Partial<Monitor['counters']>;
    };
    for (const s of this.slots) s.detector.restore(d.detectors?.[s.detector.id]);
    this.signals.restore(d.signals);
    this.dedup.clear();
    if (Array.isArray(d.dedup)) {
      for (const e of d.dedup as unknown[]) {
        if (Array.isArray(e) && typeof e[0] === 'string')
          this.dedup.set(e[0], e[1] as { until: number; n: number });
      }
    }
    if (d.counters) Object.assign(this.counters, d.counters);
  }
}

/** The event carries every field required and one of `requiresAny` (detectors with names outside the mask). */
function accepts(
  need: { requires: readonly EventField[]; requiresAny: readonly EventField[] | undefined },
  event: InferenceEvent,
): boolean {
  for (const f of need.requires) if (!hasField(event, f)) return false;
  return need.requiresAny === undefined || need.requiresAny.some((f) => hasField(event, f));
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
