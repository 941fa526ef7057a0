import type { Severity } from '@atlasguard/core/findings';
import type { Policy } from '../policy/policy.js';

/** A problem the VM found, before it becomes a shared Finding. */
export interface VmFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  /** Offset in the scanned byte source. */
  readonly offset: number;
  evidence?: string;
  readonly refs?: readonly string[];
  /** Location chain inside the stream for nested payloads, e.g. `embedded@0x1f`. */
  readonly member?: string;
  /** Set when a later opcode shows the finding is superseded (a latent payload that is in fact loaded). */
  suppressed?: boolean;
}

export interface VmLimits {
  maxOpcodes: number;
  maxStack: number;
  maxMemo: number;
  /** Longest text operand (protocol-0 lines) decoded. */
  maxLine: number;
  /** Longest string decoded in full; longer strings keep a head only. */
  maxString: number;
  /** Nested payload depth (pickles inside constants inside pickles). */
  maxNesting: number;
  /** Wall-clock budget for the whole file, in milliseconds. */
  timeMs: number;
  /**
   * Live heap (bytes) a pickle scan may add before it stops as inconclusive (default 64 MB; never above
   * the isolate's cap, see `heapCeiling`). Checked every 16,384 opcodes and after big operands.
   */
  maxHeapBytes?: number;
}

export const DEFAULT_LIMITS: VmLimits = {
  maxOpcodes: 100_000_000,
  maxStack: 2_000_000,
  maxMemo: 10_000_000,
  maxLine: 1 << 20,
  maxString: 1 << 20,
  maxNesting: 3,
  timeMs: 60_000,
};

/** Who answers PERSID: plain pickle (nobody: the load fails) or a PyTorch checkpoint (storages). */
export type PersistentMode = 'none' | 'torch';

export interface StorageRef {
  readonly key: string;
  readonly type: string;
  readonly numel: number | undefined;
  readonly offset: number;
}

export interface VmContext {
  readonly policy: Policy;
  readonly limits: VmLimits;
  /** Date.now() value after which work stops (inconclusive). */
  readonly deadline: number;
  readonly depth: number;
  readonly persistent: PersistentMode;
  readonly storages: StorageRef[];
  report(finding: VmFinding): void;
}
