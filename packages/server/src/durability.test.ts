import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from './test-support/spawn-server.js';

/**
 * SIGKILL during a burst of writes loses no acknowledged write (SQLite, WAL, synchronous=FULL): every risk
 * the server answered 201 for is there after a restart.
 */
const dir = mkdtempSync(join(tmpdir(), 'ag-durability-'));
const db = join(dir, 'ws.sqlite');
const PASSWORD = 'durability test password';
const env = { ATLASGUARD_ADMIN_PASSWORD: PASSWORD };
const running: ChildServer[] = [];

afterAll(async () => {
  for (const s of running) await s.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.org', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('durability (SQLite)', () => {
  it('keeps every acknowledged write across a SIGKILL in the middle of a burst', async () => {
    const first = await spawnServer(['--db', db, '--admin-email', 'admin@example.org'], env);
    running.push(first);
    const cookie = await login(first.url);
    const headers = { cookie, 'content-type': 'application/json' };
    const sys = await fetch(`${first.url}/api/systems`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ slug: 'burst', name: 'Burst' }),
    });
    const systemId = ((await sys.json()) as { id: string }).id;

    const acknowledged: string[] = [];
    let killed = false;
    const KILL_AFTER = 120;
    const MAX_PER_WORKER = 200; // bounded loop
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; i < MAX_PER_WORKER && !killed; i++) {
        try {
          const res = await fetch(`${first.url}/api/systems/${systemId}/risks`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ title: `risk ${String(w)}-${String(i)}`, level: 'medium' }),
          });
          if (res.status !== 201) throw new Error(`unexpected ${String(res.status)}`);
          acknowledged.push(((await res.json()) as { id: string }).id);
          if (acknowledged.length === KILL_AFTER) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } catch {
          if (!killed) throw new Error(`write failed before the kill:\n${first.stderr()}`);
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    await first.kill();
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const second = await spawnServer(['--db', db], env);
    running.push(second);
    const cookie2 = await login(second.url);
    const stored = new Set<string>();
    for (let offset = 0; ; offset += 500) {
      const res = await fetch(
        `${second.url}/api/risks?systemId=${systemId}&limit=500&offset=${String(offset)}`,
        {
          headers: { cookie: cookie2 },
        },
      );
      const page = ((await res.json()) as { items: { id: string }[] }).items;
      for (const r of page) stored.add(r.id);
      if (page.length < 500) break;
    }
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    await second.kill('SIGTERM');
  }, 180_000);
});
