import { createHash } from 'node:crypto';
import type { ReadItem } from '../read/record-types.js';
import { canonicalJson } from './canonical-json.js';

/**
 * SHA-256 of a row: of its canonical JSON (RFC 8785 style) for rows that were read, of its raw text for
 * malformed rows. The same values give the same hash whatever the key order or whitespace in the file.
 */
export function recordHash(item: ReadItem): string {
  const h = createHash('sha256');
  h.update(item.kind === 'record' ? canonicalJson(item.values) : `malformed:${item.raw}`);
  return h.digest('hex');
}
