import { openStorage } from '@atlasguard/storage';
import { createApp } from './app.js';

/** Where the OpenAPI document is checked in (relative to the repository root); `npm run gen` writes it. */
export const OPENAPI_PATH = 'packages/server/openapi.json';

/**
 * The OpenAPI 3.1 document the server serves at /api/openapi.json, rendered from the routes themselves (an
 * in-memory workspace is opened only to build the app; nothing is stored).
 */
export async function renderOpenApiDocument(): Promise<string> {
  const storage = await openStorage('sqlite::memory:', { env: {} });
  try {
    const { app } = createApp({ storage, log: () => undefined });
    const res = await app.request('http://localhost/api/openapi.json');
    if (res.status !== 200) throw new Error(`the OpenAPI document answered ${String(res.status)}`);
    return `${JSON.stringify(await res.json(), null, 2)}\n`;
  } finally {
    await storage.close();
  }
}
