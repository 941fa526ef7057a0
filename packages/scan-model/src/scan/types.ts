import type { Finding } from '@atlasguard/core/findings';

export const VERDICTS = ['clean', 'suspicious', 'malicious', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One scanned input file (archive members are reported inside it through location.member). */
export interface FileReport {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** Detected format of the outer file, e.g. `pytorch-zip`, `pickle`, `safetensors`. */
  readonly format: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
}

export interface ScanSummary {
  readonly files: number;
  readonly clean: number;
  readonly suspicious: number;
  readonly malicious: number;
  readonly inconclusive: number;
  readonly findings: number;
  readonly bytes: number;
}

export interface ScanReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly atlasVersion: string;
  readonly profiles: readonly string[];
  readonly files: readonly FileReport[];
  readonly summary: ScanSummary;
}
