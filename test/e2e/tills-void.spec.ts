import type { Page } from '@playwright/test';
import { shortCode } from '../../renderer/components/short-code';
import { redemptionsOfCode, salesOnServer } from '../helpers/app-server-api';
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
 * 取消交易: a customer walks away after Pay redeemed the order's voucher. The cashier voids the
 * sale at the tender stage (Esc, then Enter to confirm); the voucher is usable again at once, the
 * server holds the sale voided and the redemption returned, and the shift report counts one void.
 */
const env = useAppEnv();

/** Till #`index` paired and logged in at 1366×768, with a product and its own demo-cash code. */
async function till(page: Page, index: number) {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, index);
  const product = e.demo.products[0];
  const code = e.demo.codes['demo-cash']?.[index];
  if (!product || !code) throw new Error('demo data lacks a product or a demo-cash code');
  return { e, product, code };
}

test('a sale voided at the tender stage gives its voucher back: redeemed again at the same till, one void in the shift report', async ({
  page,
}) => {
  const { e, product, code } = await till(page, 0);

  await page.keyboard.press('F5');
  await page.getByTestId('shift-open-amount').fill('0');
  await page.getByTestId('shift-open-amount').press('Enter');
  await expect(page.getByTestId('shift-report')).toHaveAttribute('data-state', 'open');

  await page.keyboard.press('F1');
  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await expect(page.getByTestId('tender')).toBeVisible();
  await expect
    .poll(() => redemptionsOfCode(e.dataDir, code).map((r) => r.status))
    .toEqual(['accepted']);

  // One Esc only asks; Esc again goes back to taking the money, nothing voided.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('void-confirm-panel')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tender')).toBeVisible();
  await expect(page.getByTestId('void-confirm-panel')).toHaveCount(0);

  await page.keyboard.press('Escape');
  const confirm = page.getByTestId('void-confirm-panel');
  await expect(confirm).toContainText('取消本单交易');
  await expect(confirm).toContainText('无需店长批准');
  await screenshot(page, 'void-confirm-zh');
  await page.getByTestId('language').click();
  await expect(confirm).toContainText('Void this sale?');
  await expect(confirm).toContainText('needs no manager approval');
  await screenshot(page, 'void-confirm-en');
  await page.getByTestId('language').click();
  await expect(confirm).toContainText('取消本单交易');

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await expect(page.getByTestId('pay')).toBeVisible();
  await expect(
    page.getByText(`交易已取消。券已退回，可再次使用：${shortCode(code)}`),
  ).toBeVisible();
  await screenshot(page, 'void-done-zh');

  // The server holds the sale voided and the redemption returned.
  await expect.poll(() => salesOnServer(e.dataDir).map((s) => s.state)).toEqual(['voided']);
  const [voided] = salesOnServer(e.dataDir);
  expect(redemptionsOfCode(e.dataDir, code)).toEqual([
    expect.objectContaining({ status: 'returned', saleId: voided?.id }),
  ]);

  // The same voucher on the next order at the same till: accepted, and the sale paid in cash.
  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await expect.poll(() => salesOnServer(e.dataDir).map((s) => s.state)).toEqual(['voided', 'paid']);
  expect(redemptionsOfCode(e.dataDir, code).map((r) => r.status)).toEqual(['returned', 'accepted']);

  await page.keyboard.press('F5');
  await expect(page.getByTestId('shift-voids')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('shift-sales-count')).toHaveText('1');
});

test('offline: the void gives the voucher back at once, it is redeemed again under the lease, and the queue reaches the server in order with no conflict', async ({
  page,
}) => {
  const { e, product, code } = await till(page, 1);
  await expect(page.getByTestId('status-allowance')).toContainText('200');
  const before = new Set(salesOnServer(e.dataDir).map((s) => s.id));

  await e.server.stop();
  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('void-confirm-panel')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);

  // Still offline, the same code on the next order: this till no longer counts it as used.
  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();

  await e.restart();
  await expect
    .poll(() => redemptionsOfCode(e.dataDir, code).map((r) => r.status), { timeout: 30_000 })
    .toEqual(['returned', 'accepted']);
  await expect
    .poll(() =>
      salesOnServer(e.dataDir)
        .filter((s) => !before.has(s.id))
        .map((s) => [s.state, s.offline]),
    )
    .toEqual([
      ['voided', 1],
      ['paid', 1],
    ]);
  await page.keyboard.press('F3');
  await expect(page.getByTestId('status-queued')).toHaveText('0');
});

test('online, the voided voucher scanned again before the void is pushed waits ("checking") for the void and is accepted, never "already redeemed"', async ({
  page,
}) => {
  const { e, product, code } = await till(page, 2);

  await wedgeScan(page, product.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await expect
    .poll(() => redemptionsOfCode(e.dataDir, code).map((r) => r.status))
    .toEqual(['accepted']);

  // The void's push is held on the line, so the server still has the code used by the sale.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/v1/sales/batch', async (route) => {
    await held;
    await route.continue();
  });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('void-confirm-panel')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);

  await page.getByTestId('tab-quick').click();
  await wedgeScan(page, code);
  const checking = page.locator(
    `[data-testid="result"][data-code="${code}"][data-result="checking"]`,
  );
  await expect(checking).toBeVisible();
  await screenshot(page, 'void-rescan-checking-zh');
  release();
  await expect(await resultFor(page, code)).toHaveAttribute('data-result', 'accepted');
  await page.unroute('**/v1/sales/batch');
  await expect
    .poll(() => redemptionsOfCode(e.dataDir, code).map((r) => r.status))
    .toEqual(['returned', 'accepted']);
  await expect.poll(() => salesOnServer(e.dataDir).map((s) => s.state)).toContain('voided');
});
