import { describe, expect, it } from 'vitest';
import type { AlertDraft } from '../alert.js';
import { monitorConfigSchema } from '../config.js';
import { toEvent } from '../event/mapping.js';
import { PackedWindow } from '../state/packed-rows.js';
import { Rng } from '../stats/rng.js';
import { T0 } from '../test-support/events.js';
import type { DetectorContext } from './detector.js';
import { CostDetector } from './cost.js';
import { DosDetector } from './dos.js';

/**
 * `dos` and `cost` add their window sums in one inline pass; these differential tests recompute every
 * decision and statistic with `PackedWindow.sum` (the per-field sums they used before) on random streams with
 * fractional amounts, where a different order of additions would show.
 */
function collect(): { ctx: DetectorContext; drafts: AlertDraft[] } {
  const drafts: AlertDraft[] = [];
  return {
    drafts,
    ctx: {
      emit: (d) => drafts.push(d),
      signals: { markSuspicious: () => undefined, suspicion: () => undefined },
    },
  };
}

describe('window sums in one pass (dos, cost) against PackedWindow.sum', () => {
  it('dos: the same burst and flood decisions and statistics on 20,000 random events', () => {
    const config = monitorConfigSchema.parse({
      dos: { windowSeconds: 60, minErrors: 3, errorShare: 0.3, computeSecondsPerWindow: 5, minEvents: 4 },
    });
    const dos = new DosDetector(config);
    const ref = new PackedWindow(60, 6, 3);
    const v = new Float64Array(ref.width);
    let lat = 0;
    let latN = 0;
    const { ctx, drafts } = collect();
    const rng = new Rng(17);
    let t = T0;
    let alerts = 0;
    for (let line = 1; line <= 20_000; line++) {
      t += rng.int(4000) + rng.next();
      const err = rng.chance(0.2);
      const dur = rng.chance(0.9) ? rng.next() * 3 + 0.1 * rng.int(7) : 0;
      const rec: Record<string, unknown> = {
        timestamp: new Date(Math.floor(t)).toISOString(),
        'user.id': 'p',
        'gen_ai.client.operation.duration': dur,
      };
      if (err) rec['error.type'] = '429';
      const e = toEvent(rec, line);
      if (line === 1) ref.init(v, 0, e.time);
      const b = ref.advance(v, 0, e.time);
      ref.add(v, 0, b, 0, 1);
      if (err) ref.add(v, 0, b, 1, 1);
      ref.add(v, 0, b, 2, dur);
      const count = ref.sum(v, 0, 0);
      const errors = ref.sum(v, 0, 1);
      const compute = ref.sum(v, 0, 2);
      const cfg = config.dos;
      const burst = errors >= cfg.minErrors && errors / count >= cfg.errorShare;
      const flood =
        count >= cfg.minEvents &&
        compute >= cfg.computeSecondsPerWindow &&
        (latN < 20 || compute / Math.max(count, 1) >= cfg.latencyFactor * lat);
      if (!err && dur > 0) {
        lat = latN === 0 ? dur : lat * 0.98 + 0.02 * dur;
        latN++;
      }
      drafts.length = 0;
      dos.observe(e, ctx);
      expect([line, drafts.map((d) => d.ruleId)]).toEqual([
        line,
        [...(burst ? ['AG-MON-DOS-ERROR-BURST'] : []), ...(flood ? ['AG-MON-DOS-COMPUTE-FLOOD'] : [])],
      ]);
      for (const d of drafts) {
        alerts++;
        expect(d.evidence.statistic).toEqual({
          requests: count,
          errors,
          errorShare: Number((errors / Math.max(count, 1)).toFixed(3)),
          computeSeconds: Number(compute.toFixed(2)),
          baselineLatencySeconds: Number(lat.toFixed(3)),
        });
        if (d.ruleId === 'AG-MON-DOS-COMPUTE-FLOOD')
          expect(d.message).toContain(`mean latency ${(compute / Math.max(count, 1)).toFixed(2)}s`);
      }
    }
    expect(alerts).toBeGreaterThan(1_000);
  });

  it('cost: the same saturation, ratio and budget decisions and statistics on 20,000 random events', () => {
    const config = monitorConfigSchema.parse({
      cost: { windowSeconds: 600, minRequests: 5, minMeanOutputTokens: 100, tokensPerWindow: 40_000 },
    });
    const cost = new CostDetector(config);
    const ref = new PackedWindow(600, 10, 4);
    const v = new Float64Array(ref.width);
    const { ctx, drafts } = collect();
    const rng = new Rng(18);
    let t = T0;
    let alerts = 0;
    for (let line = 1; line <= 20_000; line++) {
      t += rng.int(60_000) + rng.next();
      const max = rng.pick([256, 1024, 4096]);
      const out = rng.chance(0.5) ? max : rng.int(max) + rng.next();
      const input = rng.chance(0.1) ? 0 : rng.int(400) + rng.next();
      const reasons = rng.pick([['stop'], ['length'], ['max_tokens'], []]);
      const e = toEvent(
        {
          timestamp: new Date(Math.floor(t)).toISOString(),
          'user.id': 'p',
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': out,
          'gen_ai.request.max_tokens': max,
          'gen_ai.response.finish_reasons': reasons,
        },
        line,
      );
      if (line === 1) ref.init(v, 0, e.time);
      const b = ref.advance(v, 0, e.time);
      const sat = reasons.includes('length') || reasons.includes('max_tokens') || out >= 0.95 * max;
      ref.add(v, 0, b, 0, 1);
      if (sat) ref.add(v, 0, b, 1, 1);
      ref.add(v, 0, b, 2, input);
      ref.add(v, 0, b, 3, out);
      const count = ref.sum(v, 0, 0);
      const sats = ref.sum(v, 0, 1);
      const sumIn = ref.sum(v, 0, 2);
      const sumOut = ref.sum(v, 0, 3);
      const cfg = config.cost;
      const meanOut = sumOut / Math.max(count, 1);
      const saturating =
        count >= cfg.minRequests && sats / count >= cfg.saturatedShare && meanOut >= cfg.minMeanOutputTokens;
      const ratio =
        count >= cfg.minRequests &&
        meanOut >= cfg.minMeanOutputTokens &&
        sumOut / Math.max(sumIn, 1) >= cfg.outputInputRatio;
      const budget = sumIn + sumOut >= cfg.tokensPerWindow;
      drafts.length = 0;
      cost.observe(e, ctx);
      const want = [
        ...(saturating ? ['AG-MON-COST-SATURATION'] : ratio ? ['AG-MON-COST-RATIO'] : []),
        ...(budget ? ['AG-MON-COST-BUDGET'] : []),
      ];
      expect([line, drafts.map((d) => d.ruleId)]).toEqual([line, want]);
      for (const d of drafts) {
        alerts++;
        expect(d.evidence.statistic).toEqual({
          requests: count,
          saturatedShare: Number((sats / Math.max(count, 1)).toFixed(3)),
          meanOutputTokens: Math.round(meanOut),
          outputInputRatio: Number((sumOut / Math.max(sumIn, 1)).toFixed(2)),
          tokens: sumIn + sumOut,
        });
      }
    }
    expect(alerts).toBeGreaterThan(1_000);
  });
});
