import type { Severity } from '@atlasguard/core';
import type { OsvEvent } from './osv-schema.js';

/** The parts of an OSV record a report needs, kept once per record. */
export interface IndexedVuln {
  id: string;
  aliases: string[];
  summary: string;
  severity: Severity;
  /** CVSS score when a v3.x or v4.0 vector was scored. */
  score?: number;
  vector?: string;
  /** Where the severity came from: a CVSS vector, GHSA data, a malicious-package record, or a default. */
  severitySource: 'cvss3' | 'cvss4' | 'ghsa' | 'malicious' | 'default';
  malicious: boolean;
  references: string[];
  modified?: string;
}

export interface IndexedRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: OsvEvent[];
  /** Events are in version order (limits first, one bound per event): matched by binary search. */
  sorted?: true;
}

/** One `affected[]` entry of a record, under its package key. */
export interface AffectedEntry {
  /** Index into `OsvIndexData.vulns`. */
  v: number;
  versions?: string[];
  ranges?: IndexedRange[];
}

/** The searchable form of an OSV database, cached on disk keyed by the digest of its source. */
export interface OsvIndexData {
  format: 1;
  digest: string;
  /** The time the data was exported or synced (ISO 8601); drives the --max-age gate. */
  dbTime: string;
  source: string;
  recordCount: number;
  withdrawnCount: number;
  invalidCount: number;
  vulns: IndexedVuln[];
  /** `PyPI:<pep503 name>` / `npm:<name>` → affected entries. */
  packages: Record<string, AffectedEntry[]>;
}
