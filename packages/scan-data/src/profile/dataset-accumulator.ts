import { createHash } from 'node:crypto';
import { canonicalJson } from '../hash/canonical-json.js';
import { quantisedRowKeys } from '../hash/quantised-row.js';
import type { RecordItem } from '../read/record-types.js';
import { asNumber, asVector, fieldText, fieldValue, type FieldRoles } from '../roles.js';
import type { CssHiddenHit } from '../text/hidden-html.js';
import type { HiddenTextHit } from '../text/hidden-instructions.js';
import { minhashSignature, PERMUTATIONS } from '../text/minhash.js';
import { normalizeForDuplicates, tokenize } from '../text/tokenize.js';
import { ColumnAccumulator } from './column-accumulator.js';
import { EmbeddingAccumulator } from './embedding-accumulator.js';
import { LabelIndex } from './label-index.js';
import type { ColumnType, DataProfile } from './profile-schema.js';
import { nearKeysToBase64, SignatureStore, u16ToBase64 } from './signature-store.js';
import { TabularAccumulator } from './tabular-accumulator.js';
import { TextAccumulator } from './text-accumulator.js';

export const DEFAULT_SEED = 20_240_601;
export const MAX_COLUMNS_PROFILED = 4096;

/** What one row contributes to row-level checks. */
export interface RowInfo {
  row: number;
  line: number;
  source: string | undefined;
  label: string | undefined;
  labelIndex: number;
  text: string | undefined;
  hidden: HiddenTextHit[];
  cssHidden: CssHiddenHit[];
  /** Index in the signature store, or -1. */
  slot: number;
  /** Near-duplicate keys of a table row (no text field). */
  nearKeys: [number, number] | undefined;
  features: Array<number | undefined> | undefined;
  embedding: Float64Array | undefined;
  embeddingProblem: string | undefined;
  missingRoleFields: string[];
}

export interface AccumulatorOptions {
  seed: number;
  /** Most documents whose signatures are kept (a seeded sample beyond). */
  documentCap: number;
  /** Keep per-row infos for the batch? (scan: yes, profile: no) */
  embeddingSample?: number;
  /** Exact-content hashes of table rows (profile: yes; a scanned batch groups rows by near keys instead). */
  tableRowHashes?: boolean;
}

/** One pass over a dataset: column statistics, labels, text, duplicates, tabular and embedding summaries. */
export class DatasetAccumulator {
  readonly labels = new LabelIndex();
  readonly labelCounts = new Map<string, number>();
  readonly sourceCounts = new Map<string, number>();
  readonly columns = new Map<string, ColumnAccumulator>();
  readonly text: TextAccumulator | undefined;
  readonly store: SignatureStore;
  readonly embedding: EmbeddingAccumulator | undefined;
  tabular: TabularAccumulator | undefined;
  rows = 0;
  malformed = 0;
  private readonly roleNames: Set<string>;

  constructor(
    readonly roles: FieldRoles,
    readonly options: AccumulatorOptions,
  ) {
    this.text = roles.text !== undefined ? new TextAccumulator(roles.text, options.seed) : undefined;
    this.store = new SignatureStore(options.documentCap, options.seed);
    this.embedding =
      roles.embedding !== undefined
        ? new EmbeddingAccumulator(roles.embedding, options.seed, options.embeddingSample)
        : undefined;
    this.roleNames = new Set(
      [roles.text, roles.label, roles.id, roles.embedding, roles.source].filter(
        (x): x is string => x !== undefined,
      ),
    );
  }

  /** Feature columns: the --feature list, else every column that has no other role. */
  featureColumns(): string[] {
    if (this.roles.features.length > 0) return this.roles.features;
    return [...this.columns.keys()].filter((c) => !this.roleNames.has(c));
  }

  /** Fields that make up a table row's near-duplicate key: the --feature list, else every non-role field, sorted. */
  private nearFields(values: Readonly<Record<string, unknown>>): string[] {
    if (this.roles.features.length > 0) return [...this.roles.features].sort();
    return Object.keys(values)
      .filter((k) => !this.roleNames.has(k))
      .sort();
  }

  addMalformed(): void {
    this.rows++;
    this.malformed++;
  }

