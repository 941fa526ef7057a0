import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server's Content-Security-Policy allows scripts and styles from its own origin only: the build emits
// files (no inline script, no inline style, no module-preload polyfill injected into the page).
export default defineConfig({
  root: fileURLToPath(new URL('./app', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // One bundle (React, zod and the pages) of about 400 kB, 120 kB compressed: no need to split it.
    chunkSizeWarningLimit: 1024,
  },
});
