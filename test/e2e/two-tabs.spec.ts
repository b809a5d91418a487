import { expect, pairAndLogin, resultFor, test, useAppEnv, wedgeScan } from './fixtures';

const env = useAppEnv();

test('two tabs of one terminal: one drainer, no redemption pushed twice', async ({ context }) => {
  const e = env();
  const first = await context.newPage();
  await pairAndLogin(first, e, 0);
  const second = await context.newPage();
  await second.goto(e.app.url);
  await expect(second.getByTestId('status-bar')).toBeVisible();
  for (const page of [first, second]) {
    await page.getByTestId('tab-quick').click();
    await expect(page.getByTestId('status-allowance')).toContainText(/\d+ (笔|left)/);
  }

  // Every push the server answered, from either tab (attempts cut off by the outage do not count).
  const pushed: string[] = [];
  for (const page of [first, second])
    page.on('requestfinished', (request) => {
      if (!request.url().endsWith('/v1/redemptions/batch')) return;
      const body = request.postDataJSON() as { items: { id: string }[] };
      pushed.push(...body.items.map((i) => i.id));
    });

  await context.setOffline(true);
  const codes = [...(e.demo.codes['demo-cash'] ?? [])].slice(0, 30);
  for (const [i, code] of codes.entries()) {
    const page = i % 2 === 0 ? first : second;
    await wedgeScan(page, code);
    await expect(await resultFor(page, code)).toHaveAttribute('data-pending', 'true');
  }
  await context.setOffline(false);
  for (const page of [first, second])
    await expect(page.getByTestId('status-queued')).toHaveText('0', { timeout: 60_000 });

  expect(pushed).toHaveLength(codes.length);
  expect(new Set(pushed).size).toBe(codes.length);
});
