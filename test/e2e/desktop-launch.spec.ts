import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { launchArgument, readLaunchArgument } from '../../core/desktop/launch-arg';
import type { LaunchConfig, WindowRole } from '../../core/desktop/launch';
import { resolveAppAsset } from '../../electron/app-protocol';
import { windowLaunch, windowUrl } from '../../electron/launch';
import { contentSecurityPolicy, withCspMeta } from '../../electron/security';
import { expect, test, useAppEnv } from './fixtures';

/**
 * The built renderer as the desktop app runs it, in Chromium without Electron: served the way
 * main serves app:// (same file mapping, CSP header and meta from the configuration), on a
 * stand-in origin, with a shim of the preload's `tillpointLaunch` that carries what main would
 * give the window through the same command-line contract.
 */
const env = useAppEnv();
const RENDERER = join(import.meta.dirname, '..', '..', 'dist', 'renderer');
/**
 * The stand-in for app://tillpoint: the loopback origin of the spec's static server, taken over
 * by the route below. Chromium counts a routed page as outside the loopback address space, so
 * its contexts get the local network permissions main's permission handler grants.
 */
const appOrigin = (): string => new URL(env().app.url).origin;

async function serveLikeMain(context: BrowserContext, config: LaunchConfig): Promise<void> {
  const csp = contentSecurityPolicy(config);
  await context.route(`${appOrigin()}/**`, async (route) => {
    const url = new URL(route.request().url());
    const asset = resolveAppAsset(`app://tillpoint${url.pathname}`, RENDERER);
    if (asset === null) return route.fulfill({ status: 404, body: 'Not found' });
    const file = await readFile(asset.path);
    const body = asset.path.endsWith('index.html') ? withCspMeta(file.toString('utf8'), csp) : file;
    return route.fulfill({
      status: 200,
      body,
      headers: { 'content-type': asset.contentType, 'content-security-policy': csp },
    });
  });
}

/** What the preload exposes: the configuration read back from its renderer switch. */
async function openWindow(context: BrowserContext, role: WindowRole): Promise<Page> {
  const config = readLaunchArgument([
    '--type=renderer',
    launchArgument(windowLaunch(role, env().server.url)),
  ]);
  if (config === null) throw new Error('the launch argument did not read back');
  await serveLikeMain(context, config);
  await context.addInitScript((c) => {
    Object.defineProperty(window, 'tillpointLaunch', {
      value: Object.freeze({ launchConfig: () => ({ ...c }) }),
    });
  }, config);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(e.message));
  await page.goto(windowUrl(`${appOrigin()}/index.html`, role));
  (page as Page & { violations?: string[] }).violations = violations;
  return page;
}

test('the cashier window takes its server from the preload and pairs under the strict CSP', async ({
  browser,
}) => {
  const context = await browser.newContext({
    permissions: ['local-network-access'],
  });
  const page = await openWindow(context, 'cashier');
  await expect(page.locator('html')).toHaveAttribute('data-window-role', 'cashier');
  await expect(page.getByTestId('pair-server')).toHaveValue(env().server.url);
  const pairing = env().demo.pairingCodes[0];
  const cashier = env().demo.cashiers.find((c) => c.storeId === pairing?.storeId);
  if (!pairing || !cashier) throw new Error('demo.json has no pairing code and cashier');
  await page.getByTestId('pair-code').fill(pairing.code);
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('login-pin').fill(cashier.pin);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('status-bar')).toBeVisible();
  expect((page as Page & { violations?: string[] }).violations).toEqual([]);
  await context.close();
});

test('the customer display knows its role and gets no device bridge', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await openWindow(context, 'customer');
  await expect(page.locator('html')).toHaveAttribute('data-window-role', 'customer');
  expect(await page.evaluate(() => 'tillpoint' in window)).toBe(false);
  expect(
    await page.evaluate(() =>
      (window as { tillpointLaunch?: { launchConfig(): unknown } }).tillpointLaunch?.launchConfig(),
    ),
  ).toEqual({
    serverUrl: env().server.url,
    deviceMode: 'none',
    deviceHostUrl: null,
    role: 'customer',
  });
  await context.close();
});

test('browser mode reads ?server= and ?role= after the #/ of the address', async ({ page }) => {
  const elsewhere = 'http://127.0.0.1:9';
  await page.goto(`${env().app.url}#/?server=${encodeURIComponent(elsewhere)}`);
  await expect(page.getByTestId('pair-server')).toHaveValue(elsewhere);
  await expect(page.locator('html')).toHaveAttribute('data-window-role', 'cashier');
  await page.goto(`${env().app.url}?role=customer`);
  await expect(page.locator('html')).toHaveAttribute('data-window-role', 'customer');
});
