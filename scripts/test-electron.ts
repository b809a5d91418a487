/**
 * `npm run test:electron`: the Electron smoke test (playwright.electron.config.ts), where the
 * Electron binary is installed. Without it, says so and succeeds: it is not part of `npm test`,
 * and these development machines never download Electron.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const dist = join(repo, 'node_modules', 'electron', 'dist');

if (!existsSync(dist)) {
  console.log(
    `test:electron: no Electron binary on this machine; ${dist} does not exist. ` +
      'Nothing was run. To run it: `npm install electron --foreground-scripts` (downloads ' +
      'Electron), then `npm run test:electron` (on a Linux machine without a display, ' +
      '`xvfb-run npm run test:electron`).',
  );
  process.exit(0);
}

const run = spawnSync(
  process.execPath,
  [
    join(repo, 'node_modules', '@playwright', 'test', 'cli.js'),
    'test',
    '--config',
    join(repo, 'playwright.electron.config.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: repo, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
