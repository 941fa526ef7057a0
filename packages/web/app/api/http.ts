import type { z } from 'zod';
import { errorSchema } from './schemas.js';

/** An error the API answered (status and its `{error:{code,message}}`), or a response that broke the contract. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  bytes?: Blob | ArrayBuffer;
}

/** Reads a response body as the given schema; a non-2xx answer or a body that does not match throws ApiFailure. */
export async function readResponse<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const text = await res.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiFailure(
        res.status,
        'bad-response',
        `the server answered ${String(res.status)} without JSON`,
      );
    }
  }
  if (!res.ok) {
    const err = errorSchema.safeParse(body);
    if (err.success) {
      throw new ApiFailure(res.status, err.data.error.code, err.data.error.message, err.data.error.details);
    }
    throw new ApiFailure(res.status, 'http-error', `the server answered ${String(res.status)}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first === undefined ? '' : ` at ${first.path.join('.') || '(root)'}: ${first.message}`;
    throw new ApiFailure(res.status, 'bad-response', `unexpected response from the server${where}`);
  }
  return parsed.data;
}

/** Same-origin JSON call: the session cookie goes along; bodies are JSON (or octet-stream for files). */
export async function call<T extends z.ZodType>(
  fetcher: Fetcher,
  path: string,
  schema: T,
  options: RequestOptions = {},
): Promise<z.infer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.bytes !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = options.bytes;
  }
  let res: Response;
  try {
    res = await fetcher(path, {
      method: options.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body }),
    });
  } catch {
    throw new ApiFailure(0, 'network', 'the server cannot be reached');
  }
  return readResponse(res, schema);
}

/** Builds `path?k=v` from the defined, non-empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const q = params.toString();
  return q === '' ? path : `${path}?${q}`;
}
