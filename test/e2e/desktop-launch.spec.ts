import type { IpcMainInvokeEvent } from 'electron';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { LOGS_CHANNEL } from '../../core/desktop/logs';
import { launchArgument, readLaunchArgument } from '../../core/desktop/launch-arg';
import type { LaunchConfig, WindowRole } from '../../core/desktop/launch';
import { resolveAppAsset } from '../../electron/app-protocol';
import { windowLaunch, windowUrl } from '../../electron/launch';
import { serveLogsOverIpc } from '../../electron/log-ipc';
import { openLog } from '../../electron/logs';
import { contentSecurityPolicy, withCspMeta } from '../../electron/security';
import { deviceCallVerdict, WindowRoles } from '../../electron/window-roles';
import { expect, screenshot, test, useAppEnv, pairAndLogin } from './fixtures';

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

/** Pairs the window on its pairing screen with the store's code and logs its cashier in. */
async function pairHere(page: Page, storeIndex: number): Promise<void> {
  const pairing = env().demo.pairingCodes[storeIndex];
  const cashier = env().demo.cashiers.find((c) => c.storeId === pairing?.storeId);
  if (!pairing || !cashier) throw new Error('demo.json has no pairing code and cashier');
  await page.getByTestId('pair-code').fill(pairing.code);
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('login-pin').fill(cashier.pin);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('status-bar')).toBeVisible();
}

/**
 * The logs call as the desktop app makes it, Electron's IPC aside: main's handler
 * (electron/log-ipc.ts) over log files written by the app's logger, its sender check fed the
 * calling frame, and a shim of the preload's `tillpointLogs` that invokes it.
 */
async function serveLogsLikeMain(context: BrowserContext, dir: string): Promise<void> {
  const roles = new WindowRoles();
  roles.set(1, 'cashier');
  const handlers = new Map<string, (event: IpcMainInvokeEvent, input: unknown) => unknown>();
  serveLogsOverIpc({
    ipcMain: {
      handle: (channel, fn) => void handlers.set(channel, fn),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    dir,
    isTrusted: (event) =>
      deviceCallVerdict(
        { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url },
        roles,
        `${appOrigin()}/index.html`,
      ) === 'allow',
  });
  await context.exposeBinding('tillpointInvokeLogs', ({ frame }, input: unknown) =>
    handlers.get(LOGS_CHANNEL)?.(
      { sender: { id: 1 }, senderFrame: { url: frame.url() } } as unknown as IpcMainInvokeEvent,
      input,
    ),
  );
  await context.addInitScript(() => {
    const invoke = (window as unknown as { tillpointInvokeLogs(i: unknown): Promise<unknown> })
      .tillpointInvokeLogs;
    Object.defineProperty(window, 'tillpointLogs', {
      value: Object.freeze({ readLogs: (input: unknown) => invoke(input) }),
    });
  });
}

test('the cashier window shows the app logs on the Devices screen and exports them', async ({
  browser,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'tillpoint-e2e-logs-'));
  try {
    const { log, close } = await openLog(dir);
    log.child({ process: 'server' }).info({ line: 'listening on 127.0.0.1:43117' });
    log.warn({ verdict: 'not-cashier' }, 'device call refused');
    log.error('打印机缺纸');
    await close();
    const context = await browser.newContext({
      permissions: ['local-network-access'],
      viewport: { width: 1366, height: 768 },
    });
    await serveLogsLikeMain(context, dir);
    const page = await openWindow(context, 'cashier');
    await pairHere(page, 1);
    await page.keyboard.press('F4');
    const panel = page.getByTestId('logs-panel');
    await expect(panel).toHaveAttribute('data-state', 'loaded');
    const lines = panel.getByTestId('log-lines').locator('li');
    await expect(lines).toHaveCount(3);
    await expect(lines.first()).toContainText('打印机缺纸');
    await expect(lines.first()).toHaveAttribute('data-level', 'ERROR');
    await expect(lines.nth(1)).toContainText('device call refused');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices-logs-zh');

    const download = page.waitForEvent('download');
    await page.getByTestId('logs-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tillpoint-logs-\d{4}-\d{2}-\d{2}T\d{6}\.txt$/);
    const text = await readFile(await file.path(), 'utf8');
    expect(text).toContain('==> tillpoint.1.log');
    expect(text.indexOf('listening on')).toBeLessThan(text.indexOf('打印机缺纸'));

    await page.getByTestId('language').click();
    await expect(panel.getByRole('heading')).toHaveText('Logs');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'devices-logs-en');
    expect((page as Page & { violations?: string[] }).violations).toEqual([]);
    await context.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('browser mode says plainly that the logs are in the desktop app', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await pairAndLogin(page, env(), 2);
  await page.keyboard.press('F4');
  const panel = page.getByTestId('logs-panel');
  await expect(panel).toHaveAttribute('data-state', 'desktop-only');
  await expect(panel).toContainText('日志只在桌面版中提供');
  await expect(page.getByTestId('logs-export')).toHaveCount(0);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'devices-browser-zh');
  await page.getByTestId('language').click();
  await expect(panel).toContainText('Logs are available in the desktop app.');
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'devices-browser-en');
  await context.close();
});
