import { z } from 'zod';
import { fieldRolesSchema } from '../roles.js';

export const PROFILE_KIND = 'atlasguard.data-profile';
export const PROFILE_VERSION = 1;

const numericSummary = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number(),
  /** Interior cut points of 10 quantile bins (used for PSI) and the reference counts per bin. */
  quantileEdges: z.array(z.number()),
  binCounts: z.array(z.number()),
  /** Seeded uniform sample of the values (reservoir) used for KS and Wasserstein. */
  sample: z.array(z.number()),
});
export type NumericSummary = z.infer<typeof numericSummary>;

export const columnTypeSchema = z.enum([
  'numeric',
  'categorical',
  'boolean',
  'text',
  'id',
  'vector',
  'object',
  'mixed',
  'empty',
]);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export const columnProfileSchema = z.object({
  name: z.string(),
  type: columnTypeSchema,
  count: z.number().int(),
  nulls: z.number().int(),
  distinct: z.number().int(),
  /** true when more distinct values were seen than the profile keeps. */
  distinctCapped: z.boolean(),
  numeric: numericSummary.optional(),
  categories: z.record(z.string(), z.number()).optional(),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

const robust = z.object({ n: z.number().int(), median: z.number(), mad: z.number() });

export const textProfileSchema = z.object({
  field: z.string(),
  docs: z.number().int(),
  length: numericSummary,
  charClasses: z.object({
    letter: z.number(),
    digit: z.number(),
    space: z.number(),
    punct: z.number(),
    nonAscii: z.number(),
  }),
  /** log(1 + length) per label: median and MAD, for per-label outliers. */
  logLengthByLabel: z.record(z.string(), robust),
  docsWithHiddenText: z.number().int(),
  /** Documents with HTML text hidden by styling (absent in older profiles). */
  docsWithCssHiddenText: z.number().int().optional(),
  vocabulary: z.object({
    /** Distinct terms (words and word pairs) counted, and how many were seen in one document only. */
    size: z.number().int(),
    rare: z.number().int(),
    /** Terms with a document frequency below this were pruned while counting or not stored. */
    minStoredDf: z.number().int(),
    labels: z.array(z.string()),
    /** [term, document frequency, documents per label (in `labels` order)] */
    terms: z.array(z.tuple([z.string(), z.number().int(), z.array(z.number().int())])),
  }),
});
export type TextProfile = z.infer<typeof textProfileSchema>;

/** Sampled documents (rows) for duplicate search: exact hashes, labels, and MinHash signatures for text. */
export const documentsProfileSchema = z.object({
  scheme: z.literal('one-permutation-minhash/64x16bit/word-5-shingles'),
  seed: z.number().int(),
  /** Documents stored (a seeded sample when the dataset has more than the cap). */
  docs: z.number().int(),
  labels: z.array(z.string()),
  /** base64, little-endian: uint16 label index per document (65535 = none) */
  labelIndex: z.string(),
  /** base64, little-endian: 64 uint16 per document (text datasets only) */
  signatures: z.string().optional(),
  /** base64: first 8 bytes of SHA-256 of the normalised text (tabular: of the row without id and label) */
  exact: z.string(),
  /**
   * base64, tables only: two 6-byte little-endian near-duplicate keys per document (numbers rounded to 3
   * significant digits on two shifted grids, strings normalised; feature columns only). Absent in older
   * profiles.
   */
  near: z.string().optional(),
});
export type DocumentsProfile = z.infer<typeof documentsProfileSchema>;

export const tabularProfileSchema = z.object({
  features: z.array(z.string()),
  /** Per-feature standard deviation over all rows (scales distances). */
  std: z.array(z.number()),
  centroids: z.record(z.string(), z.object({ n: z.number().int(), mean: z.array(z.number()) })),
  /** Share of a seeded sample of reference rows whose label is not the nearest centroid's by the margin. */
  disagreementRate: z.number(),
  /** Per label and feature, robust location/scale for outliers. */
  robustByLabel: z.record(z.string(), z.array(robust)),
  /**
   * Reference sample for k-nearest-neighbour label agreement (absent in older profiles: the centroid
   * check is used then).
   */
  knn: z
    .object({
      k: z.number().int().positive(),
      /** base64 float32 LE, row-major over `features` (raw values; NaN = missing) */
      points: z.string(),
      /** base64 uint16 LE: index into `labels` per point */
      labelIndex: z.string(),
      labels: z.array(z.string()),
      /** Leave-one-out disagreement rate of the reference sample per label (add-one smoothed). */
      rates: z.record(z.string(), z.number()),
    })
    .optional(),
});
export type TabularProfile = z.infer<typeof tabularProfileSchema>;

export const embeddingProfileSchema = z.object({
  field: z.string(),
  dims: z.number().int().positive(),
  byLabel: z.record(
    z.string(),
    z.object({
      n: z.number().int(),
      mean: z.array(z.number()),
      sample: z.string().describe('base64 float32 LE, row-major'),
    }),
  ),
});
export type EmbeddingProfile = z.infer<typeof embeddingProfileSchema>;

export const dataProfileSchema = z.object({
  kind: z.literal(PROFILE_KIND),
  version: z.literal(PROFILE_VERSION),
  createdAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  dataset: z.object({
    path: z.string(),
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
    bytes: z.number().int(),
    sha256: z.string(),
    rows: z.number().int(),
    malformedRows: z.number().int(),
  }),
  roles: fieldRolesSchema,
  seed: z.number().int(),
  columns: z.array(columnProfileSchema),
  labels: z.record(z.string(), z.number().int()).optional(),
  /** Rows per source (with a --source-field). */
  sources: z.record(z.string(), z.number().int()).optional(),
  text: textProfileSchema.optional(),
  documents: documentsProfileSchema.optional(),
  tabular: tabularProfileSchema.optional(),
  embedding: embeddingProfileSchema.optional(),
});
export type DataProfile = z.infer<typeof dataProfileSchema>;
