import { defineConfig } from '@playwright/test';

/**
 * `npm run test:electron`: the desktop app itself, launched with Playwright's `_electron`, for
 * machines that have the Electron binary (node_modules/electron/dist). Not part of `npm test`
 * (playwright.config.ts runs test/e2e only); scripts/test-electron.ts checks for the binary and
 * says plainly when it is missing. globalSetup builds the renderer, main, preload and server.
 */
export default defineConfig({
  testDir: 'test/electron',
  globalSetup: './test/electron/global-setup.ts',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
});
