import { defineConfig } from 'vitest/config';

/**
 * Unit tests live beside the code they test; integration tests (real SQLite,
 * real PostgreSQL, pseudo-terminals, TCP printers) live under test/.
 * End-to-end browser tests are Playwright's (playwright.config.ts).
 */
export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'server/**/*.test.ts',
      'native/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'test/**/*.test.ts',
    ],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
