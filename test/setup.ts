import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

// Tests read the official ATLAS releases from ../shared/atlas (never copied into this repository).
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sharedAtlas = process.env.ATLASGUARD_SHARED ?? resolve(root, '..', 'shared');
const latest = resolve(sharedAtlas, 'atlas', 'ATLAS-5.6.0.yaml');
if (existsSync(latest)) {
  process.env.ATLAS_DATA ??= latest;
}
process.env.NO_COLOR = '1';
