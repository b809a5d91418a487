/**
 * Builds the Electron main process and preload into dist/electron:
 *   npx tsx electron/build.ts
 * main.js is ESM for Node with native modules left external; preload.cjs is
 * one self-contained CommonJS file, as sandboxed preloads require.
 */
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const runtimeDeps = [
  'electron',
  'node-hid',
  'serialport',
  /^@serialport\//,
  'iconv-lite',
  'ws',
  'zod',
  'pino',
  'pino-roll',
];

async function bundle(
  entry: string,
  fileName: string,
  format: 'es' | 'cjs',
  external: (string | RegExp)[],
) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(root, entry),
      outDir: join(root, 'dist/electron'),
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external,
        output: { format, entryFileNames: fileName, codeSplitting: false },
      },
    },
    ssr: format === 'cjs' ? { noExternal: true, target: 'node' } : { target: 'node' },
  });
}

await bundle('electron/main.ts', 'main.js', 'es', [...nodeBuiltins, ...runtimeDeps]);
await bundle('electron/preload.ts', 'preload.cjs', 'cjs', ['electron']);
console.error('built dist/electron/main.js and dist/electron/preload.cjs');
