import type { Finding } from '@atlasguard/core';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped' | 'inconclusive';

/** One check with its statistic and threshold (Great-Expectations-like: observed value vs expectation). */
export interface Check {
  id: string;
  name: string;
  status: CheckStatus;
  method?: string;
  column?: string;
  statistic?: number;
  threshold?: number;
  /** Rows affected (absolute count) and their share of the batch. */
  count?: number;
  rate?: number;
  message: string;
  details?: Record<string, unknown>;
}

export interface DriftPlotRow {
  column: string;
  method: string;
  statistic: number;
  threshold: number;
  drifted: boolean;
}

export interface ScanPlots {
  drift: DriftPlotRow[];
  labels: Array<{ label: string; baseline: number; batch: number }>;
  clusters: Array<{ size: number; baselineMatches: number; flagged: boolean; example: number }>;
  tokens: Array<{ term: string; label: string; batchDocs: number; baselineDocs: number; purity: number }>;
}

export interface ScanReport {
  tool: { name: string; version: string };
  atlasVersion?: string;
  verdict: 'pass' | 'fail';
  inconclusive: boolean;
  batch: { path: string; format: string; bytes: number; sha256: string; rows: number; malformedRows: number };
  baseline: { path: string; kind: 'profile' | 'dataset'; rows: number; sha256: string };
  provenance: {
    scannedAt: string;
    manifest?: {
      path: string;
      container: string;
      signature: string;
      signer?: string;
      source?: string;
      producer?: string;
      createdAt?: string;
    };
  };
  checks: Check[];
  findings: Finding[];
  summary: { checks: Record<CheckStatus, number>; findings: Record<string, number>; flaggedRows: number };
  plots: ScanPlots;
}