  add(item: RecordItem): RowInfo {
    this.rows++;
    const values = item.values;
    for (const key of Object.keys(values)) {
      let col = this.columns.get(key);
      if (!col) {
        if (this.columns.size >= MAX_COLUMNS_PROFILED) continue;
        col = new ColumnAccumulator(key, this.options.seed ^ this.columns.size);
        this.columns.set(key, col);
      }
      col.add(values[key]);
    }
    const missing: string[] = [];
    for (const name of this.roleNames) if (fieldValue(values, name) === undefined) missing.push(name);
    const source = fieldText(values, this.roles.source);
    if (source !== undefined && (this.sourceCounts.has(source) || this.sourceCounts.size < 10_000)) {
      this.sourceCounts.set(source, (this.sourceCounts.get(source) ?? 0) + 1);
    }
    const label = fieldText(values, this.roles.label);
    const labelIndex = this.labels.indexOf(label);
    if (label !== undefined) this.labelCounts.set(label, (this.labelCounts.get(label) ?? 0) + 1);

    const text = fieldText(values, this.roles.text);
    let hidden: HiddenTextHit[] = [];
    let cssHidden: CssHiddenHit[] = [];
    let slot = -1;
    let exact: Buffer;
    let nearKeys: [number, number] | undefined;
    if (this.text && text !== undefined) {
      const tokens = tokenize(text);
      const added = this.text.add(text, tokens, labelIndex);
      hidden = added.hidden;
      cssHidden = added.cssHidden;
      exact = createHash('sha256').update(normalizeForDuplicates(text)).digest();
      slot = this.store.add(minhashSignature(tokens), exact, labelIndex, item.row);
    } else {
      if (this.options.tableRowHashes === false) exact = NO_HASH;
      else {
        const rest: Record<string, unknown> = {};
        for (const key of Object.keys(values)) {
          if (key !== this.roles.id && key !== this.roles.label) rest[key] = values[key];
        }
        exact = createHash('sha256').update(canonicalJson(rest)).digest();
      }
      if (!this.text) {
        const fields = this.nearFields(values);
        if (fields.length > 0) nearKeys = quantisedRowKeys(values, fields);
        slot = this.store.add(EMPTY_SIG, exact, labelIndex, item.row, nearKeys);
      }
    }

    let features: Array<number | undefined> | undefined;
    if (!this.text && this.roles.label !== undefined) {
      this.tabular ??= new TabularAccumulator(this.featureColumns(), this.options.seed);
      features = this.tabular.columns.map((c) => asNumber(fieldValue(values, c)));
      this.tabular.add(features, labelIndex);
    }

    let embedding: Float64Array | undefined;
    let embeddingProblem: string | undefined;
    if (this.embedding && this.roles.embedding !== undefined) {
      const raw = fieldValue(values, this.roles.embedding);
      if (raw !== undefined && raw !== null && raw !== '') {
        embedding = asVector(raw);
        if (!embedding) embeddingProblem = 'the embedding is not a list of numbers';
        else if (!this.embedding.add(embedding, labelIndex)) {
          embeddingProblem = `the embedding has ${String(embedding.length)} dimensions, expected ${String(this.embedding.dims)}`;
          embedding = undefined;
        }
      }
    }
    return {
      row: item.row,
      line: item.line,
      source,
      label,
      labelIndex,
      text,
      hidden,
      cssHidden,
      slot,
      nearKeys,
      features,
      embedding,
      embeddingProblem,
      missingRoleFields: missing,
    };
  }

  forcedType(name: string): ColumnType | undefined {
    if (name === this.roles.id) return 'id';
    if (name === this.roles.text) return 'text';
    if (name === this.roles.embedding) return 'vector';
    if (name === this.roles.label || name === this.roles.source) return 'categorical';
    return undefined;
  }

  finish(meta: {
    path: string;
    format: DataProfile['dataset']['format'];
    bytes: number;
    sha256: string;
    createdAt: string;
    tool: { name: string; version: string };
    /**
     * For a scanned batch: only what the comparison with the baseline reads (columns, labels, text
     * lengths); no stored vocabulary, document signatures, kNN sample or embedding sample.
     */
    summaryOnly?: boolean;
  }): DataProfile {
    const full = meta.summaryOnly !== true;
    const recordRows = this.rows - this.malformed;
    const columns = [...this.columns.values()].map((c) => {
      // a key missing from some JSON rows counts as null there
      c.nulls += recordRows - c.count;
      c.count = recordRows;
      return c.finish(this.forcedType(c.name));
    });
    const profile: DataProfile = {
      kind: 'atlasguard.data-profile',
      version: 1,
      createdAt: meta.createdAt,
      tool: meta.tool,
      dataset: {
        path: meta.path,
        format: meta.format,
        bytes: meta.bytes,
        sha256: meta.sha256,
        rows: this.rows,
        malformedRows: this.malformed,
      },
      roles: this.roles,
      seed: this.options.seed,
      columns,
    };
    if (this.roles.label !== undefined) profile.labels = Object.fromEntries(this.labelCounts);
    if (this.roles.source !== undefined) profile.sources = Object.fromEntries(this.sourceCounts);
    if (this.text) profile.text = this.text.finish(this.labels, full);
    if (!full) return profile;
    const n = this.store.size;
    profile.documents = {
      scheme: 'one-permutation-minhash/64x16bit/word-5-shingles',
      seed: this.options.seed,
      docs: n,
      labels: [...this.labels.names],
      labelIndex: u16ToBase64(this.store.labels, n),
      ...(this.text ? { signatures: u16ToBase64(this.store.sigs, n * PERMUTATIONS) } : {}),
      exact: Buffer.from(this.store.exact.subarray(0, n * 8)).toString('base64'),
      ...(this.text ? {} : { near: nearKeysToBase64(this.store.near, n) }),
    };
    if (this.tabular) {
      const byName = new Map(columns.map((c) => [c.name, c]));
      const numeric = this.tabular.columns.map((c) => byName.get(c)?.type === 'numeric');
      const std = this.tabular.columns.map((c) => byName.get(c)?.numeric?.std ?? 0);
      const t = this.tabular.finish(this.labels, numeric, std);
      if (t) profile.tabular = t;
    }
    const e = this.embedding?.finish(this.labels);
    if (e) profile.embedding = e;
    return profile;
  }
}

const EMPTY_SIG = new Uint16Array(PERMUTATIONS);
const NO_HASH = Buffer.alloc(32);
