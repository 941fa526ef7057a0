import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  body?: Uint8Array | string;
  /** Announce this content-length instead of the real one. */
  contentLength?: number;
  /** Send the body in chunks without a content-length. */
  chunked?: boolean;
}

export interface ReleaseServer {
  url: (path: string) => string;
  routes: Map<string, Route>;
  requests: string[];
  close: () => Promise<void>;
}

/** A tiny HTTP server on 127.0.0.1 standing in for the release host in tests. */
export async function startReleaseServer(): Promise<ReleaseServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : Buffer.from(route.body ?? '');
    if (route.chunked) {
      res.writeHead(route.status ?? 200);
      for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
      res.end();
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-length': String(route.contentLength ?? body.length) });
    res.end(
      route.contentLength !== undefined && route.contentLength < body.length
        ? body.subarray(0, route.contentLength)
        : body,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${String(port)}${path}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens: what "offline" looks like to fetch. */
export async function closedPortUrl(path = '/ATLAS.yaml'): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return `http://127.0.0.1:${String(port)}${path}`;
}
