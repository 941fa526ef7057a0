import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from './open-storage.js';
import { runStorageContract } from './storage.case.test.js';

runStorageContract('SQLite (temp file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ag-storage-'));
  const clock = { now: new Date('2026-06-01T12:00:00.000Z') };
  const storage = await openStorage(join(dir, 'a.sqlite'), { clock: () => clock.now });
  const extra: { close(): Promise<void> }[] = [];
  let n = 0;
  return {
    storage,
    clock,
    openEmpty: async () => {
      n += 1;
      const s = await openStorage(join(dir, `empty-${String(n)}.sqlite`), { clock: () => clock.now });
      extra.push(s);
      return s;
    },
    dispose: async () => {
      await storage.close();
      for (const s of extra) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
