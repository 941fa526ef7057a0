import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasGuardError } from '@atlasguard/core';
import { downloadBounded, NetworkUnavailableError } from './download.js';
import { closedPortUrl, startReleaseServer, type ReleaseServer } from '../../../../test/release-server.js';

let server: ReleaseServer;
beforeAll(async () => {
  server = await startReleaseServer();
});
afterAll(async () => {
  await server.close();
});

const options = { fetch, maxBytes: 1000, timeoutMs: 5000 };

describe('downloadBounded', () => {
  it('returns the body', async () => {
    server.routes.set('/ok', { body: 'hello' });
    expect(Buffer.from(await downloadBounded(server.url('/ok'), options)).toString()).toBe('hello');
  });

  it('refuses a body announced as too large before reading it', async () => {
    server.routes.set('/big', { body: 'x'.repeat(10), contentLength: 5000 });
    await expect(downloadBounded(server.url('/big'), options)).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('refuses a body that grows past the limit without a content-length', async () => {
    server.routes.set('/stream', { body: 'y'.repeat(300_000), chunked: true });
    await expect(downloadBounded(server.url('/stream'), options)).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('reports HTTP errors as errors, not as being offline', async () => {
    const error = await downloadBounded(server.url('/missing'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasGuardError);
    expect(error).not.toBeInstanceOf(NetworkUnavailableError);
    expect((error as Error).message).toMatch(/HTTP 404/);
  });

  it('reports an unreachable host as network unavailable', async () => {
    await expect(downloadBounded(await closedPortUrl(), options)).rejects.toBeInstanceOf(
      NetworkUnavailableError,
    );
  });

  it('refuses plain HTTP except to this machine, and non-URLs', async () => {
    const neverCalled = (): Promise<Response> => Promise.reject(new Error('must not fetch'));
    await expect(
      downloadBounded('http://example.org/ATLAS.yaml', { ...options, fetch: neverCalled }),
    ).rejects.toThrow(/refusing to download ATLAS data over http:/);
    await expect(downloadBounded('not a url', { ...options, fetch: neverCalled })).rejects.toThrow(
      /not a URL/,
    );
  });

  it('refuses to follow a redirect to plain HTTP elsewhere', async () => {
    const redirected = (): Promise<Response> => {
      const response = new Response('body');
      Object.defineProperty(response, 'url', { value: 'http://example.org/ATLAS.yaml' });
      return Promise.resolve(response);
    };
    await expect(downloadBounded('https://example.org/x', { ...options, fetch: redirected })).rejects.toThrow(
      /refusing to download ATLAS data over http:/,
    );
  });

  it('gives up on a server that never answers, as network unavailable', async () => {
    const hanging = (_url: string, init: { signal: AbortSignal }): Promise<Response> =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () => {
          reject(new Error('aborted'));
        });
      });
    const error = await downloadBounded('https://example.org/x', {
      ...options,
      fetch: hanging,
      responseTimeoutMs: 50,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkUnavailableError);
    expect((error as Error).message).toMatch(/no answer within 0\.05 s/);
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const fake = (url: string): Promise<Response> => {
      seen.push(url);
      return Promise.resolve(new Response('from fake'));
    };
    const bytes = await downloadBounded('https://example.org/x', { ...options, fetch: fake });
    expect(Buffer.from(bytes).toString()).toBe('from fake');
    expect(seen).toEqual(['https://example.org/x']);
  });
});
