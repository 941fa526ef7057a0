/**
 * The floor for the server benchmark: a bare Hono app on @hono/node-server answering a constant JSON body,
 * the least any route of `atlasguard serve` can cost on this machine.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/floor', (c) => c.json({ ok: true }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stderr.write(`listening on http://127.0.0.1:${String(info.port)}\n`);
});
process.once('SIGTERM', () => {
  server.close();
});
