import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enc } from './endpoints.js';
import { ApiFailure, call, readResponse, withQuery } from './http.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API client boundary', () => {
  const schema = z.object({ n: z.number() });

  it('returns the parsed body of a 2xx answer', async () => {
    await expect(readResponse(json(200, { n: 1, extra: true }), schema)).resolves.toEqual({ n: 1 });
  });

  it("turns the server's error body into an ApiFailure with its status and code", async () => {
    const failure = await readResponse(
      json(403, { error: { code: 'forbidden', message: 'not allowed' } }),
      schema,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ status: 403, code: 'forbidden', message: 'not allowed' });
  });

  it('refuses a body that breaks the contract, naming where', async () => {
    await expect(readResponse(json(200, { n: 'one' }), schema)).rejects.toMatchObject({
      code: 'bad-response',
      message: expect.stringContaining('at n') as unknown,
    });
    await expect(readResponse(new Response('<html>', { status: 200 }), schema)).rejects.toMatchObject({
      code: 'bad-response',
    });
    await expect(readResponse(new Response('', { status: 502 }), schema)).rejects.toMatchObject({
      status: 502,
      code: 'http-error',
    });
  });

  it('sends JSON bodies with their type, files as octet-stream, and reports an unreachable server', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetcher = (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return Promise.resolve(json(200, { n: 2 }));
    };
    await call(fetcher, '/api/x', schema, { method: 'POST', json: { a: 1 } });
    await call(fetcher, '/api/y', schema, { method: 'POST', bytes: new Blob(['x']) });
    expect(seen[0]?.init.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(seen[0]?.init.body).toBe('{"a":1}');
    expect(seen[0]?.init.credentials).toBe('same-origin');
    expect(seen[1]?.init.headers).toMatchObject({ 'content-type': 'application/octet-stream' });
    const down = () => Promise.reject(new TypeError('fetch failed'));
    await expect(call(down, '/api/z', schema)).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('builds query strings from the set values only', () => {
    expect(withQuery('/api/risks', { status: 'open', level: undefined, owner: '', limit: 500 })).toBe(
      '/api/risks?status=open&limit=500',
    );
    expect(withQuery('/api/risks', {})).toBe('/api/risks');
    expect(withQuery('/a', { q: 'a&b=c' })).toBe('/a?q=a%26b%3Dc');
  });

  it('encodes path segments and refuses dot segments', () => {
    expect(enc('0b6c7e1a-2f3d')).toBe('0b6c7e1a-2f3d');
    expect(enc('a/b?c')).toBe('a%2Fb%3Fc');
    for (const bad of ['', '.', '..', '%2e%2E', '.%2e']) expect(() => enc(bad), bad).toThrow(ApiFailure);
    expect(enc('...')).toBe('...');
  });
});
