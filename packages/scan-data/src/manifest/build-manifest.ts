import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { recordHash } from '../hash/record-hash.js';
import type { DatasetReader } from '../read/record-types.js';
import { fieldText } from '../roles.js';
import {
  IN_TOTO_STATEMENT_TYPE,
  MANIFEST_PREDICATE_TYPE,
  type ManifestStatement,
  type Provenance,
} from './manifest-schema.js';

/** SHA-256 of a whole file, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
  }
  return h.digest('hex');
}

export interface BuildManifestOptions {
  idField?: string | undefined;
  provenance: Provenance;
  tool: { name: string; version: string };
  now: () => Date;
}

/** Builds the in-toto Statement that lists the file digest and one hash per row (in file order). */
export async function buildManifest(
  reader: DatasetReader & { bytes: number },
  options: BuildManifestOptions,
): Promise<ManifestStatement> {
  const records: ManifestStatement['predicate']['records'] = [];
  let malformed = 0;
  for await (const item of reader.items()) {
    const hash = recordHash(item);
    if (item.kind === 'malformed') malformed++;
    const id = item.kind === 'record' ? fieldText(item.values, options.idField) : undefined;
    records.push(id === undefined ? [hash] : [hash, id]);
  }
  const digest = await fileSha256(reader.path);
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: basename(reader.path), digest: { sha256: digest } }],
    predicateType: MANIFEST_PREDICATE_TYPE,
    predicate: {
      version: 1,
      createdAt: options.now().toISOString(),
      tool: options.tool,
      dataset: {
        path: basename(reader.path),
        format: reader.format,
        bytes: reader.bytes,
        rows: records.length,
        malformedRows: malformed,
        ...(options.idField !== undefined ? { idField: options.idField } : {}),
        recordHash: 'sha256(canonical-json(record))',
      },
      provenance: options.provenance,
      records,
    },
  };
}
