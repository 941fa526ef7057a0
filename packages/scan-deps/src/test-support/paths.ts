import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The fixtures written for scan-deps tests. */
export const FIXTURES = join(dirname(dirname(fileURLToPath(import.meta.url))), 'fixtures');
export const OSV_FIXTURES = join(FIXTURES, 'osv');
export const pairPath = (format: string, side: 'old' | 'new', file: string): string =>
  join(FIXTURES, 'pairs', format, side, file);
export const casePath = (...parts: string[]): string => join(FIXTURES, 'cases', ...parts);
