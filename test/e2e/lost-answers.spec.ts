import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy';
import {
  expect,
  pairAndLogin,
  resultFor,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
} from './fixtures';

/**
 * The cashier's view of a line that cuts answers: the app talks to the server through a TCP
 * proxy on loopback that can cut the server's answers after their headers (the request arrived).
 */
const env = useAppEnv();
let proxy: CuttingProxy;

test.use({ viewport: { width: 1366, height: 768 } });

test.beforeAll(async () => {
  proxy = await startCuttingProxy(env().server.url);
  env().app.setServerUrl(proxy.url);
});
test.afterAll(async () => {
  env().app.setServerUrl(env().server.url);
  await proxy.close();
});

const codes = () => env().demo.codes['demo-cash'] ?? [];

test('cut answers show "network unstable" in the cashier’s language, never a protocol banner, and it clears when the line is back', async ({
  page,
}) => {
  await pairAndLogin(page, env(), 0);
  await page.getByTestId('tab-quick').click();
  await expect(page.getByTestId('status-online')).toHaveText(/在线/);
  proxy.cutEveryAnswer(true);
  const code = codes()[30] ?? '';
  await wedgeScan(page, code);
  await resultFor(page, code);
  await expect(page.getByTestId('network-problem')).toHaveText('网络不稳定，正在重试');
  await expect(page.getByTestId('protocol-problem')).toHaveCount(0);
  await screenshot(page, 'network-unstable-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('network-problem')).toHaveText('Network unstable, retrying');
  await screenshot(page, 'network-unstable-en');
  await page.getByTestId('language').click();

  proxy.cutEveryAnswer(false);
  await expect(page.getByTestId('network-problem')).toHaveCount(0);
  await expect(page.getByTestId('status-online')).toHaveText(/在线/);
  await expect(page.getByTestId('protocol-problem')).toHaveCount(0);
});

test('a scan waiting on a dead line says "checking" at once, not the previous customer’s result', async ({
  page,
}) => {
  await pairAndLogin(page, env(), 1);
  await page.getByTestId('tab-quick').click();
  const [first, second] = [codes()[31] ?? '', codes()[32] ?? ''];
  await wedgeScan(page, first);
  await expect(await resultFor(page, first)).toHaveAttribute('data-result', 'accepted');
  // The next request reaches nowhere and is never answered (until the client's timeout).
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/v1/redemptions', async (route) => {
    await held;
    await route.abort('timedout');
  });
  await wedgeScan(page, second);
  const checking = page.locator(
    `[data-testid="result"][data-code="${second}"][data-result="checking"]`,
  );
  await expect(checking).toBeVisible();
  await expect(page.locator(`[data-testid="result"][data-code="${first}"]`)).toHaveCount(0);
  await expect(checking).toContainText('正在核验');
  await screenshot(page, 'checking-zh');
  release();
  await expect(await resultFor(page, second)).toHaveAttribute('data-result', /accepted|refused/);
  await page.unroute('**/v1/redemptions');
});

test('after a reload the last result is shown again, a rescan here says this till redeemed it, and the queue finds it by code', async ({
  page,
}) => {
  await pairAndLogin(page, env(), 2);
  await page.getByTestId('tab-quick').click();
  const code = codes()[33] ?? '';
  await wedgeScan(page, code);
  await expect(await resultFor(page, code)).toHaveAttribute('data-result', 'accepted');
  await page.reload();
  await page.getByTestId('tab-quick').click();
  const restored = await resultFor(page, code);
  await expect(restored).toHaveAttribute('data-result', 'accepted');
  await expect(restored.getByTestId('result-restored')).toContainText('上次结果');
  await screenshot(page, 'restored-zh');

  await wedgeScan(page, code);
  const again = page.locator(`[data-testid="result"][data-code="${code}"][data-result="refused"]`);
  await expect(again).toHaveAttribute('data-reason', 'ALREADY_REDEEMED');
  await expect(again).toContainText('本机已于');
  await screenshot(page, 'own-till-rescan-zh');
  await page.getByTestId('language').click();
  await expect(again).toContainText('This till already redeemed');
  await screenshot(page, 'own-till-rescan-en');
  await page.getByTestId('language').click();

  // The queue view: pages, and a search by code.
  await page.getByTestId('tab-queue').click();
  await expect(page.getByTestId('queue-page')).toContainText('第 1 / 1 页');
  await page.getByTestId('queue-search').fill(code.slice(0, -1).toLowerCase());
  await expect(page.getByTestId('queue-row')).toHaveCount(1);
  await expect(page.getByTestId('queue-row')).toHaveAttribute('data-code', code);
  await screenshot(page, 'queue-search-zh');
  await page.getByTestId('queue-search').fill('NOSUCHCODE');
  await expect(page.getByTestId('queue-row')).toHaveCount(0);
  await page.getByTestId('queue-search').fill('');
  await page.getByTestId('language').click();
  await screenshot(page, 'queue-en');
});
