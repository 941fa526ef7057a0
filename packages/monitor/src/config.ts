import { z } from 'zod';

/**
 * Detector thresholds. Every default names its source in docs/monitor.md ("Thresholds"); a JSON file passed
 * with `--config` overrides any subset.
 */
export const monitorConfigSchema = z
  .object({
    /** Max principals tracked per detector before LRU eviction. */
    maxPrincipals: z.number().int().min(10).max(10_000_000).default(100_000),
    /** Alerts for the same (detector, rule, principal) inside this window are merged (seconds). */
    dedupWindowSeconds: z.number().min(0).default(3600),
    volume: z
      .object({
        /** Minimum requests per minute before a burst can alert (engineering floor). */
        minPerMinute: z.number().min(1).default(120),
        /** Burst factor over the principal's own smoothed per-minute rate (research §8.1: ×20 bursts). */
        burstFactor: z.number().min(1).default(10),
        /** Smoothing of per-minute rates (EWMA weight of the newest minute). */
        alpha: z.number().gt(0).lt(1).default(0.05),
      })
      .prefault({}),
    cost: z
      .object({
        windowSeconds: z.number().min(1).default(600),
        minRequests: z.number().int().min(1).default(20),
        saturatedShare: z.number().min(0).max(1).default(0.6),
        minMeanOutputTokens: z.number().min(0).default(1000),
        outputInputRatio: z.number().min(1).default(20),
        /** Tokens per principal per window: a spend ceiling, set it to your contract. */
        tokensPerWindow: z.number().min(1).default(5_000_000),
        /** Tool calls in one conversation turn (research §8.1: agent loops with > 30 tool calls per turn). */
        toolCallsPerConversation: z.number().int().min(2).default(30),
      })
      .prefault({}),
    dos: z
      .object({
        windowSeconds: z.number().min(1).default(60),
        minErrors: z.number().int().min(1).default(30),
        errorShare: z.number().min(0).max(1).default(0.5),
        computeSecondsPerWindow: z.number().min(1).default(600),
        latencyFactor: z.number().min(1).default(4),
        minEvents: z.number().int().min(1).default(20),
      })
      .prefault({}),
    prada: z
      .object({
        /** PRADA: test once this many distances exist (Juuti et al. 2019 use ~100). */
        minDistances: z.number().int().min(20).max(5000).default(100),
        /** Shapiro-Wilk W below this raises an alarm (paper: δ chosen per dataset, ~0.9). */
        delta: z.number().gt(0).lt(1).default(0.9),
        maxPerClass: z.number().int().min(10).default(200),
        maxDistances: z.number().int().min(50).max(5000).default(500),
        coverageCells: z.number().int().min(16).max(4096).default(256),
        coverageShare: z.number().min(0).max(1).default(0.5),
        coverageMinQueries: z.number().int().min(10).default(300),
      })
      .prefault({}),
    neardup: z
      .object({
        /** Blacklight-style: recent fingerprints kept per principal. */
        window: z.number().int().min(4).max(1000).default(50),
        /**
         * SimHash Hamming distance counted as a near duplicate. Manku et al. (2007) use ≤ 3 of 64 for web
         * pages; on short prompts 1–3 edited characters move a char-4-gram SimHash by 2–15 bits (median 7)
         * while unrelated templated prompts stay ≥ 10 apart (measured on the simulator), hence 8.
         */
        maxHamming: z.number().int().min(0).max(32).default(8),
        /** Near-duplicate (non-identical) queries within the window that raise an alarm. */
        minMatches: z.number().int().min(2).default(20),
      })
      .prefault({}),
    logprob: z
      .object({
        windowSeconds: z.number().min(1).default(600),
        minRequests: z.number().int().min(1).default(30),
        minLogitBias: z.number().int().min(1).default(20),
        minTopLogprobs: z.number().int().min(1).default(10),
        maxTokens: z.number().int().min(1).default(2),
      })
      .prefault({}),
    content: z
      .object({
        /** MinHash Jaccard estimate with a known attack counted as a match. */
        similarity: z.number().min(0).max(1).default(0.5),
        maxScanChars: z.number().int().min(256).default(20_000),
      })
      .prefault({}),
    leakage: z
      .object({
        /** Registered canary strings; appearance in an output is an alert (Rebuff/Vigil canary words). */
        canaries: z.array(z.string().min(6).max(512)).max(10_000).default([]),
        /** Distinct e-mail addresses in one output that count as a bulk PII disclosure. */
        minEmails: z.number().int().min(1).default(5),
        /** Consecutive words of the logged system prompt repeated in an output. */
        systemPromptWords: z.number().int().min(4).default(12),
      })
      .prefault({}),
    agent: z
      .object({
        /** How long an injection signal marks a conversation as suspicious (seconds). */
        suspicionSeconds: z.number().min(1).default(900),
        maxDestinations: z.number().int().min(10).default(10_000),
      })
      .prefault({}),
  })
  .strict();

export type MonitorConfig = z.infer<typeof monitorConfigSchema>;
export const defaultConfig = (): MonitorConfig => monitorConfigSchema.parse({});
