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
  outDir: string,
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
      outDir,
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

/** Writes main.js and preload.cjs into `outDir` (default dist/electron). */
export async function buildElectron(outDir = join(root, 'dist/electron')): Promise<void> {
  await bundle(outDir, 'electron/main.ts', 'main.js', 'es', [...nodeBuiltins, ...runtimeDeps]);
  await bundle(outDir, 'electron/preload.ts', 'preload.cjs', 'cjs', ['electron']);
}

// Run as a script (`npx tsx electron/build.ts`), not when a test imports it.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildElectron();
  console.error('built dist/electron/main.js and dist/electron/preload.cjs');
}
