import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@atlasguard/source'] },
  // Node tests run in Vite's SSR environment, which ignores `resolve.conditions`: without this, imports of
  // sibling packages resolve to their stale `dist/` instead of their sources.
  ssr: { resolve: { conditions: [...defaultServerConditions, '@atlasguard/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/web/app/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.case.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
