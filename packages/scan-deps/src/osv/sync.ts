import { createHash } from 'node:crypto';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { writeFileAtomic } from '@atlasguard/io';
import { osvExportPath, osvMetaPath, type SyncEcosystem, type SyncMeta } from './osv-cache-layout.js';
import { listZipEntries, ZipError } from './zip-reader.js';

/** The osv.dev bucket that publishes `<Ecosystem>/all.zip` exports; override with --base-url. */
export const DEFAULT_OSV_EXPORT_BASE = 'https://osv-vulnerabilities.storage.googleapis.com';

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface SyncOptions {
  cacheDir: string;
  ecosystems: readonly SyncEcosystem[];
  baseUrl: string;
  fetch: FetchLike;
  now: () => Date;
  /** Largest export accepted. */
  maxBytes: number;
  timeoutMs: number;
  notes?: (message: string) => void;
}

async function readBody(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AtlasGuardError(
      `${url} is ${String(declared)} bytes, over the ${String(maxBytes)}-byte limit`,
      {
        exitCode: ExitCode.Error,
        hint: 'raise --max-bytes if the export really is this large',
      },
    );
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AtlasGuardError(`${url} exceeds the ${String(maxBytes)}-byte limit`, {
        exitCode: ExitCode.Error,
        hint: 'raise --max-bytes if the export really is this large',
      });
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Downloads the OSV exports into the cache: each zip is checked (a readable central directory) before it
 * replaces the previous one, and its provenance (URL, sha256, time, entry count) is written beside it.
 */
export async function syncOsv(options: SyncOptions): Promise<SyncMeta[]> {
  const results: SyncMeta[] = [];
  const base = options.baseUrl.replace(/\/+$/, '');
  for (const ecosystem of options.ecosystems) {
    const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
    options.notes?.(`downloading ${url}`);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, options.timeoutMs);
    let body: Buffer;
    try {
      const response = await options.fetch(url, { signal: controller.signal });
      if (!response.ok) {
        throw new AtlasGuardError(`download of ${url} failed: HTTP ${String(response.status)}`, {
          exitCode: ExitCode.Error,
          hint: 'check the network and --base-url; the previous cache is left as it was',
        });
      }
      body = await readBody(response, url, options.maxBytes);
    } catch (error) {
      if (error instanceof AtlasGuardError) throw error;
      throw new AtlasGuardError(
        `download of ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          exitCode: ExitCode.Error,
          hint: 'check the network and --base-url; the previous cache is left as it was',
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
    let entries: number;
    try {
      entries = listZipEntries(body).length;
    } catch (error) {
      throw new AtlasGuardError(
        `${url} is not a usable zip: ${error instanceof ZipError ? error.message : String(error)}`,
        {
          exitCode: ExitCode.Error,
          hint: 'the previous cache is left as it was; try again later',
        },
      );
    }
    const meta: SyncMeta = {
      ecosystem,
      url,
      sha256: createHash('sha256').update(body).digest('hex'),
      bytes: body.length,
      fetchedAt: options.now().toISOString(),
      entries,
    };
    await writeFileAtomic(osvExportPath(options.cacheDir, ecosystem), body);
    await writeFileAtomic(osvMetaPath(options.cacheDir, ecosystem), `${JSON.stringify(meta, null, 2)}\n`);
    results.push(meta);
  }
  return results;
}
