import type { KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import { isAtOrAbove, severityRank, type FailOn, type Finding, type Severity } from '@atlasguard/core';
import { recordHash } from '../hash/record-hash.js';
import { fileSha256 } from '../manifest/build-manifest.js';
import { ManifestComparer } from '../manifest/compare-manifest.js';
import { loadManifest, loadTrustedRoot, type LoadedManifest } from '../manifest/load-manifest.js';
import { buildProfile, readProfileIfProfile } from '../profile/build-profile.js';
import { DatasetAccumulator, DEFAULT_SEED } from '../profile/dataset-accumulator.js';
import type { DataProfile } from '../profile/profile-schema.js';
import { base64ToF32, base64ToNearKeys, base64ToU16 } from '../profile/signature-store.js';
import { centroidCheck, scaleFeature } from '../profile/tabular-accumulator.js';
import { openDataset } from '../read/open-dataset.js';
import type { DatasetFormat, ReaderLimits } from '../read/record-types.js';
import { fieldText, type FieldRoles } from '../roles.js';
import type { CssHiddenHit } from '../text/hidden-html.js';
import { PERMUTATIONS } from '../text/minhash.js';
import { termSet, tokenize } from '../text/tokenize.js';
import { featureDriftChecks, labelShiftCheck, schemaChecks } from './drift-checks.js';
import { findNearDuplicates } from './near-duplicates.js';
import { RowGroups } from './row-groups.js';
import { makeFinding, RULES, type DataRule } from './rules.js';
import type { Check, CheckStatus, ScanPlots, ScanReport } from './scan-types.js';
import { SPECTRAL_Z, spectralScores } from './spectral.js';
import { embeddingNeighbourChecks } from './embedding-checks.js';
import { KnnReference } from './knn.js';
import { AGREEMENT_MIN_ROWS, AGREEMENT_P, LabelAgreement, poissonSf } from './label-agreement.js';
import { findTriggerTerms, type TriggerTerm } from './triggers.js';

export interface ScanOptions {
  batchPath: string;
  format?: DatasetFormat;
  baselinePath: string;
  baselineFormat?: DatasetFormat;
  /** Field roles; with a profile baseline, unset roles come from the profile. */
  roles: Partial<FieldRoles>;
  manifestPath?: string;
  publicKeys?: readonly KeyObject[];
  /** Sigstore trusted_root.json for verifying a Sigstore bundle manifest offline. */
  trustedRootPath?: string;
  requireSignature?: boolean;
  failOn: FailOn;
  seed?: number;
  /** Smallest cluster of near-identical rows that counts as flooding (research notes: 3–5). */
  floodMinCluster?: number;
  /** Alert when a source's share of rows grows by at least this many points (0.1 = 10 points) over the baseline. */
  sourceShareGrowth?: number;
  /** The batch is a held-out (eval/test) split of the baseline's data: rows shared with it are leakage. */
  heldOut?: boolean;
  maxFindingsPerRule?: number;
  limits?: Partial<ReaderLimits>;
  tool: { name: string; version: string };
  atlasVersion?: string;
  now: () => Date;
}

export interface ScanResult {
  report: ScanReport;
  /** Rows to quarantine → reasons (rule ids, or the read error of a malformed row). */
  quarantine: Map<number, string[]>;
}

const ROBUST_Z_OUTLIER = 8;
const MAD_SCALE = 1.4826;

class FindingSink {
  readonly findings: Finding[] = [];
  private readonly perRule = new Map<string, number>();
  readonly quarantine = new Map<number, string[]>();
  constructor(
    private readonly max: number,
    private readonly quarantineAt: Severity,
  ) {}
  add(f: Finding): void {
    const n = (this.perRule.get(f.ruleId) ?? 0) + 1;
    this.perRule.set(f.ruleId, n);
    const row = f.location?.row;
    if (row !== undefined && isAtOrAbove(f.severity, this.quarantineAt)) this.flag(row, f.ruleId);
    if (n <= this.max) this.findings.push(f);
  }
  flag(row: number, reason: string): void {
    const list = this.quarantine.get(row);
    if (!list) this.quarantine.set(row, [reason]);
    else if (!list.includes(reason)) list.push(reason);
  }
  count(ruleId: string): number {
    return this.perRule.get(ruleId) ?? 0;
  }
  truncated(): Array<[string, number]> {
    return [...this.perRule].filter(([, n]) => n > this.max);
  }
}

function mergeRoles(explicit: Partial<FieldRoles>, profile: FieldRoles | undefined): FieldRoles {
  const source = explicit.source ?? profile?.source;
  const pick = <K extends keyof FieldRoles>(k: K): FieldRoles[K] | undefined => explicit[k] ?? profile?.[k];
  const roles: FieldRoles = {
    features:
      explicit.features && explicit.features.length > 0 ? explicit.features : (profile?.features ?? []),
  };
  const text = pick('text');
  const label = pick('label');
  const id = pick('id');
  const embedding = pick('embedding');
  if (text !== undefined) roles.text = text;
  if (label !== undefined) roles.label = label;
  if (id !== undefined) roles.id = id;
  if (embedding !== undefined) roles.embedding = embedding;
  if (source !== undefined) roles.source = source;
  return roles;
}

/** Runs every batch check against a baseline profile (or a baseline dataset profiled on the fly). */
export async function scanData(options: ScanOptions): Promise<ScanResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const floodMin = options.floodMinCluster ?? 5;
  const path = basename(options.batchPath);
  const quarantineAt: Severity = options.failOn === 'none' ? 'medium' : options.failOn;
  const sink = new FindingSink(options.maxFindingsPerRule ?? 10_000, quarantineAt);
  const checks: Check[] = [];

  // Baseline
  let base = await readProfileIfProfile(options.baselinePath);
  const baselineKind: 'profile' | 'dataset' = base ? 'profile' : 'dataset';
  const roles = mergeRoles(options.roles, base?.roles);
  if (!base) {
    const reader = await openDataset(options.baselinePath, {
      ...(options.baselineFormat ? { format: options.baselineFormat } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    base = await buildProfile(reader, { roles, seed, tool: options.tool, now: options.now });
  }
  const baseline: DataProfile = base;

  // Manifest
  let manifest: LoadedManifest | undefined;
  let comparer: ManifestComparer | undefined;
  if (options.manifestPath !== undefined) {
    const trustedRoot =
      options.trustedRootPath !== undefined ? await loadTrustedRoot(options.trustedRootPath) : undefined;
    manifest = await loadManifest(options.manifestPath, options.publicKeys ?? [], trustedRoot);
    comparer = new ManifestComparer(manifest.statement);
  }

  const reader = await openDataset(options.batchPath, {
    ...(options.format ? { format: options.format } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const baseDocs = baseline.documents?.docs ?? 0;
  const acc = new DatasetAccumulator(roles, {
    seed,
    documentCap: Math.max(1, 2 ** 21 - 2 - baseDocs),
    tableRowHashes: false,
  });

  // Tabular: positions of the baseline's features among the batch accumulator's columns
  let featureMap: number[] | undefined;
  // rows expected in the batch (from its size and the baseline's bytes per row) bound the kNN reference
  const expectedRows =
    baseline.dataset.rows > 0
      ? reader.bytes / Math.max(1, baseline.dataset.bytes / baseline.dataset.rows)
      : 0;
  const tabularKnn = baseline.tabular?.knn ? tabularAgreement(baseline.tabular, expectedRows) : undefined;
  const scaledRow = new Float64Array(baseline.tabular?.features.length ?? 0);
  const centroidCandidates: Array<{
    row: number;
    line: number;
    label: string;
    nearest: string;
    own: number;
    near: number;
  }> = [];
  let centroidRows = 0;
  const embeddings = new Map<string, { rows: number[]; lines: number[]; vecs: Float64Array[] }>();
  let embeddingFloats = 0;
  let embeddingsDropped = false;
  const EMBEDDING_FLOAT_CAP = 20_000_000;
  // documents with text hidden by HTML styling (judged against the baseline's rate after the pass)
  const cssHiddenRows: Array<{ row: number; line: number; hits: CssHiddenHit[] }> = [];
  // near-duplicate keys of table rows: two per row (NaN = none), grouped by shared keys
  let nearKeys = new Float64Array(2048).fill(NaN);
  const nearGroups = new RowGroups();
  // rows with a (near-)copy in the baseline: train/eval leakage when the batch is a held-out split
  const leakRows: number[] = [];
  const leakClusters: Array<{ rows: number; baselineRows: number; example: number }> = [];
  // per row (rows are numbered 0..n-1): line where it starts, label index (0xffff = none)
  let lines = new Uint32Array(1024);
  let labelIdx = new Uint16Array(1024).fill(0xffff);
  let sourceIdx = new Uint16Array(1024).fill(0xffff);
  const sourceNames: string[] = [];
  const sourceIndex = new Map<string, number>();
  const lineOf = { get: (row: number): number | undefined => lines[row] };
  const rowLabel = {
    get: (row: number): string | undefined => {
      const i = labelIdx[row] ?? 0xffff;
      return i === 0xffff ? undefined : acc.labels.names[i];
    },
  };

  for await (const item of reader.items()) {
    if (comparer) {
      const id = item.kind === 'record' ? fieldText(item.values, roles.id) : undefined;
      const change = comparer.add(item.row, recordHash(item), id);
      if (change === 'changed')
        sink.add(
          makeFinding(
            RULES.recordChanged,
            `row ${String(item.row)}${id !== undefined ? ` (id ${JSON.stringify(id)})` : ''} differs from the manifest`,
            { path, row: item.row, line: item.line },
          ),
        );
      else if (change === 'injected')
        sink.add(
          makeFinding(
            RULES.recordInjected,
            `row ${String(item.row)}${id !== undefined ? ` (id ${JSON.stringify(id)})` : ''} is not in the manifest`,
            { path, row: item.row, line: item.line },
          ),
        );
      else if (change === 'duplicate-id')
        sink.add(
          makeFinding(RULES.duplicateId, `id ${JSON.stringify(id)} occurs again at row ${String(item.row)}`, {
            path,
            row: item.row,
            line: item.line,
          }),
        );
    }
    if (item.kind === 'malformed') {
      acc.addMalformed();
      sink.add(
        makeFinding(RULES.malformedRow, `row ${String(item.row)}: ${item.reason}`, {
          path,
          row: item.row,
          line: item.line,
          ...(item.column !== undefined ? { pointer: `column ${String(item.column)}` } : {}),
        }),
      );
      sink.flag(item.row, `malformed: ${item.reason}`);
      continue;
    }
    const info = acc.add(item);
    if (item.row >= lines.length) {
      const grownLines = new Uint32Array(Math.max(item.row + 1, lines.length * 2));
      grownLines.set(lines);
      lines = grownLines;
      const grownLabels = new Uint16Array(grownLines.length).fill(0xffff);
      grownLabels.set(labelIdx);
      labelIdx = grownLabels;
      const grownSources = new Uint16Array(grownLines.length).fill(0xffff);
      grownSources.set(sourceIdx);
      sourceIdx = grownSources;
    }
    if (info.source !== undefined) {
      let si = sourceIndex.get(info.source);
      if (si === undefined && sourceNames.length < 0xfffe) {
        si = sourceNames.length;
        sourceNames.push(info.source);
        sourceIndex.set(info.source, si);
      }
      if (si !== undefined) sourceIdx[item.row] = si;
    }
    lines[item.row] = item.line;
    labelIdx[item.row] = info.labelIndex;
    for (const m of info.missingRoleFields) {
      sink.add(
        makeFinding(RULES.roleFieldMissing, `row ${String(item.row)} has no field ${JSON.stringify(m)}`, {
          path,
          row: item.row,
          line: item.line,
        }),
      );
    }
    for (const h of info.hidden) {
      const r =
        h.kind === 'injection-phrase'
          ? RULES.hiddenInstruction
          : h.kind === 'exfiltration-url'
            ? RULES.exfiltrationUrl
            : RULES.invisibleText;
      sink.add(
        makeFinding(r, `row ${String(item.row)}: ${h.detail}`, {
          path,
          row: item.row,
          line: item.line,
          evidence: h.rule,
        }),
      );
    }
    if (info.cssHidden.length > 0 && cssHiddenRows.length < 1_000_000)
      cssHiddenRows.push({ row: item.row, line: item.line, hits: info.cssHidden });
    // text length outlier for the row's label
    const byLabel = baseline.text?.logLengthByLabel[info.label ?? ''];
    if (info.text !== undefined && byLabel && byLabel.n >= 30 && byLabel.mad > 0) {
      const z = Math.abs(Math.log1p(info.text.length) - byLabel.median) / (MAD_SCALE * byLabel.mad);
      if (z > ROBUST_Z_OUTLIER) {
        sink.add(
          makeFinding(
            RULES.outlier,
            `row ${String(item.row)}: text length ${String(info.text.length)} is ${z.toFixed(1)} robust deviations from label ${JSON.stringify(info.label ?? '')}`,
            { path, row: item.row, line: item.line },
          ),
        );
      }
    }
    // near-duplicates of table rows (text uses MinHash clusters)
    if (info.nearKeys) {
      if (item.row * 2 + 1 >= nearKeys.length) {
        const grown = new Float64Array(Math.max(item.row * 2 + 2, nearKeys.length * 2)).fill(NaN);
        grown.set(nearKeys);
        nearKeys = grown;
      }
      nearKeys[item.row * 2] = info.nearKeys[0];
      nearKeys[item.row * 2 + 1] = info.nearKeys[1];
      nearGroups.add(item.row, info.nearKeys);
    }
    // tabular label vs features
    const tab = baseline.tabular;
    if (tab && info.features && info.label !== undefined && acc.tabular) {
      featureMap ??= tab.features.map((f) => acc.tabular?.columns.indexOf(f) ?? -1);
      const x = featureMap.map((i) => (i >= 0 ? info.features?.[i] : undefined));
      if (tabularKnn) {
        for (let f = 0; f < x.length; f++) scaledRow[f] = scaleFeature(x[f], tab.std[f] ?? 0);
        tabularKnn.add(item.row, item.line, info.label, scaledRow);
      }
      const c = tabularKnn ? undefined : centroidCheck(x, info.label, tab);
      if (c) {
        centroidRows++;
        if (c.disagrees)
          centroidCandidates.push({
            row: item.row,
            line: item.line,
            label: info.label,
            nearest: c.nearest,
            own: c.ownDistance,
            near: c.nearestDistance,
          });
      }
      const robust = tab.robustByLabel[info.label];
      if (robust) {
        for (let f = 0; f < x.length; f++) {
          const v = x[f];
          const r = robust[f];
          if (v === undefined || !r || r.n < 30 || r.mad <= 0) continue;
          const z = Math.abs(v - r.median) / (MAD_SCALE * r.mad);
          if (z > ROBUST_Z_OUTLIER * 2) {
            sink.add(
              makeFinding(
                RULES.outlier,
                `row ${String(item.row)}: ${tab.features[f] ?? ''}=${String(v)} is ${z.toFixed(1)} robust deviations from label ${JSON.stringify(info.label)}`,
                { path, row: item.row, line: item.line },
              ),
            );
            break;
          }
        }
      }
    }
    if (info.embeddingProblem !== undefined) {
      sink.add(
        makeFinding(RULES.embeddingInvalid, `row ${String(item.row)}: ${info.embeddingProblem}`, {
          path,
          row: item.row,
          line: item.line,
        }),
      );
    } else if (info.embedding) {
      if (embeddingFloats + info.embedding.length > EMBEDDING_FLOAT_CAP) embeddingsDropped = true;
      else {
        embeddingFloats += info.embedding.length;
        const key = info.label ?? '';
        let e = embeddings.get(key);
        if (!e) {
          e = { rows: [], lines: [], vecs: [] };
          embeddings.set(key, e);
        }
        e.rows.push(item.row);
        e.lines.push(item.line);
        e.vecs.push(info.embedding);
      }
    }
  }

  const batchProfile = acc.finish({
    path,
    format: reader.format,
    bytes: reader.bytes,
    sha256: await fileSha256(reader.path),
    createdAt: options.now().toISOString(),
    tool: options.tool,
    summaryOnly: true,
  });
  const rows = acc.rows;
  const plots: ScanPlots = { drift: [], labels: [], clusters: [], tokens: [] };
  const rate = (n: number): number => (rows > 0 ? n / rows : 0);

  // Integrity and provenance
  if (manifest && comparer) {
    const diff = comparer.finish();
    const subject = manifest.statement.subject[0];
    const digestOk = subject?.digest.sha256 === batchProfile.dataset.sha256;
    checks.push({
      id: 'manifest-file-digest',
      name: 'File digest matches the manifest',
      status: digestOk ? 'pass' : 'fail',
      method: 'SHA-256',
      message: digestOk
        ? 'identical file'
        : `file SHA-256 ${batchProfile.dataset.sha256.slice(0, 16)}… ≠ manifest ${subject?.digest.sha256.slice(0, 16) ?? '?'}…`,
    });
    if (!digestOk)
      sink.add(
        makeFinding(
          RULES.fileDigest,
          `SHA-256 of ${path} differs from the manifest subject ${subject?.name ?? ''}`,
          { path },
        ),
      );
    for (const r of diff.removed.slice(0, 10_000)) {
      sink.add(
        makeFinding(
          RULES.recordRemoved,
          `manifest record ${String(r.index)}${r.id !== undefined ? ` (id ${JSON.stringify(r.id)})` : ''} is not in the batch`,
          { path, pointer: `/predicate/records/${String(r.index)}` },
        ),
      );
    }
    const bad = diff.changed.length + diff.injected.length + diff.duplicateIds.length + diff.removed.length;
    checks.push({
      id: 'manifest-records',
      name: 'Records match the manifest (split-view)',
      status: bad > 0 ? 'fail' : 'pass',
      method: 'per-record SHA-256 of canonical JSON',
      statistic: bad,
      threshold: 0,
      count: bad,
      rate: rate(bad),
      message: `${String(diff.matched)} matched, ${String(diff.changed.length)} changed, ${String(diff.injected.length)} injected, ${String(diff.removed.length)} removed, ${String(diff.duplicateIds.length)} duplicate ids`,
      details: {
        matched: diff.matched,
        changed: diff.changed.length,
        injected: diff.injected.length,
        removed: diff.removed.length,
        duplicateIds: diff.duplicateIds.length,
      },
    });
    const sig = manifest.signature;
    let status: CheckStatus = 'pass';
    if (sig.status === 'invalid') {
      status = 'fail';
      sink.add(
        makeFinding(RULES.signatureInvalid, sig.detail, { path: basename(options.manifestPath ?? '') }),
      );
    } else if (sig.status === 'not-checked' || sig.status === 'unsupported') {
      status = 'inconclusive';
      sink.add(
        // the check is inconclusive (exit 2, fail closed); the finding itself is informational
        makeFinding(RULES.signatureUnverified, sig.detail, {
          path: basename(options.manifestPath ?? ''),
          severity: 'info',
        }),
      );
    } else if (sig.status === 'unsigned') {
      status = options.requireSignature ? 'fail' : 'warn';
      sink.add(
        makeFinding(
          RULES.signatureUnverified,
          `${sig.detail}${options.requireSignature ? ' and --require-signature is set' : ''}`,
          {
            path: basename(options.manifestPath ?? ''),
            severity: options.requireSignature ? 'high' : 'info',
          },
        ),
      );
    }
    checks.push({
      id: 'manifest-signature',
      name: 'Manifest signature',
      status,
      method:
        manifest.container === 'dsse'
          ? 'DSSE (Ed25519 / ECDSA P-256)'
          : manifest.container === 'sigstore-bundle'
            ? 'Sigstore bundle: certificate chain to the trusted root, DSSE signature, Rekor signed entry timestamp'
            : manifest.container,
      message: `${sig.status}: ${sig.detail}`,
    });
  } else {
    checks.push({
      id: 'manifest-records',
      name: 'Records match the manifest (split-view)',
      status: 'skipped',
      message: 'no --manifest given; create one with `atlasguard data manifest`',
    });
  }

  const malformedCount = batchProfile.dataset.malformedRows;
  checks.push({
    id: 'rows-readable',
    name: 'Every row is readable',
    status: malformedCount > 0 ? 'fail' : 'pass',
    statistic: malformedCount,
    threshold: 0,
    count: malformedCount,
    rate: rate(malformedCount),
    message: `${String(malformedCount)} malformed row(s)`,
  });

  // Schema, labels, drift
  const schema = schemaChecks(baseline, batchProfile, path);
  const labels = labelShiftCheck(baseline, batchProfile, path);
  const drift = featureDriftChecks(baseline, batchProfile, path);
  for (const part of [schema, labels, drift]) {
    checks.push(...part.checks);
    for (const f of part.findings) sink.add(f);
  }
  plots.drift = drift.plot;
  plots.labels = labels.labels;

  // Duplicates and label conflicts
  const conflictRule = RULES.labelConflict;
  const floodRule = RULES.flooding;
  let floodClusters = 0;
  // text batches need the baseline's MinHash signatures (a profile made with --text-field)
  const duplicatesSkipped = roles.text !== undefined && baseline.documents?.signatures === undefined;
  if (roles.text !== undefined && baseline.documents?.signatures !== undefined) {
    const baseSigs = base64ToU16(baseline.documents.signatures);
    const baseLabelIdx = base64ToU16(baseline.documents.labelIndex);
    const baseLabelName = (slot: number): string | undefined => {
      const i = baseLabelIdx[slot] ?? 0xffff;
      return i === 0xffff ? undefined : baseline.documents?.labels[i];
    };
    const store = acc.store;
    const nd = findNearDuplicates(
      { sigs: store.sigs, labels: store.labels, size: store.size },
      {
        sigs: baseSigs,
        labels: baseLabelIdx,
        size: Math.min(baseline.documents.docs, Math.floor(baseSigs.length / PERMUTATIONS)),
      },
    );
    const labelOfSlot = (slot: number): string | undefined => {
      const i = store.labels[slot] ?? 0xffff;
      return i === 0xffff ? undefined : acc.labels.names[i];
    };
    const clusters = new Map<number, number[]>();
    for (let s = 0; s < store.size; s++) {
      const root = nd.clusterOf[s] ?? s;
      const list = clusters.get(root);
      if (list) list.push(s);
      else clusters.set(root, [s]);
    }
    const conflicted = new Set<number>();
    // against the baseline: a near-copy of a baseline document with another label
    for (let s = 0; s < store.size; s++) {
      const b = nd.baselineMatch[s] ?? -1;
      if (b < 0) continue;
      const mine = labelOfSlot(s);
      const theirs = baseLabelName(b);
      if (mine !== undefined && theirs !== undefined && mine !== theirs) {
        conflicted.add(s);
        const row = store.rows[s] ?? 0;
        sink.add(
          makeFinding(
            conflictRule,
            `row ${String(row)} is a near-copy (similarity ${(nd.baselineSimilarity[s] ?? 0).toFixed(2)}) of a baseline document labelled ${JSON.stringify(theirs)} but is labelled ${JSON.stringify(mine)}`,
            { path, row, line: lineOf.get(row) ?? 0, confidence: nd.baselineSimilarity[s] ?? 0 },
          ),
        );
      }
    }
    const nBase = Math.max(1, baseline.documents.docs);
    const clusterPlot: ScanPlots['clusters'] = [];
    for (const [root, members] of clusters) {
      const baseMatches = nd.baselineMatchesByRoot.get(root)?.size ?? 0;
      if (baseMatches > 0) {
        for (const slot of members) leakRows.push(store.rows[slot] ?? 0);
        leakClusters.push({
          rows: members.length,
          baselineRows: baseMatches,
          example: store.rows[members[0] ?? 0] ?? 0,
        });
      }
      if (members.length < 2) continue;
      // within the batch: minority labels of a cluster, with baseline matches as extra votes
      const votes = new Map<string, number>();
      for (const s of members) {
        const l = labelOfSlot(s);
        if (l !== undefined) votes.set(l, (votes.get(l) ?? 0) + 1);
      }
      for (const b of nd.baselineMatchesByRoot.get(root) ?? []) {
        const l = baseLabelName(b);
        if (l !== undefined) votes.set(l, (votes.get(l) ?? 0) + 1);
      }
      if (votes.size > 1) {
        const sorted = [...votes].sort((a, b) => b[1] - a[1]);
        const top = sorted[0];
        const tie = sorted[1] !== undefined && top !== undefined && sorted[1][1] === top[1];
        for (const s of members) {
          const l = labelOfSlot(s);
          if (l === undefined || conflicted.has(s) || (!tie && l === top?.[0])) continue;
          conflicted.add(s);
          const row = store.rows[s] ?? 0;
          sink.add(
            makeFinding(
              conflictRule,
              `row ${String(row)} belongs to a cluster of ${String(members.length)} near-identical rows whose labels disagree (${[...votes].map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`,
              { path, row, line: lineOf.get(row) ?? 0, confidence: tie ? 0.5 : 0.8 },
            ),
          );
        }
      }
      const matches = nd.baselineMatchesByRoot.get(root)?.size ?? 0;
      const overRepresented = members.length / Math.max(1, store.size) >= 4 * (matches / nBase);
      const flagged = members.length >= floodMin && overRepresented;
      clusterPlot.push({
        size: members.length,
        baselineMatches: matches,
        flagged,
        example: store.rows[members[0] ?? 0] ?? 0,
      });
      if (flagged) {
        floodClusters++;
        for (const s of members) {
          const row = store.rows[s] ?? 0;
          sink.add(
            makeFinding(
              floodRule,
              `row ${String(row)} is one of ${String(members.length)} near-identical rows in this batch (${String(matches)} similar in the baseline sample)`,
              { path, row, line: lineOf.get(row) ?? 0 },
            ),
          );
        }
      }
    }
    plots.clusters = clusterPlot.sort((a, b) => b.size - a.size).slice(0, 30);
  } else if (!roles.text) {
    // tables: rows sharing a near-duplicate key (numbers rounded to 3 significant digits on two grids)
    const baseSlots = new Map<number, number[]>();
    const baseLabelIdx = baseline.documents ? base64ToU16(baseline.documents.labelIndex) : new Uint16Array(0);
    if (baseline.documents?.near !== undefined) {
      const keys = base64ToNearKeys(baseline.documents.near);
      for (let slot = 0; slot * 2 < keys.length; slot++) {
        for (const key of [keys[slot * 2] ?? 0, keys[slot * 2 + 1] ?? 0]) {
          if (key === 0) continue;
          const list = baseSlots.get(key);
          if (!list) baseSlots.set(key, [slot]);
          else if (list.length < 1000 && !list.includes(slot)) list.push(slot);
        }
      }
    }
    const baseLabelOf = (slot: number): string | undefined => {
      const i = baseLabelIdx[slot] ?? 0xffff;
      return i === 0xffff ? undefined : baseline.documents?.labels[i];
    };
    const nBase = Math.max(1, baseline.documents?.docs ?? 1);
    // Do the features decide the label in the baseline? (≥ 0.1 % of its sample in mixed-label copies: no)
    const mixedSlots = new Set<number>();
    for (const slots of baseSlots.values()) {
      if (slots.length < 2) continue;
      const first = baseLabelOf(slots[0] ?? 0);
      if (slots.some((x) => baseLabelOf(x) !== first)) for (const x of slots) mixedSlots.add(x);
    }
    const ambiguousBaseline = mixedSlots.size >= Math.max(2, nBase * 0.001);
    const keyedRows: number[] = [];
    for (let r = 0; r < rows; r++) if (!Number.isNaN(nearKeys[r * 2] ?? NaN)) keyedRows.push(r);
    for (const [, members] of nearGroups.groups(keyedRows)) {
      const matched = new Set<number>();
      for (const r of members) {
        for (const key of [nearKeys[r * 2] ?? 0, nearKeys[r * 2 + 1] ?? 0]) {
          for (const slot of baseSlots.get(key) ?? []) matched.add(slot);
        }
      }
      if (matched.size > 0) {
        leakRows.push(...members);
        leakClusters.push({ rows: members.length, baselineRows: matched.size, example: members[0] ?? 0 });
      }
      if (members.length < 2 && matched.size === 0) continue;
      if (roles.label !== undefined) {
        // the trusted baseline decides when it has copies; otherwise the batch cluster (≥ 3 rows) votes.
        // Only a clear consensus (≥ 90 %) counts. Where copies of one row carry different labels in the
        // baseline itself (coarse features), one matching row is no evidence: see below.
        const votes = new Map<string, number>();
        if (matched.size > 0) {
          for (const slot of matched) {
            const l = baseLabelOf(slot);
            if (l !== undefined) votes.set(l, (votes.get(l) ?? 0) + 1);
          }
        } else if (matched.size === 0 && members.length >= 3) {
          for (const r of members) {
            const l = rowLabel.get(r);
            if (l !== undefined) votes.set(l, (votes.get(l) ?? 0) + 1);
          }
        }
        const total = [...votes.values()].reduce((a, b) => a + b, 0);
        const [top, topVotes] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        if (total > 0 && topVotes / total >= 0.9) {
          for (const r of members) {
            const l = rowLabel.get(r);
            if (l === undefined || l === top) continue;
            // in an ambiguous baseline, the row's label must be implausible for the cell itself
            // (rule of succession below 1 %, i.e. about 100 copies with no row of its label)
            if (ambiguousBaseline && ((votes.get(l) ?? 0) + 1) / (total + 2) >= 0.01) continue;
            sink.add(
              makeFinding(
                conflictRule,
                `row ${String(r)} has nearly the same features as ${matched.size > 0 ? 'baseline rows' : 'other rows'} labelled ${JSON.stringify(top)} but is labelled ${JSON.stringify(l)}`,
                { path, row: r, line: lineOf.get(r) ?? 0 },
              ),
            );
          }
        }
      }
      if (members.length < 2) continue;
      // ≥ 4× the baseline share, and not by chance: coarse tables repeat rows naturally
      const overRepresented =
        members.length / Math.max(1, rows) >= 4 * (matched.size / nBase) &&
        poissonSf(members.length, (rows * (matched.size + 1)) / (nBase + 1)) < 0.001;
      const flagged = members.length >= floodMin && overRepresented;
      plots.clusters.push({
        size: members.length,
        baselineMatches: matched.size,
        flagged,
        example: members[0] ?? 0,
      });
      if (flagged) {
        floodClusters++;
        for (const r of members)
          sink.add(
            makeFinding(
              floodRule,
              `row ${String(r)} is one of ${String(members.length)} near-identical rows in this batch (${String(matched.size)} similar in the baseline sample)`,
              { path, row: r, line: lineOf.get(r) ?? 0 },
            ),
          );
      }
    }
    plots.clusters = plots.clusters.sort((a, b) => b.size - a.size).slice(0, 30);
  }
  const conflicts = sink.count(conflictRule.id);
  checks.push({
    id: 'label-conflicts',
    name: 'Conflicting labels among duplicates (label flipping)',
    status: duplicatesSkipped ? 'skipped' : conflicts > 0 ? 'fail' : 'pass',
    method: roles.text
      ? 'MinHash LSH, Jaccard ≥ 0.8'
      : 'near-identical feature rows (numbers to 3 significant digits on two shifted grids, strings normalised)',
    statistic: conflicts,
    threshold: 0,
    count: conflicts,
    rate: rate(conflicts),
    message: duplicatesSkipped
      ? 'the baseline profile has no text signatures; profile it with --text-field'
      : `${String(conflicts)} row(s) with a near-copy labelled differently`,
  });
  const floods = sink.count(floodRule.id);
  checks.push({
    id: 'duplicate-flooding',
    name: 'Near-duplicate flooding',
    status: duplicatesSkipped ? 'skipped' : floods > 0 ? 'fail' : 'pass',
    method: `clusters of ≥ ${String(floodMin)} near-identical rows, ≥ 4× their baseline share`,
    statistic: floodClusters,
    threshold: 0,
    count: floods,
    rate: rate(floods),
    message: duplicatesSkipped
      ? 'the baseline profile has no text signatures; profile it with --text-field'
      : `${String(floodClusters)} flooding cluster(s), ${String(floods)} row(s)`,
  });

  // Train/eval leakage: batch rows with a (near-)copy in the baseline
  if (!duplicatesSkipped) {
    const leaked = new Set(leakRows);
    const heldOut = options.heldOut === true;
    if (heldOut) {
      for (const r of [...leaked].sort((a, b) => a - b)) {
        sink.add(
          makeFinding(
            RULES.splitLeakage,
            `row ${String(r)} is a near-copy of a row of the baseline (training) data`,
            { path, row: r, line: lineOf.get(r) ?? 0 },
          ),
        );
      }
    }
    const biggest = [...leakClusters].sort((a, b) => b.rows + b.baselineRows - (a.rows + a.baselineRows));
    // a table profile from before near-duplicate keys cannot be matched row by row
    const noKeys = roles.text === undefined && baseline.documents?.near === undefined;
    checks.push({
      id: 'split-leakage',
      name: 'Rows shared with the baseline split (leakage)',
      status: noKeys ? 'skipped' : heldOut ? (leaked.size > 0 ? 'fail' : 'pass') : 'pass',
      method: roles.text
        ? 'MinHash LSH against the baseline sample, Jaccard ≥ 0.8'
        : 'near-duplicate keys against the baseline sample',
      statistic: leaked.size,
      threshold: 0,
      count: leaked.size,
      rate: rate(leaked.size),
      message: noKeys
        ? 'the baseline profile has no near-duplicate keys of its rows; profile it again with this version'
        : `${String(leaked.size)} row(s) in ${String(leakClusters.length)} cluster(s) have a near-copy in the baseline${heldOut ? '' : ' (informational; with --held-out they are leakage findings)'}${baseline.documents && baseline.documents.docs < baseline.dataset.rows ? ` — the baseline sample holds ${String(baseline.documents.docs)} of ${String(baseline.dataset.rows)} rows` : ''}`,
      details: { clusters: biggest.slice(0, 30), heldOut },
    });
  }

  // Backdoor trigger terms
  let triggers: TriggerTerm[] = [];
  if (roles.text !== undefined && acc.text && baseline.text && roles.label !== undefined) {
    triggers = findTriggerTerms(acc.text.vocab, acc.text.docs, acc.labels.names, baseline.text);
    plots.tokens = triggers.slice(0, 30).map((t) => ({
      term: t.term,
      label: t.label,
      batchDocs: t.batchDocs,
      baselineDocs: t.baselineDocs,
      purity: t.purity,
    }));
  }
  let triggerRows = 0;
  if (triggers.length > 0 && roles.text !== undefined) {
    const byTerm = new Map(triggers.map((t) => [t.term, t]));
    const again = await openDataset(options.batchPath, {
      ...(options.format ? { format: options.format } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    for await (const item of again.items()) {
      if (item.kind !== 'record') continue;
      const text = fieldText(item.values, roles.text);
      const label = fieldText(item.values, roles.label);
      if (text === undefined || label === undefined) continue;
      const hits: TriggerTerm[] = [];
      for (const t of termSet(tokenize(text))) {
        const trig = byTerm.get(t);
        if (trig && trig.label === label) hits.push(trig);
      }
      if (hits.length === 0) continue;
      triggerRows++;
      sink.add(
        makeFinding(
          RULES.trigger,
          `row ${String(item.row)} (label ${JSON.stringify(label)}) contains ${hits
            .slice(0, 5)
            .map((h) => JSON.stringify(h.term))
            .join(', ')}`,
          {
            path,
            row: item.row,
            line: item.line,
            evidence: hits
              .slice(0, 3)
              .map(
                (h) =>
                  `${JSON.stringify(h.term)}: ${String(h.batchDocs)} batch rows (${(h.purity * 100).toFixed(0)}% ${JSON.stringify(h.label)}), ~${String(h.baselineDocs)} baseline rows, ${h.rateRatio.toFixed(0)}× the baseline rate, p=${h.pValue.toExponential(1)}`,
              )
              .join('; '),
          },
        ),
      );
    }
  }
  checks.push({
    id: 'trigger-terms',
    name: 'Backdoor trigger terms',
    status:
      roles.text === undefined || roles.label === undefined
        ? 'skipped'
        : triggers.length > 0
          ? 'fail'
          : 'pass',
    method:
      'term→label association vs baseline: ≥ 5 rows, purity ≥ 0.95, ≥ 10× baseline rate, binomial p < 0.01 (Bonferroni)',
    statistic: triggers.length,
    threshold: 0,
    count: triggerRows,
    rate: rate(triggerRows),
    message:
      triggers.length > 0
        ? `${String(triggers.length)} suspicious term(s): ${triggers
            .slice(0, 5)
            .map((t) => `${JSON.stringify(t.term)}→${t.label}`)
            .join(', ')}`
        : roles.text === undefined || roles.label === undefined
          ? 'needs --text-field and --label-field'
          : 'no term is suspiciously tied to one label',
    details: { terms: triggers.slice(0, 50) },
  });

  // Tabular: labels that disagree with the features
  if (baseline.tabular && tabularKnn) {
    const res = tabularKnn.finish();
    checks.push({
      id: 'label-feature-agreement',
      name: 'Labels agree with features (nearest neighbours)',
      status: res.fail ? 'fail' : 'pass',
      method: `k-nearest neighbours (k=${String(baseline.tabular.knn?.k ?? 0)}) among baseline rows, balanced vote: own label ≤ 20 %, another ≥ 60 %; ≥ ${String(AGREEMENT_MIN_ROWS)} rows and Poisson p < ${String(AGREEMENT_P)} vs the baseline's leave-one-out rate`,
      statistic: res.pValue,
      threshold: AGREEMENT_P,
      count: res.rows.length,
      rate: res.scored > 0 ? res.rows.length / res.scored : 0,
      message: `${String(res.rows.length)} of ${String(res.scored)} rows are outvoted by their nearest baseline rows (${res.expected.toFixed(1)} expected at the baseline rate)`,
      details: { scored: res.scored, expected: res.expected },
    });
    if (res.fail) {
      for (const c of res.rows) {
        sink.add(
          makeFinding(
            RULES.labelDisagreement,
            `row ${String(c.row)} is labelled ${JSON.stringify(c.label)} but its nearest baseline rows vote ${JSON.stringify(c.neighbours)} (${(c.topShare * 100).toFixed(0)} % vs ${(c.ownShare * 100).toFixed(0)} % for its own label)`,
            { path, row: c.row, line: c.line, confidence: c.topShare },
          ),
        );
      }
    }
  } else if (baseline.tabular) {
    const k = centroidCandidates.length;
    const p0 = Math.max(baseline.tabular.disagreementRate, 1e-4);
    const pValue = binomialSf(k, centroidRows, p0);
    const fail = k >= 5 && pValue < 0.001;
    checks.push({
      id: 'label-feature-agreement',
      name: 'Labels agree with features (nearest class centroid)',
      status: fail ? 'fail' : 'pass',
      method: `own-class centroid > ${String(2)}× farther than another class; binomial test vs baseline rate ${(baseline.tabular.disagreementRate * 100).toFixed(2)}%`,
      statistic: pValue,
      threshold: 0.001,
      count: k,
      rate: centroidRows > 0 ? k / centroidRows : 0,
      message: `${String(k)} of ${String(centroidRows)} rows sit nearer another class (baseline rate ${(baseline.tabular.disagreementRate * 100).toFixed(2)}%)`,
    });
    if (fail) {
      for (const c of centroidCandidates) {
        sink.add(
          makeFinding(
            RULES.labelDisagreement,
            `row ${String(c.row)} is labelled ${JSON.stringify(c.label)} but lies nearer class ${JSON.stringify(c.nearest)} (${c.near.toFixed(2)} vs ${c.own.toFixed(2)} standard deviations)`,
            { path, row: c.row, line: c.line },
          ),
        );
      }
    }
  }

  // Embedding-space outliers
  if (roles.embedding !== undefined) {
    let flaggedEmb = 0;
    const scored: string[] = [];
    const embBase = baseline.embedding;
    if (embeddingsDropped) {
      checks.push({
        id: 'embedding-spectral',
        name: 'Embedding outliers (spectral signature)',
        status: 'inconclusive',
        message: `more than ${String(EMBEDDING_FLOAT_CAP)} embedding values; split the batch`,
      });
    } else if (!embBase) {
      checks.push({
        id: 'embedding-spectral',
        name: 'Embedding outliers (spectral signature)',
        status: 'skipped',
        message: 'the baseline has no embeddings',
      });
    } else {
      for (const [label, e] of embeddings) {
        const ref = embBase.byLabel[label];
        if (!ref || e.vecs.length < 20) continue;
        const flat = base64ToF32(ref.sample);
        const sample: Float64Array[] = [];
        for (let i = 0; i + embBase.dims <= flat.length; i += embBase.dims)
          sample.push(flat.subarray(i, i + embBase.dims));
        if (sample.length < 10) continue;
        const res = spectralScores(e.vecs, ref.mean, sample, seed);
        scored.push(
          `${label}: batch/baseline variance on top direction ${(res.batchVariance / (res.baselineVariance || 1e-12)).toFixed(2)}`,
        );
        res.scores.forEach((z, i) => {
          if (z <= SPECTRAL_Z) return;
          flaggedEmb++;
          const row = e.rows[i] ?? 0;
          sink.add(
            makeFinding(
              RULES.spectralOutlier,
              `row ${String(row)} (label ${JSON.stringify(label)}) projects ${z.toFixed(1)} baseline standard deviations out on its class's top direction`,
              { path, row, line: e.lines[i] ?? 0 },
            ),
          );
        });
      }
      const neighbours = embeddingNeighbourChecks(embBase, embeddings, seed, path);
      checks.push(...neighbours.checks);
      for (const f of neighbours.findings) sink.add(f);
      checks.push({
        id: 'embedding-spectral',
        name: 'Embedding outliers (spectral signature)',
        status: flaggedEmb > 0 ? 'fail' : scored.length === 0 ? 'skipped' : 'pass',
        method: `projection on the top singular vector per label, |z| > ${String(SPECTRAL_Z)} baseline SDs`,
        statistic: flaggedEmb,
        threshold: 0,
        count: flaggedEmb,
        rate: rate(flaggedEmb),
        message:
          scored.length > 0 ? scored.join('; ') : 'no label with ≥ 20 batch and ≥ 10 baseline embeddings',
      });
    }
  }

  // Provenance per source: new sources, and suspicious rows per source (absolute counts)
  if (roles.source !== undefined) {
    const perSource = sourceNames.map((name) => ({
      source: name,
      rows: 0,
      flagged: 0,
      inBaseline: (baseline.sources?.[name] ?? 0) > 0,
    }));
    for (let r = 0; r < rows; r++) {
      const si = sourceIdx[r] ?? 0xffff;
      const entry = si === 0xffff ? undefined : perSource[si];
      if (!entry) continue;
      entry.rows++;
      if (sink.quarantine.has(r)) entry.flagged++;
    }
    const fresh = perSource.filter((s) => !s.inBaseline);
    for (const s of fresh) {
      sink.add(
        makeFinding(
          RULES.newSource,
          `source ${JSON.stringify(s.source)} sent ${String(s.rows)} row(s) and is not in the baseline`,
          { path, pointer: `/sources/${s.source}` },
        ),
      );
    }
    perSource.sort((a, b) => b.flagged - a.flagged || b.rows - a.rows);
    checks.push({
      id: 'sources',
      name: 'Sources known to the baseline',
      status: fresh.length > 0 ? 'fail' : 'pass',
      method: 'source field values vs the baseline; flagged rows counted per source',
      statistic: fresh.length,
      threshold: 0,
      count: fresh.reduce((n, s) => n + s.rows, 0),
      message: `${String(perSource.length)} source(s), ${String(fresh.length)} new; most flagged: ${perSource
        .slice(0, 3)
        .map((s) => `${s.source} ${String(s.flagged)}/${String(s.rows)}`)
        .join(', ')}`,
      details: { perSource: perSource.slice(0, 100) },
    });
    const growth = sourceShareGrowth(
      baseline.sources ?? {},
      perSource,
      perSource.reduce((n, s) => n + s.rows, 0),
      options.sourceShareGrowth ?? SOURCE_GROWTH_POINTS,
    );
    for (const g of growth.grown) {
      sink.add(
        makeFinding(
          RULES.sourceShareGrowth,
          `source ${JSON.stringify(g.source)} sent ${(g.batchShare * 100).toFixed(1)} % of the rows (${String(g.rows)}), up from ${(g.baselineShare * 100).toFixed(1)} % in the baseline (binomial p=${g.pValue.toExponential(1)})`,
          { path, pointer: `/sources/${g.source}` },
        ),
      );
    }
    checks.push({
      id: 'source-share',
      name: 'No source grows its share of the data',
      status: growth.grown.length > 0 ? 'fail' : growth.compared ? 'pass' : 'skipped',
      method: `share of rows per source vs the baseline: up ≥ ${String((options.sourceShareGrowth ?? SOURCE_GROWTH_POINTS) * 100)} points, ≥ ${String(SOURCE_GROWTH_FACTOR)}× the baseline share, binomial p < ${String(SOURCE_GROWTH_P)}`,
      statistic: growth.maxGrowth,
      threshold: options.sourceShareGrowth ?? SOURCE_GROWTH_POINTS,
      count: growth.grown.reduce((n, g) => n + g.rows, 0),
      message: growth.compared
        ? growth.grown.length > 0
          ? growth.grown
              .map(
                (g) =>
                  `${g.source}: ${(g.baselineShare * 100).toFixed(1)} % → ${(g.batchShare * 100).toFixed(1)} %`,
              )
              .join(', ')
          : `largest growth ${(growth.maxGrowth * 100).toFixed(1)} points`
        : 'the baseline has no rows per source; profile it with --source-field',
      details: { grown: growth.grown },
    });
  }

  // Row-level content checks summarised
  const hiddenCount = sink.count(RULES.hiddenInstruction.id) + sink.count(RULES.exfiltrationUrl.id);
  const invisibleCount = sink.count(RULES.invisibleText.id);
  if (roles.text !== undefined) {
    checks.push({
      id: 'rag-hidden-instructions',
      name: 'Hidden instructions and exfiltration links',
      status: hiddenCount > 0 ? 'fail' : 'pass',
      method: 'instruction phrases, chat-template markers, image URLs with placeholders',
      statistic: hiddenCount,
      threshold: 0,
      count: hiddenCount,
      rate: rate(hiddenCount),
      message: `${String(hiddenCount)} finding(s)`,
    });
    // Hidden HTML text: any, when the baseline has none; otherwise more than the baseline's rate explains
    const baseDocsText = baseline.text?.docs ?? 0;
    const baseCss = baseline.text?.docsWithCssHiddenText ?? 0;
    const textDocs = acc.text?.docs ?? 0;
    const cssCount = cssHiddenRows.length;
    const cssExpected = baseDocsText > 0 ? (textDocs * baseCss) / baseDocsText : 0;
    const cssP = baseCss > 0 ? poissonSf(cssCount, cssExpected) : cssCount > 0 ? 0 : 1;
    const cssFail = cssCount > 0 && (baseCss === 0 || cssP < 0.001);
    if (cssFail) {
      for (const c of cssHiddenRows) {
        const first = c.hits[0];
        if (!first) continue;
        sink.add(
          makeFinding(
            RULES.cssHiddenText,
            `row ${String(c.row)}: text hidden by ${first.reason} at line ${String(first.line)}, column ${String(first.column)} of ${JSON.stringify(roles.text)}: ${JSON.stringify(first.text.slice(0, 100))}${c.hits.length > 1 ? ` (and ${String(c.hits.length - 1)} more)` : ''}`,
            {
              path,
              row: c.row,
              line: c.line,
              pointer: `/${roles.text}`,
              evidence: c.hits
                .slice(0, 5)
                .map((h) => `${h.reason} @${String(h.line)}:${String(h.column)}`)
                .join('; '),
            },
          ),
        );
      }
    }
    checks.push({
      id: 'rag-css-hidden-text',
      name: 'Text hidden by HTML styling',
      status: cssFail ? 'fail' : 'pass',
      method:
        'display:none, visibility:hidden, opacity/font-size ≈ 0, colour = background, off-screen, zero-size boxes, hidden attribute, classes hidden by <style>; ≥ 20 letters; any when the baseline has none, else Poisson p < 0.001 vs its rate',
      statistic: cssCount,
      threshold: baseCss > 0 ? cssExpected : 0,
      count: cssCount,
      rate: rate(cssCount),
      message:
        baseCss > 0
          ? `${String(cssCount)} document(s) with hidden text; ${cssExpected.toFixed(1)} expected at the baseline rate (${String(baseCss)} of ${String(baseDocsText)})`
          : `${String(cssCount)} document(s) with hidden text`,
    });
    checks.push({
      id: 'rag-invisible-characters',
      name: 'Invisible and bidirectional characters',
      status: invisibleCount > 0 ? 'fail' : 'pass',
      method: 'Unicode tags, bidi controls, ≥ 3 zero-width characters',
      statistic: invisibleCount,
      threshold: 0,
      count: invisibleCount,
      rate: rate(invisibleCount),
      message: `${String(invisibleCount)} row(s)`,
    });
  }
  const outliers = sink.count(RULES.outlier.id);
  checks.push({
    id: 'outliers-per-label',
    name: 'Outliers per label',
    status: outliers > 0 ? 'warn' : 'pass',
    method: `robust z-score (median/MAD) per label > ${String(ROBUST_Z_OUTLIER)}`,
    statistic: outliers,
    threshold: 0,
    count: outliers,
    rate: rate(outliers),
    message: `${String(outliers)} outlier row(s) (reported at low severity)`,
  });

  for (const [ruleId, n] of sink.truncated()) {
    sink.findings.push(
      makeFinding(
        RULES.truncated,
        `${String(n)} findings of ${ruleId}; the first ${String(options.maxFindingsPerRule ?? 10_000)} are listed`,
        { path },
      ),
    );
  }

  const findings = sink.findings.sort(
    (a, b) =>
      (a.location?.row ?? -1) - (b.location?.row ?? -1) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  const failing =
    options.failOn !== 'none' && findings.some((f) => isAtOrAbove(f.severity, options.failOn as Severity));
  const statusCounts: Record<CheckStatus, number> = {
    pass: 0,
    fail: 0,
    warn: 0,
    skipped: 0,
    inconclusive: 0,
  };
  for (const c of checks) statusCounts[c.status]++;
  const bySeverity: Record<string, number> = {};
  for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const prov = manifest?.statement.predicate.provenance;
  const report: ScanReport = {
    tool: options.tool,
    ...(options.atlasVersion !== undefined ? { atlasVersion: options.atlasVersion } : {}),
    verdict: failing ? 'fail' : 'pass',
    inconclusive: statusCounts.inconclusive > 0,
    batch: {
      path,
      format: reader.format,
      bytes: reader.bytes,
      sha256: batchProfile.dataset.sha256,
      rows,
      malformedRows: malformedCount,
    },
    baseline: {
      path: basename(options.baselinePath),
      kind: baselineKind,
      rows: baseline.dataset.rows,
      sha256: baseline.dataset.sha256,
    },
    provenance: {
      scannedAt: options.now().toISOString(),
      ...(manifest
        ? {
            manifest: {
              path: basename(options.manifestPath ?? ''),
              container: manifest.container,
              signature: manifest.signature.status,
              ...(manifest.signature.keyid !== undefined ? { signer: manifest.signature.keyid } : {}),
              ...(prov?.source !== undefined ? { source: prov.source } : {}),
              ...(prov?.producer !== undefined ? { producer: prov.producer } : {}),
              createdAt: manifest.statement.predicate.createdAt,
            },
          }
        : {}),
    },
    checks,
    findings,
    summary: { checks: statusCounts, findings: bySeverity, flaggedRows: sink.quarantine.size },
    plots,
  };
  return { report, quarantine: sink.quarantine };
}

const SOURCE_GROWTH_POINTS = 0.1;
const SOURCE_GROWTH_FACTOR = 2;
const SOURCE_GROWTH_P = 0.001;

interface SourceGrowth {
  source: string;
  rows: number;
  batchShare: number;
  baselineShare: number;
  pValue: number;
}

/**
 * Poisoning by volume: one source sending a much larger share of the rows than it did in the baseline.
 * A source grows when its share rises by at least `points`, to at least twice its baseline share, and the
 * rise is unlikely by chance (one-sided binomial test against the baseline share). New sources are left to
 * the `sources` check.
 */
export function sourceShareGrowth(
  baselineCounts: Readonly<Record<string, number>>,
  batch: ReadonlyArray<{ source: string; rows: number }>,
  batchRows: number,
  points: number,
): { compared: boolean; grown: SourceGrowth[]; maxGrowth: number } {
  const baseTotal = Object.values(baselineCounts).reduce((a, b) => a + b, 0);
  if (baseTotal === 0 || batchRows === 0) return { compared: false, grown: [], maxGrowth: 0 };
  const grown: SourceGrowth[] = [];
  let maxGrowth = 0;
  for (const s of batch) {
    const base = baselineCounts[s.source] ?? 0;
    if (base === 0) continue;
    const baselineShare = base / baseTotal;
    const batchShare = s.rows / batchRows;
    maxGrowth = Math.max(maxGrowth, batchShare - baselineShare);
    if (batchShare - baselineShare < points || batchShare < SOURCE_GROWTH_FACTOR * baselineShare) continue;
    const pValue = binomialSf(s.rows, batchRows, baselineShare);
    if (pValue < SOURCE_GROWTH_P)
      grown.push({ source: s.source, rows: s.rows, batchShare, baselineShare, pValue });
  }
  grown.sort((a, b) => b.batchShare - b.baselineShare - (a.batchShare - a.baselineShare));
  return { compared: true, grown, maxGrowth };
}

/** Batches expected to have more rows than this search a proportionally smaller kNN reference… */
const KNN_LARGE_BATCH = 250_000;
/** …of at least this many baseline rows. */
const KNN_MIN_REFERENCE = 500;

/** The baseline's kNN reference sample in standard-deviation units, ready to vote on batch rows. */
function tabularAgreement(
  tab: NonNullable<DataProfile['tabular']>,
  expectedRows: number,
): LabelAgreement | undefined {
  const knn = tab.knn;
  if (!knn) return undefined;
  const d = tab.features.length;
  const raw = base64ToF32(knn.points);
  const labels = base64ToU16(knn.labelIndex);
  const stored = Math.min(labels.length, Math.floor(raw.length / Math.max(1, d)));
  // large batches search a smaller (still uniform: a prefix of the seeded sample) reference
  const n =
    expectedRows > KNN_LARGE_BATCH
      ? Math.max(KNN_MIN_REFERENCE, Math.floor((stored * KNN_LARGE_BATCH) / expectedRows))
      : stored;
  const reduced = n < stored;
  const points = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = raw[i * d + j] ?? NaN;
      points[i * d + j] = scaleFeature(Number.isNaN(v) ? undefined : v, tab.std[j] ?? 0);
    }
  const ref = new KnnReference(d, points, labels.subarray(0, n), knn.labels, knn.k);
  // the profile's rates belong to the full reference; a reduced one measures its own
  return new LabelAgreement(ref, reduced ? ref.looRates() : knn.labels.map((name) => knn.rates[name] ?? 0));
}

/** P(X ≥ k) for X ~ Binomial(n, p) via the normal approximation with continuity correction (n large) or exact sum. */
function binomialSf(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (n <= 2000) {
    let logTerm = n * Math.log1p(-p);
    let cdf = 0;
    for (let x = 0; x < k; x++) {
      cdf += Math.exp(logTerm);
      logTerm += Math.log(n - x) - Math.log(x + 1) + Math.log(p) - Math.log1p(-p);
    }
    return Math.max(0, 1 - cdf);
  }
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const z = (k - 0.5 - mean) / sd;
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes-style Chebyshev approximation (relative error < 1.2e-7)
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export type { DataRule };
