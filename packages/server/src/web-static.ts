import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import type { AppEnv } from './context.js';

/** Types of the files `vite build` writes; anything else is served as opaque bytes. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Paths the API and the operational endpoints own: never answered with the app. */
const NOT_APP = /^\/(api|healthz|metrics)(\/|$)/;
const MAX_FILE = 32 * 1024 * 1024;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AtlasGuard: web app not built</title></head>
<body><h1>The AtlasGuard web app is not built</h1>
<p>The API is running (see <a href="/api/openapi.json">/api/openapi.json</a>), but the browser app has not
been built in this installation. From a clone of the repository run <code>npm run build</code>, then restart
<code>atlasguard serve</code>.</p></body></html>
`;

/**
 * Maps a request path to a file inside `root`, or null when the path is not a plain relative file path
 * (encoded separators, `..`, NUL, backslashes, dot files). Never returns a path outside `root`.
 */
export function staticFilePath(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return null;
  return file;
}

async function regularFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFile() && s.size <= MAX_FILE;
  } catch {
    return false;
  }
}

function fileResponse(c: Context, body: Uint8Array, path: string, immutable: boolean): Response {
  c.header('Content-Type', TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream');
  c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  return c.body(body.slice().buffer, 200);
}

/**
 * Serves the browser app built by `vite build` (`root`, from `@atlasguard/web`'s `webRoot()`): its files
 * with their types, hashed `/assets/*` as immutable, and `index.html` for any other GET path that has no
 * file extension (client-side routes). `/api/*`, `/healthz` and `/metrics` are left to their routes.
 */
export function registerWebStatic(app: Hono<AppEnv>, root: string): void {
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (NOT_APP.test(path)) return next();
    const index = join(root, 'index.html');
    if (!(await regularFile(index))) {
      c.header('Cache-Control', 'no-store');
      return c.html(NOT_BUILT, 503);
    }
    const file = staticFilePath(root, path);
    if (file === null) return c.text('not found', 404);
    if (file !== resolve(root) && (await regularFile(file))) {
      return fileResponse(c, await readFile(file), file, path.startsWith('/assets/'));
    }
    if (extname(file) !== '') return c.text('not found', 404);
    return fileResponse(c, await readFile(index), index, false);
  });
}
