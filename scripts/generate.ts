// Regenerates checked-in files derived from code (JSON Schemas, OpenAPI). `--check` fails if any is stale.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@atlasguard/io';
import { repoRoot } from '../test/shared-paths.js';
import { GENERATED_FILES } from './generated-files.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of GENERATED_FILES) {
  const path = resolve(repoRoot, file.path);
  const content = await file.render();
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    console.error(`stale: ${file.path}`);
    stale++;
  } else {
    await writeFileAtomic(path, content);
    console.log(`wrote ${file.path}`);
  }
}
if (stale > 0) process.exit(1);
