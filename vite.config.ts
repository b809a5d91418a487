import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const MANAGER_HTML = 'manager/index.html';

/**
 * The renderer: root renderer/, built to dist/renderer. Two entries share one build: the cashier
 * app (index.html, relative asset paths so it runs from a static server and from file:// in
 * Electron) and the manager console (manager/index.html, served by the sync server at
 * /manager/, its assets at /manager/assets/). The console's page names its assets by absolute
 * path because its own URL may be any console route (/manager/batches/x/edit); the chunks
 * themselves import one another relatively. The cashier entry never imports console code.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One entry chunk per app by design (cashier ~170 KB gzipped, budget 500 KB; console under 300 KB).
    chunkSizeWarningLimit: 1_000,
    rollupOptions: {
      input: {
        cashier: resolve(import.meta.dirname, 'renderer', 'index.html'),
        manager: resolve(import.meta.dirname, 'renderer', MANAGER_HTML),
      },
    },
  },
  experimental: {
    renderBuiltUrl(filename, { hostType, hostId }) {
      if (hostType === 'html' && hostId.endsWith(MANAGER_HTML)) return `/manager/${filename}`;
      return { relative: true };
    },
  },
  server: { host: '127.0.0.1' },
});
