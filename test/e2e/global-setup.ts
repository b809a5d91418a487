import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds the renderer once for every spec (dist/renderer). */
export default function globalSetup(): void {
  const repo = join(import.meta.dirname, '..', '..');
  const build = spawnSync(
    process.execPath,
    [join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: repo,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0)
    throw new Error('vite build failed; the end-to-end tests need dist/renderer');
}
