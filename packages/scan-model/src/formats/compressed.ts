import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Collector } from '../scan/collector.js';
import { childMember, type Recurse, type ScanNode } from '../scan/node.js';
import { BufferSource, SliceSource, type ByteSource } from '../source/byte-source.js';
import { InflateError, InflateSource } from '../source/inflate-source.js';

/** Compressed wrappers larger than this are decoded on demand (flat memory) instead of in memory. */
const STREAM_ABOVE = 1024 * 1024;

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
  if ((kind === 'gzip' || kind === 'zlib') && node.src.size > STREAM_ABOVE)
    return streamed(node, c, recurse, kind);
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

/** Where the raw deflate data of a gzip member or zlib stream starts, and the trailer length after it. */
function deflateStart(src: ByteSource, kind: 'gzip' | 'zlib'): { start: number; trailer: number } {
  const head = src.read(0, 10).slice();
  if (kind === 'zlib') {
    if (((head[1] ?? 0) & 0x20) !== 0) throw new InflateError('zlib stream needs a preset dictionary');
    return { start: 2, trailer: 4 };
  }
  if (head[2] !== 8) throw new InflateError('gzip compression method is not deflate');
  const flags = head[3] ?? 0;
  let pos = 10;
  if (flags & 0x04) {
    const x = src.read(pos, 2);
    pos += 2 + ((x[0] ?? 0) | ((x[1] ?? 0) << 8));
  }
  for (const bit of [0x08, 0x10]) {
    if (!(flags & bit)) continue;
    // Zero-terminated file name or comment, bounded.
    let n = 0;
    while (pos < src.size && n < 65536 && (src.read(pos, 1)[0] ?? 0) !== 0) {
      pos++;
      n++;
    }
    pos++;
  }
  if (flags & 0x02) pos += 2;
  if (pos >= src.size) throw new InflateError('gzip header runs past the data');
  return { start: pos, trailer: 8 };
}

/** gzip / zlib decoded on demand: one pass measures the output (within the budget), the scan reads it again. */
function streamed(node: ScanNode, c: Collector, recurse: Recurse, kind: 'gzip' | 'zlib'): string {
  const where = { member: node.member, offset: 0 };
  const left = c.budget.maxInflatedTotal - c.budget.inflated;
  let body: InflateSource;
  try {
    const { start, trailer } = deflateStart(node.src, kind);
    body = new InflateSource(new SliceSource(node.src, start, node.src.size - start), left, (n) => {
      c.budget.inflated += n;
      if (c.budget.inflated > c.budget.maxInflatedTotal)
        throw new InflateError('the decompression byte budget of the file is exhausted');
    });
    const { consumed } = body.measure();
    // gunzip reads concatenated members: anything after this member's trailer would be a second stream.
    if (start + consumed + trailer < node.src.size)
      throw new InflateError(
        `${String(node.src.size - (start + consumed + trailer))} bytes follow the first ${kind} stream (a second member is not scanned)`,
      );
  } catch (error) {
    const budget = error instanceof InflateError && /budget/.test(error.message);
    if (budget)
      c.add(
        'AG-MODEL-ZIP-BOMB',
        'medium',
        'Compressed stream exceeds the decompression budget',
        `${kind} output passes the file's decompression budget`,
        where,
      );
    c.inconclusiveBecause(
      `${kind} stream cannot be scanned: ${error instanceof Error ? error.message : String(error)}`,
      where,
    );
    return kind;
  }
  const inner = node.name.replace(/\.(gz|tgz|z)$/i, '');
  try {
    const format = recurse(
      {
        src: body,
        name: inner === node.name ? `${node.name}.inner` : inner,
        member: childMember(node, `${kind}-body`),
        depth: node.depth + 1,
      },
      c,
    );
    return `${kind}+${format}`;
  } catch (error) {
    if (!(error instanceof InflateError)) throw error;
    c.inconclusiveBecause(`${kind} stream cannot be scanned: ${error.message}`, where);
    return kind;
  }
}
