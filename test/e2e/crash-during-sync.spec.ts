import { acceptedOnServer } from '../helpers/app-server-api';
import { expect, pairAndLogin, resultFor, test, useAppEnv, wedgeScan } from './fixtures';

const env = useAppEnv();

test('the server is killed while a push is in flight: after restart nothing is lost or doubled', async ({
  page,
  context,
}) => {
  const e = env();
  await pairAndLogin(page, e, 0);
  await page.getByTestId('tab-quick').click();
  await expect(page.getByTestId('status-allowance')).toContainText(/\d+ (笔|left)/);
  const codes = [...(e.demo.codes['demo-cash'] ?? [])].slice(0, 40);

  await context.setOffline(true);
  for (const code of codes) {
    await wedgeScan(page, code);
    await expect(await resultFor(page, code)).toHaveAttribute('data-pending', 'true');
  }
  await expect(page.getByTestId('status-queued')).toHaveText(String(codes.length));

  let killed: Promise<void> | null = null;
  page.on('request', (request) => {
    if (!killed && request.url().endsWith('/v1/redemptions/batch')) killed = e.server.kill();
  });
  await context.setOffline(false);
  await expect.poll(() => killed !== null, { timeout: 30_000 }).toBe(true);
  await killed;
  await e.restart();

  await expect(page.getByTestId('status-queued')).toHaveText('0', { timeout: 60_000 });
  await page.getByTestId('tab-queue').click();
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(
    codes.length,
  );
  await e.server.stop();
  const held = acceptedOnServer(e.dataDir);
  await e.restart();
  expect([...held.keys()].sort()).toEqual([...codes].sort());
  for (const [, row] of held) expect(row.count).toBe(1);
});
