import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/helpers/chromium';

/**
 * End-to-end tests of the cashier app in Debian's Chromium with real IndexedDB, against real
 * sync server processes (one per test file, own data directory, port 0). The renderer is
 * built once in globalSetup.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
