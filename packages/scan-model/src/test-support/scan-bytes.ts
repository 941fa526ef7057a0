// Test helper: scans in-memory bytes as if they were a file with the given name.
import { createHash } from 'node:crypto';
import { Policy } from '../policy/policy.js';
import type { ProfileId } from '../policy/allow-profiles.js';
import { DEFAULT_FILE_OPTIONS, scanSource } from '../scan/scan-file.js';
import type { FileReport } from '../scan/types.js';
import { BufferSource } from '../source/byte-source.js';

export function scanBytes(
  bytes: Uint8Array,
  name = 'sample.bin',
  profiles?: readonly ProfileId[],
  timeMs = 20_000,
): FileReport {
  const policy = new Policy(profiles ? { profiles } : {});
  const sha = createHash('sha256').update(bytes).digest('hex');
  return scanSource(new BufferSource(bytes), name, sha, {
    ...DEFAULT_FILE_OPTIONS,
    limits: { ...DEFAULT_FILE_OPTIONS.limits, timeMs },
    policy,
  });
}

export function rules(report: FileReport): string[] {
  return report.findings.map((f) => f.ruleId);
}
