/**
 * Bundles the sync server (server/cli.ts and the core/ it imports) into one
 * plain-JS ESM file, so the desktop app runs it under Electron's own runtime
 * instead of tsx. Vite's build (Rolldown) is used, as electron/build.ts does
 * for main: one bundler and one config style for everything we ship.
 */
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * Left to node_modules (which the app ships) rather than bundled:
 * - better-sqlite3: a native addon, found by `bindings` next to its package;
 * - pg: requires its optional pg-native / pg-cloudflare only when asked, which
 *   a bundler would try (and fail) to resolve;
 * - pino: starts worker threads from its own files (thread-stream), by path.
 */
const SERVER_EXTERNALS: readonly (string | RegExp)[] = [
  'better-sqlite3',
  'pg',
  /^pg-/,
  'pino',
  /^pino-/,
  'thread-stream',
];

/** Writes `outDir`/cli.js (default dist/server) and resolves with its path. */
export async function buildServerBundle(outDir = join(root, 'dist/server')): Promise<string> {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'server/cli.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external: [...nodeBuiltins, ...SERVER_EXTERNALS],
        output: { format: 'es', entryFileNames: 'cli.js', codeSplitting: false },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  return join(outDir, 'cli.js');
}
