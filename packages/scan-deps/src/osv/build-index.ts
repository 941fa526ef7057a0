import type { Severity } from '@atlasguard/core';
import { normalizeName } from '../manifest/names.js';
import { cvss3BaseScore, severityOfGhsa, severityOfScore } from './cvss.js';
import { cvss4Score } from './cvss4.js';
import type { AffectedEntry, IndexedRange, IndexedVuln, OsvIndexData } from './index-types.js';
import { orderFor, presortRange } from './match.js';
import { osvRecordSchema, type OsvRecord } from './osv-schema.js';

const ECOSYSTEMS = new Set(['PyPI', 'npm']);

/** A CVSS vector of a record that could not be scored (reported once per build, never scored as low). */
export interface VectorProblem {
  id: string;
  vector: string;
  message: string;
}

/**
 * Severity of a record: malicious → critical; else the highest CVSS v3.x / v4.0 score among its vectors;
 * else GHSA's rating; else medium. Unscorable vectors are passed to `problem`.
 */
export function recordSeverity(
  record: OsvRecord,
  problem?: (p: VectorProblem) => void,
): Pick<IndexedVuln, 'severity' | 'score' | 'vector' | 'severitySource' | 'malicious'> {
  if (record.id.startsWith('MAL-'))
    return { severity: 'critical', severitySource: 'malicious', malicious: true };
  let best: { score: number; vector: string; source: 'cvss3' | 'cvss4' } | undefined;
  for (const s of record.severity ?? []) {
    let scored: { score: number; source: 'cvss3' | 'cvss4' } | undefined;
    if (s.type === 'CVSS_V3') {
      const score = cvss3BaseScore(s.score);
      if (score !== undefined) scored = { score, source: 'cvss3' };
      else problem?.({ id: record.id, vector: s.score, message: 'not a valid CVSS v3.0/v3.1 base vector' });
    } else if (s.type === 'CVSS_V4') {
      const result = cvss4Score(s.score);
      if ('score' in result) scored = { score: result.score, source: 'cvss4' };
      else problem?.({ id: record.id, vector: s.score, message: result.error });
    }
    if (scored !== undefined && (best === undefined || scored.score > best.score))
      best = { ...scored, vector: s.score };
  }
  if (best !== undefined) {
    return {
      severity: severityOfScore(best.score),
      score: best.score,
      vector: best.vector,
      severitySource: best.source,
      malicious: false,
    };
  }
  const ghsa =
    typeof record.database_specific?.severity === 'string' ? record.database_specific.severity : undefined;
  const rated: Severity | undefined = severityOfGhsa(ghsa);
  if (rated !== undefined) return { severity: rated, severitySource: 'ghsa', malicious: false };
  // No usable rating (no vector, or only malformed ones, and no GHSA data): a known vulnerability is at least medium.
  return { severity: 'medium', severitySource: 'default', malicious: false };
}

/** Accumulates OSV records into the searchable index. */
export class OsvIndexBuilder {
  private readonly vulns: IndexedVuln[] = [];
  private readonly packages = new Map<string, AffectedEntry[]>();
  private readonly seen = new Map<string, number>();
  recordCount = 0;
  withdrawnCount = 0;
  invalidCount = 0;
  firstInvalid: string | undefined;
  /** Records with a CVSS vector that could not be scored (malformed): counted, the first one kept. */
  badVectorCount = 0;
  firstBadVector: VectorProblem | undefined;

  /** Adds one parsed JSON value (a record, or an array of records); `where` names it in error notes. */
  add(value: unknown, where: string): void {
    if (Array.isArray(value)) {
      for (const item of value) this.add(item, where);
      return;
    }
    const parsed = osvRecordSchema.safeParse(value);
    if (!parsed.success) {
      this.invalidCount++;
      this.firstInvalid ??= `${where}: ${parsed.error.issues[0]?.message ?? 'invalid OSV record'}`;
      return;
    }
    this.addRecord(parsed.data);
  }

  addRecord(record: OsvRecord): void {
    this.recordCount++;
    if (record.withdrawn !== undefined) {
      this.withdrawnCount++;
      return;
    }
    // The same record can arrive twice (a directory and a zip); keep the newest modification.
    const previous = this.seen.get(record.id);
    if (previous !== undefined) {
      const old = this.vulns[previous];
      if (old?.modified !== undefined && record.modified !== undefined && old.modified >= record.modified)
        return;
    }
    const entries: Array<[string, AffectedEntry]> = [];
    for (const affected of record.affected ?? []) {
      const pkg = affected.package;
      if (pkg === undefined || !ECOSYSTEMS.has(pkg.ecosystem)) continue;
      const ecosystem = pkg.ecosystem as 'PyPI' | 'npm';
      const ranges: IndexedRange[] = [];
      for (const r of affected.ranges ?? []) {
        if (r.type === 'ECOSYSTEM' || r.type === 'SEMVER')
          ranges.push(presortRange({ type: r.type, events: r.events }, orderFor(ecosystem)));
      }
      if (ranges.length === 0 && (affected.versions === undefined || affected.versions.length === 0))
        continue;
      entries.push([
        `${ecosystem}:${normalizeName(ecosystem, pkg.name)}`,
        {
          v: -1,
          ...(affected.versions !== undefined ? { versions: affected.versions } : {}),
          ...(ranges.length > 0 ? { ranges } : {}),
        },
      ]);
    }
    if (entries.length === 0) return;
    const index = previous ?? this.vulns.length;
    if (previous !== undefined) {
      for (const [key, list] of this.packages)
        this.packages.set(
          key,
          list.filter((e) => e.v !== previous),
        );
    }
    this.vulns[index] = {
      id: record.id,
      aliases: record.aliases ?? [],
      summary: record.summary ?? firstLine(record.details) ?? record.id,
      ...recordSeverity(record, (p) => {
        this.badVectorCount++;
        this.firstBadVector ??= p;
      }),
      references: (record.references ?? []).slice(0, 5).map((r) => r.url),
      ...(record.modified !== undefined ? { modified: record.modified } : {}),
    };
    this.seen.set(record.id, index);
    for (const [key, entry] of entries) {
      entry.v = index;
      let list = this.packages.get(key);
      if (list === undefined) this.packages.set(key, (list = []));
      list.push(entry);
    }
  }

  finish(meta: { digest: string; dbTime: string; source: string }): OsvIndexData {
    return {
      format: 1,
      ...meta,
      recordCount: this.recordCount,
      withdrawnCount: this.withdrawnCount,
      invalidCount: this.invalidCount,
      vulns: this.vulns,
      packages: Object.fromEntries(this.packages),
    };
  }
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').find((l) => l.trim() !== '');
  return line === undefined ? undefined : line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
