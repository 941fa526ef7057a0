import { fileURLToPath } from 'node:url';

/**
 * The directory `vite build` writes the browser app to (`packages/web/dist/app`). The same relative path
 * holds from `src/` (sources) and from `dist/` (compiled), so both resolve to the one build output.
 */
export function webRoot(): string {
  return fileURLToPath(new URL('../dist/app/', import.meta.url));
}
