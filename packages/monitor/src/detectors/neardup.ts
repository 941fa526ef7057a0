import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { fnv1a, hamming, simhash64, simhashFromHex } from '../content/simhash.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

interface NearDupState {
  /** ring of [hi, lo, exact] per recent query, as int32 bit patterns */
  fp: Int32Array;
  /**
   * ring of bits, 32 per number: the query had a near (not identical) duplicate among the earlier ones
   * (a few small integers instead of a second typed array with its fixed overhead)
   */
  hit: number[];
  /** queries seen (the ring holds the last `window`) */
  pos: number;
  /** number of 1s in `hit` */
  matches: number;
  lines: number[];
  minHamming: number;
}

/** JSON form of the state (checkpoints): plain arrays instead of typed ones. */
interface NearDupJson {
  fp: number[];
  hit: number[];
  pos: number;
  lines: number[];
  minHamming: number;
}

/**
 * Near-duplicate probing (AML.T0043 Craft Adversarial Data, AML.T0042 Verify Attack), a Blacklight analogue
 * for text (Li et al., USENIX Security 2022): SimHash fingerprints of each principal's recent inputs; an alarm
 * when at least `minMatches` of the last `window` queries were near-duplicates of an earlier one. Identical
 * repeats (same text hash — retries and regenerations) are excluded. Uses the logged
 * `atlasguard.input.simhash` when content is not logged.
 */
export class NearDupDetector extends KeyedDetector<NearDupState> {
  readonly id = 'neardup';
  readonly description = 'near-duplicate query bursts on SimHash fingerprints (retries excluded)';
  readonly techniques = ['AML.T0043', 'AML.T0042'];
  readonly requires = [] as const;
  readonly requiresAny = ['content.input', 'atlasguard.input.simhash'] as const;

  constructor(private readonly config: MonitorConfig) {
    super(config.maxPrincipals);
  }

  observe(e: InferenceEvent, ctx: DetectorContext): void {
    const cfg = this.config.neardup;
    let hi: number;
    let lo: number;
    let exact: number;
    const logged = e.record['atlasguard.input.simhash'];
    if (e.inputText !== undefined) {
      ({ hi, lo } = simhash64(e.inputText));
      exact = fnv1a(e.inputText);
    } else if (logged !== undefined) {
      ({ hi, lo } = simhashFromHex(logged));
      exact = (hi ^ lo) >>> 0;
    } else {
      return;
    }
    const key = principalKey(e);
    let s = this.state.get(key);
    if (s === undefined) {
      s = this.create();
      this.state.set(key, s);
    }
    const end = Math.min(s.pos, cfg.window) * 3;
    const ring = s.fp;
    const exact32 = exact | 0;
    const maxHamming = cfg.maxHamming;
    let near = false;
    let minHamming = s.minHamming;
    for (let i = 0; i < end; i += 3) {
      const h = hamming(hi, lo, ring[i] as number, ring[i + 1] as number);
      if (h > maxHamming) continue;
      if (ring[i + 2] === exact32) continue;
      near = true;
      if (h < minHamming) minHamming = h;
    }
    s.minHamming = minHamming;
    const slot = s.pos % cfg.window;
    if (slot * 3 >= s.fp.length) this.grow(s);
    const fp = s.fp;
    fp[slot * 3] = hi;
    fp[slot * 3 + 1] = lo;
    fp[slot * 3 + 2] = exact32;
    const word = slot >>> 5;
    const bit = 1 << (slot & 31);
    const was = ((s.hit[word] as number) & bit) !== 0 ? 1 : 0;
    s.matches += (near ? 1 : 0) - was;
    s.hit[word] = near ? (s.hit[word] as number) | bit : (s.hit[word] as number) & ~bit;
    s.pos++;
    if (near) s.lines = pushLine(s.lines, e.line);
    const matches = s.matches;
    if (near && matches === cfg.minMatches) {
      ctx.emit({
        ruleId: 'AG-MON-NEAR-DUPLICATE-PROBING',
        severity: 'high',
        principal: e.principal,
        tenant: e.tenant,
        techniques: ['AML.T0043', 'AML.T0042'],
        message: `${matches} of the last ${Math.min(s.pos, cfg.window)} inputs are near-duplicates (SimHash Hamming ≤ ${cfg.maxHamming}) of earlier ones, not identical retries`,
        evidence: {
          lines: [...s.lines],
          statistic: { nearDuplicates: matches, window: cfg.window, minHamming: s.minHamming },
        },
        windowStart: e.time,
        windowEnd: e.time,
      });
    }
  }

  /** Rings start small and double up to `window` entries: most principals send few requests. */
  private create(capacity = 8): NearDupState {
    const n = Math.min(capacity, this.config.neardup.window);
    return {
      fp: new Int32Array(n * 3),
      hit: new Array<number>(Math.ceil(this.config.neardup.window / 32)).fill(0),
      pos: 0,
      matches: 0,
      lines: [],
      minHamming: 64,
    };
  }

  private grow(s: NearDupState): void {
    const n = Math.min((s.fp.length / 3) * 2, this.config.neardup.window);
    const fp = new Int32Array(n * 3);
    fp.set(s.fp);
    s.fp = fp;
  }

  override snapshot(): unknown {
    const out: [string, NearDupJson][] = [];
    for (const [k, s] of this.state.entries()) {
      const filled = Math.min(s.pos, this.config.neardup.window);
      out.push([
        k,
        {
          fp: Array.from(s.fp.subarray(0, filled * 3), (v) => v >>> 0),
          hit: Array.from({ length: filled }, (_, i) => ((s.hit[i >>> 5] as number) >>> (i & 31)) & 1),
          pos: s.pos,
          lines: [...s.lines],
          minHamming: s.minHamming,
        },
      ]);
    }
    return out;
  }

  override restore(data: unknown): void {
    this.state.clear();
    if (!Array.isArray(data)) return;
    for (const entry of data as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const j = entry[1] as Partial<NearDupJson> | null;
      if (j === null || typeof j !== 'object' || !Array.isArray(j.fp) || !Array.isArray(j.hit)) continue;
      const w = this.config.neardup.window;
      const s = this.create(w);
      for (let i = 0; i < Math.min(j.fp.length, w * 3); i++) s.fp[i] = Number(j.fp[i]) | 0;
      for (let i = 0; i < Math.min(j.hit.length, w); i++) {
        if (j.hit[i] !== 1) continue;
        s.hit[i >>> 5] = (s.hit[i >>> 5] as number) | (1 << (i & 31));
        s.matches++;
      }
      s.pos = typeof j.pos === 'number' ? j.pos : 0;
      s.lines = Array.isArray(j.lines) ? j.lines.filter((v) => typeof v === 'number') : [];
      s.minHamming = typeof j.minHamming === 'number' ? j.minHamming : 64;
      this.state.set(entry[0], s);
    }
  }
}
