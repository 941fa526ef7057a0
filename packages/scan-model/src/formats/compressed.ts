import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Collector } from '../scan/collector.js';
import { childMember, type Recurse, type ScanNode } from '../scan/node.js';
import { BufferSource } from '../source/byte-source.js';

const DECODERS = {
  gzip: gunzipSync,
  zlib: inflateSync,
  brotli: brotliDecompressSync,
} as const;

/**
 * Single-stream compression wrappers (joblib's compressors, .gz models). Node's zlib covers gzip and zlib;
 * bzip2, xz, zstd and lz4 have no decoder in Node 20 and end inconclusive rather than unscanned-but-clean.
 */
export function scanCompressed(node: ScanNode, c: Collector, recurse: Recurse, kind: string): string {
  const decode = (DECODERS as Record<string, typeof gunzipSync | undefined>)[kind];
  if (!decode) {
    c.inconclusiveBecause(
      `${kind} compression is not decoded by this scanner (Node's zlib has no ${kind} decoder and no decoder dependency is bundled); decompress it and scan the result`,
      { member: node.member, offset: 0 },
    );
    return kind;
  }
  const cap = Math.min(c.budget.maxMemberInflate, c.budget.maxInflatedTotal - c.budget.inflated);
  if (node.src.size > c.budget.maxMemberInflate) {
    c.inconclusiveBecause(`${kind} stream larger than the decompression budget`, {
      member: node.member,
      offset: 0,
    });
    return kind;
  }
  let out: Buffer;
  try {
    out = decode(node.src.read(0, node.src.size).slice(), { maxOutputLength: Math.max(1, cap) });
  } catch (error) {
    const tooBig =
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
    if (tooBig)
      c.add(
        'AG-MODEL-ZIP-BOMB',
        'medium',
        'Compressed stream exceeds the decompression budget',
        `${kind} output passes ${String(cap)} bytes`,
        { member: node.member, offset: 0 },
      );
    c.inconclusiveBecause(
      tooBig
        ? `${kind} output exceeds the byte budget`
        : `${kind} stream does not decode: ${error instanceof Error ? error.message : String(error)}`,
      { member: node.member, offset: 0 },
    );
    return kind;
  }
  c.budget.inflated += out.length;
  const inner = node.name.replace(/\.(gz|tgz|z)$/i, '');
  const format = recurse(
    {
      src: new BufferSource(out),
      name: inner === node.name ? `${node.name}.inner` : inner,
      member: childMember(node, `${kind}-body`),
      depth: node.depth + 1,
    },
    c,
  );
  return `${kind}+${format}`;
}
