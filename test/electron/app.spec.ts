import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { readDemo } from '../helpers/app-server-process';
import { resultFor, wedgeScan } from '../e2e/fixtures';

/**
 * The desktop app as a cashier gets it: Electron starts main, main forks the bundled server on
 * a fresh data directory (demo data seeded), the cashier window pairs with it, redeems a demo
 * code, opens the customer display, and reads the app's logs on the Devices screen.
 */
const REPO = join(import.meta.dirname, '..', '..');

test('the app starts its server, pairs, redeems a demo code and opens the customer display', async () => {
  // A fresh userData: Electron puts it under XDG_CONFIG_HOME on Linux, APPDATA on Windows.
  const home = await mkdtemp(join(tmpdir(), 'tillpoint-electron-'));
  const app = await electron.launch({
    args: [REPO],
    cwd: REPO,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: home,
      APPDATA: home,
      TILLPOINT_DEMO: 'true',
      TILLPOINT_CHAIN_URL: '',
    },
  });
  try {
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(userData.startsWith(home)).toBe(true);
    const cashier = await app.firstWindow();
    await expect(cashier.locator('html')).toHaveAttribute('data-window-role', 'cashier');
    await expect(cashier.getByTestId('pair-server')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);

    const demo = await readDemo(join(userData, 'server'));
    const pairing = demo.pairingCodes[0];
    const pin = demo.cashiers.find((c) => c.storeId === pairing?.storeId)?.pin;
    const batch = demo.batches.find((b) => b.kind === 'cash');
    const code = batch === undefined ? undefined : demo.codes[batch.id]?.[0];
    if (!pairing || !pin || !code)
      throw new Error('demo.json lacks a pairing code, cashier or code');
    await cashier.getByTestId('pair-code').fill(pairing.code);
    await cashier.getByTestId('pair-submit').click();
    await cashier.getByTestId('login-pin').fill(pin);
    await cashier.getByTestId('login-submit').click();
    await expect(cashier.getByTestId('status-bar')).toBeVisible();

    await cashier.getByTestId('tab-quick').click();
    await wedgeScan(cashier, code);
    await expect(await resultFor(cashier, code)).toHaveAttribute('data-result', 'accepted');

    const opened = app.waitForEvent('window');
    await cashier.getByTestId('open-customer-display').click();
    const customer = await opened;
    await expect(customer.locator('html')).toHaveAttribute('data-window-role', 'customer');
    await expect(customer.getByTestId('customer-display')).toBeVisible();
    // No device bridge and no logs for the customer display: the preload exposed neither.
    expect(await customer.evaluate(() => 'tillpoint' in window || 'tillpointLogs' in window)).toBe(
      false,
    );

    await cashier.keyboard.press('F4');
    const logs = cashier.getByTestId('logs-panel');
    await expect(logs).toHaveAttribute('data-state', 'loaded');
    await expect(logs).toContainText('sync server');
  } finally {
    await app.close();
    await rm(home, { recursive: true, force: true });
  }
});
