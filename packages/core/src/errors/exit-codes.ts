/** Exit codes used by every command (DESIGN.md). */
export const ExitCode = {
  /** ok / clean */
  Ok: 0,
  /** findings at or above --fail-on, or a gate failed */
  Findings: 1,
  /** error, invalid input or inconclusive: fail closed */
  Error: 2,
  /** nothing to scan */
  NothingToScan: 3,
  /** usage error */
  Usage: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
