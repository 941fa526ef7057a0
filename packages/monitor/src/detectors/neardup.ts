import type { MonitorConfig } from '../config.js';
import type { InferenceEvent } from '../event/event.js';
import { fnv1a, hamming, simhash64, simhashFromHex } from '../content/simhash.js';
import { KeyedDetector, principalKey, pushLine, type DetectorContext } from './detector.js';

interface NearDupState {
  /** ring of [hi, lo, exact] per recent query */
  fp: number[];
  /** ring of 0/1: the query had a near (not identical) duplicate among the earlier ones */
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
    const s = this.state.getOrCreate(principalKey(e), () => ({
      fp: [],
      hit: [],
      pos: 0,
      lines: [],
      minHamming: 64,
    }));
    let near = false;
    for (let i = 0; i < s.fp.length; i += 3) {
      const h = hamming(hi, lo, s.fp[i] ?? 0, s.fp[i + 1] ?? 0);
      if (h > cfg.maxHamming) continue;
      if ((s.fp[i + 2] ?? -1) === exact) continue;
      near = true;
      s.minHamming = Math.min(s.minHamming, h);
    }
    const slot = s.pos % cfg.window;
    s.fp[slot * 3] = hi;
    s.fp[slot * 3 + 1] = lo;
    s.fp[slot * 3 + 2] = exact;
    s.hit[slot] = near ? 1 : 0;
    s.pos++;
    if (near) pushLine(s.lines, e.line);
    let matches = 0;
    for (const v of s.hit) matches += v;
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
}
