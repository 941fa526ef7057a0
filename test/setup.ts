import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

// Tests read the official ATLAS releases from ../shared/atlas (never copied into this repository).
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sharedAtlas = process.env.ATLASGUARD_SHARED ?? resolve(root, '..', 'shared');
const latest = resolve(sharedAtlas, 'atlas', 'ATLAS-5.6.0.yaml');
if (existsSync(latest)) {
  process.env.ATLAS_DATA ??= latest;
}
process.env.NO_COLOR = '1';

// Tests never touch the user's cache nor the network: a private cache per test process, downloads off
// (tests of the download path turn them back on against a server on 127.0.0.1).
process.env.ATLASGUARD_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'atlasguard-test-cache-'));
process.env.ATLASGUARD_OFFLINE ??= '1';
