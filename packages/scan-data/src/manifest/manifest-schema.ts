import { z } from 'zod';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const MANIFEST_PREDICATE_TYPE = 'urn:atlasguard:dataset-manifest:v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');

/** Where a batch came from (AML.M0025 "Maintain AI Dataset Provenance"). */
export const provenanceSchema = z
  .object({
    source: z.string().max(4096).optional(),
    producer: z.string().max(1024).optional(),
    license: z.string().max(256).optional(),
    fetchedAt: z.string().max(64).optional(),
    note: z.string().max(4096).optional(),
  })
  .strict();
export type Provenance = z.infer<typeof provenanceSchema>;

export const manifestPredicateSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  dataset: z.object({
    path: z.string(),
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
    bytes: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    malformedRows: z.number().int().nonnegative(),
    idField: z.string().optional(),
    recordHash: z.literal('sha256(canonical-json(record))'),
  }),
  provenance: provenanceSchema,
  /** One entry per row in file order: [sha256] or [sha256, id]. */
  records: z.array(z.union([z.tuple([sha256Hex]), z.tuple([sha256Hex, z.string()])])),
});
export type ManifestPredicate = z.infer<typeof manifestPredicateSchema>;

export const manifestStatementSchema = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z
    .array(z.object({ name: z.string(), digest: z.object({ sha256: sha256Hex }).loose() }))
    .min(1)
    .max(1),
  predicateType: z.literal(MANIFEST_PREDICATE_TYPE),
  predicate: manifestPredicateSchema,
});
export type ManifestStatement = z.infer<typeof manifestStatementSchema>;

export const dsseEnvelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })).max(16),
});
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;
