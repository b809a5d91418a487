import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The cashier renderer: root renderer/ (index.html), built to dist/renderer with relative
 * asset paths so the same build runs from a static server and from file:// in Electron.
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
    // One entry chunk by design (~170 KB gzipped, budget 500 KB); the raw-size warning is noise.
    chunkSizeWarningLimit: 1_000,
  },
  server: { host: '127.0.0.1' },
});
