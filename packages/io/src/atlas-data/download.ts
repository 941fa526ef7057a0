import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';

/** The part of `fetch` we use; tests pass a fake or point at a local server. */
export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'follow' }) => Promise<Response>;

export interface DownloadOptions {
  fetch: FetchLike;
  /** Largest body accepted. */
  maxBytes: number;
  /** Whole-request time limit. */
  timeoutMs?: number;
  /**
   * Time limit for the server's first answer. Kept short: on a machine without network a connection attempt
   * can hang, and a user waiting for "no ATLAS data" should not wait for the whole-request limit.
   */
  responseTimeoutMs?: number;
}

/** Thrown when the server could not be reached at all (offline), as opposed to a bad answer. */
export class NetworkUnavailableError extends AtlasGuardError {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AtlasGuardError(`not a URL: ${url}`, { hint: 'check ATLASGUARD_ATLAS_URL or --url' });
  }
  // Plain HTTP only to this machine (tests, local mirrors); anything else must be HTTPS.
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)))
    return parsed;
  throw new AtlasGuardError(`refusing to download ATLAS data over ${parsed.protocol} from ${parsed.host}`, {
    hint: 'use an https:// URL',
  });
}

/** Downloads `url` into memory, refusing bodies larger than `maxBytes` and requests slower than the timeout. */
export async function downloadBounded(url: string, options: DownloadOptions): Promise<Uint8Array> {
  checkUrl(url);
  const responseTimeoutMs = options.responseTimeoutMs ?? 15_000;
  const firstAnswer = new AbortController();
  const timer = setTimeout(() => {
    firstAnswer.abort(new Error(`no answer within ${String(responseTimeoutMs / 1000)} s`));
  }, responseTimeoutMs);
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 60_000), firstAnswer.signal]);
  let response: Response;
  try {
    response = await options.fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = signal.aborted
      ? signal.reason instanceof Error
        ? signal.reason.message
        : 'timed out'
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    throw new NetworkUnavailableError(`cannot reach ${url}: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  // Redirects are followed: the place we ended up must pass the same check (no HTTPS → HTTP downgrade).
  if (response.url !== '' && response.url !== url) {
    try {
      checkUrl(response.url);
    } catch (error) {
      await response.body?.cancel().catch(() => undefined);
      throw error;
    }
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new AtlasGuardError(`download of ${url} failed: HTTP ${String(response.status)}`, {
      exitCode: ExitCode.Error,
      hint: 'check the version exists (https://github.com/mitre-atlas/atlas-data/tags)',
    });
  }
  const tooLarge = (): AtlasGuardError =>
    new AtlasGuardError(`download of ${url} is larger than ${String(options.maxBytes)} bytes; refused`, {
      hint: 'an ATLAS.yaml is well under 1 MB: check the URL',
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const body = response.body;
  if (!body) return new Uint8Array();
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AtlasGuardError) throw error;
    throw new NetworkUnavailableError(
      `download of ${url} broke off: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
