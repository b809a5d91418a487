import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds what the app loads: dist/renderer, dist/electron (main, preload) and dist/server. */
export default function globalSetup(): void {
  const repo = join(import.meta.dirname, '..', '..');
  for (const script of ['build', 'build:electron']) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['run', script], { cwd: repo, stdio: 'inherit', shell: false });
    if (run.status !== 0)
      throw new Error(`npm run ${script} failed; the Electron test needs dist/`);
  }
}
