import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * Compares `actual` with `__golden__/NAME` beside the test file (`import.meta.url`); writes the file
 * when UPDATE_GOLDEN=1 or when it does not exist yet outside CI.
 */
export function expectGolden(testUrl: string, name: string, actual: string): void {
  const path = join(dirname(fileURLToPath(testUrl)), '__golden__', name);
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(path) && process.env.CI === undefined)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual, `golden file ${name} (regenerate with UPDATE_GOLDEN=1)`).toBe(readFileSync(path, 'utf8'));
}
