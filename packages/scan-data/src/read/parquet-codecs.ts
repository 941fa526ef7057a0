import * as zlib from 'node:zlib';

/** Largest decompressed Parquet page accepted (a page header is attacker-controlled). */
export const MAX_PARQUET_PAGE = 256 * 1024 * 1024;

type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;

function bounded(name: string, run: (input: Uint8Array, size: number) => Buffer): Decompressor {
  return (input, outputLength) => {
    if (!Number.isSafeInteger(outputLength) || outputLength < 0 || outputLength > MAX_PARQUET_PAGE)
      throw new Error(
        `${name} page claims ${String(outputLength)} bytes (at most ${String(MAX_PARQUET_PAGE)})`,
      );
    // maxOutputLength stops a decompression bomb at the size the page header declares
    const out = run(input, Math.max(1, outputLength));
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
}

type ZstdSync = (input: Uint8Array, options: { maxOutputLength: number }) => Buffer;

/** zlib's zstd decoder where the running Node.js has one (22.15+, 23.8+); Node 20 has none. */
export function runtimeZstd(): ZstdSync | undefined {
  const candidate = (zlib as unknown as { zstdDecompressSync?: unknown }).zstdDecompressSync;
  return typeof candidate === 'function' ? (candidate as ZstdSync) : undefined;
}

/**
 * Page decompressors beyond hyparquet's built-in Snappy, all from node:zlib: GZIP, BROTLI, and ZSTD when
 * the runtime provides it. No JavaScript zstd decoder is bundled.
 */
export function parquetDecompressors(): Partial<Record<'GZIP' | 'BROTLI' | 'ZSTD', Decompressor>> {
  const out: Partial<Record<'GZIP' | 'BROTLI' | 'ZSTD', Decompressor>> = {
    GZIP: bounded('GZIP', (input, size) => zlib.gunzipSync(input, { maxOutputLength: size })),
    BROTLI: bounded('BROTLI', (input, size) => zlib.brotliDecompressSync(input, { maxOutputLength: size })),
  };
  const zstd = runtimeZstd();
  if (zstd) out.ZSTD = bounded('ZSTD', (input, size) => zstd(input, { maxOutputLength: size }));
  return out;
}

/** Codecs this reader can decode in the running Node.js. */
export function supportedParquetCodecs(): Set<string> {
  return new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(parquetDecompressors())]);
}
