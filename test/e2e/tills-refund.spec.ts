import type { Page } from '@playwright/test';
import { outTradeNosOnServer, salesOnServer, setReturnOnRefund } from '../helpers/app-server-api';
import {
  expect,
  pairAndLogin,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
  type AppEnv,
} from './fixtures';

const env = useAppEnv({ payments: true });

/** Two of the first product and one of the second, up to the tender keys. */
async function ringUp(page: Page, e: AppEnv): Promise<void> {
  const [first, second] = e.demo.products;
  if (!first || !second) throw new Error('demo data lacks products');
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, second.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('tender')).toBeVisible();
}

/** The newest sale of the F3 history, once the server has it as paid: its id. */
async function paidSaleId(page: Page): Promise<string> {
  await page.keyboard.press('F3');
  const row = page.getByTestId('sale-row').first();
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  return (await row.getAttribute('data-sale-id')) ?? '';
}

async function approve(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByTestId('approval-dialog')).toBeVisible();
  await page.getByTestId('approval-username').fill(username);
  await page.getByTestId('approval-password').fill(password);
  await page.getByTestId('approval-submit').click();
}

/** sh-001's manager, and the `nth` of sh-001's one-time pairing codes (one per test). */
function storeManager(e: AppEnv, nth: number) {
  const manager = e.demo.managers.find((m) => m.username === 'sh001-manager');
  const store =
    e.demo.pairingCodes.map((p, i) => (p.storeId === 'sh-001' ? i : -1)).filter((i) => i >= 0)[
      nth
    ] ?? -1;
  if (!manager || store < 0) throw new Error('demo data lacks sh-001 or its manager');
  return { manager, store };
}

test('one line of a WeChat Native sale is refunded to the payment, approved by the store manager, and reaches success', async ({
  page,
}) => {
  const e = env();
  if (!e.sim) throw new Error('this world has no WeChat Pay simulator');
  const { manager, store } = storeManager(e, 0);
  const second = e.demo.products[1];
  if (!second) throw new Error('demo data lacks products');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, store);
  await ringUp(page, e);
  await page.keyboard.press('F7');
  const codeUrl = await page.getByTestId('cashier-qr').getAttribute('data-code-url');
  const paid = await fetch(`${e.sim.url}/sim/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl }),
  });
  expect(paid.ok).toBe(true);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  const saleId = await paidSaleId(page);
  await screenshot(page, 'history-zh');

  // The receipt's QR code, scanned at the history, opens the sale.
  await wedgeScan(page, saleId);
  const panel = page.getByTestId('refund-panel');
  await expect(panel).toHaveAttribute('data-sale-id', saleId);
  const lines = page.getByTestId('refund-line');
  await expect(lines).toHaveCount(2);
  await lines.nth(1).getByTestId('refund-line-plus').click();
  await expect(lines.nth(1).getByTestId('refund-line-qty')).toHaveText('1');
  // One can give back only what was sold: the stepper stops at the line's quantity.
  await expect(lines.nth(1).getByTestId('refund-line-plus')).toBeDisabled();
  await expect(page.getByTestId('refund-amount')).toContainText((second.priceFen / 100).toFixed(2));
  await screenshot(page, 'refund-pick-zh');

  await page.getByTestId('refund-submit').click();
  await approve(page, manager.username, 'not-the-password');
  await expect(page.getByTestId('approval-refused')).toBeVisible();
  await screenshot(page, 'refund-approval-zh');
  await approve(page, manager.username, manager.password);
  const status = page.getByTestId('refund-status');
  await expect(status).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('refund-part')).toHaveAttribute('data-kind', 'wechat');
  await expect(page.getByTestId('refund-sale-state')).toHaveText('部分退款');
  await expect(lines.nth(1).getByTestId('refund-line-left')).toHaveText('0');
  await expect(page.getByTestId('receipt-panel')).toBeVisible();
  await screenshot(page, 'refund-success-zh');

  // 原路退款: one refund at WeChat, of that line, against the sale's own payment.
  const [outTradeNo] = outTradeNosOnServer(e.dataDir, saleId);
  const due = salesOnServer(e.dataDir).find((s) => s.id === saleId)?.dueFen;
  const atWechat = e.sim.control.refunds().filter((r) => r['out_trade_no'] === outTradeNo);
  expect(atWechat).toHaveLength(1);
  expect(atWechat[0]).toMatchObject({
    status: 'SUCCESS',
    amount: { refund: second.priceFen, total: due },
  });
  expect(salesOnServer(e.dataDir).find((s) => s.id === saleId)?.state).toBe('partly_refunded');

  await page.getByTestId('language').click();
  await expect(status).toContainText('Refunded');
  await screenshot(page, 'refund-success-en');
  await page.getByTestId('refund-another').click();
  await screenshot(page, 'refund-pick-en');
  await page.getByTestId('refund-back').click();
  await expect(page.getByTestId('find-sale')).toBeVisible();
  // The history list shows the refund at once, and still after a reload.
  const row = page.locator(`[data-testid="sale-row"][data-sale-id="${saleId}"]`);
  await expect(row).toHaveAttribute('data-server-state', 'partly_refunded');
  await expect(row).toHaveAttribute('data-refunded-fen', String(second.priceFen));
  await expect(row).toContainText('Partly refunded');
  await expect(row.getByTestId('sale-refunded')).toContainText(
    `¥${(second.priceFen / 100).toFixed(2)} refunded`,
  );
  await screenshot(page, 'history-en');
  await page.reload();
  await expect(page.getByTestId('status-bar')).toBeVisible();
  await page.keyboard.press('F3');
  await expect(row).toHaveAttribute('data-server-state', 'partly_refunded');
  await page.getByTestId('language').click();
  await expect(row).toContainText('部分退款');
  await expect(row.getByTestId('sale-refunded')).toContainText('已退');
  await screenshot(page, 'history-refunded-zh');
});

test('a refund of more than the line has left is refused with the reason shown', async ({
  context,
}) => {
  const e = env();
  const { manager, store } = storeManager(e, 1);
  const first = await context.newPage();
  await first.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(first, e, store);
  await ringUp(first, e);
  await first.getByTestId('cash-input').fill('500');
  await first.getByTestId('cash-input').press('Enter');
  await expect(first.getByTestId('sale-done')).toBeVisible();
  const saleId = await paidSaleId(first);

  // A second window of the same till opens the sale by its typed id, before the first refunds it.
  const second = await context.newPage();
  await second.setViewportSize({ width: 1366, height: 768 });
  await second.goto(e.app.url);
  await expect(second.getByTestId('status-bar')).toBeVisible();
  await second.keyboard.press('F3');
  await second.getByTestId('find-sale-input').fill(saleId);
  await second.getByTestId('find-sale-input').press('Enter');
  await expect(second.getByTestId('refund-panel')).toHaveAttribute('data-sale-id', saleId);

  await first.getByTestId('sale-row').first().getByTestId('sale-refund').click();
  const line = first.getByTestId('refund-line').first();
  await line.getByTestId('refund-line-plus').click();
  await line.getByTestId('refund-line-plus').click();
  await first.getByTestId('refund-submit').click();
  await approve(first, manager.username, manager.password);
  await expect(first.getByTestId('refund-status')).toHaveAttribute('data-state', 'succeeded');
  // Cash goes back from the drawer, recorded at once.
  await expect(first.getByTestId('refund-part')).toHaveAttribute('data-kind', 'cash');

  // The second window still shows both units; the server knows they are gone.
  const stale = second.getByTestId('refund-line').first();
  await expect(stale.getByTestId('refund-line-left')).toHaveText('2');
  await stale.getByTestId('refund-line-plus').click();
  await stale.getByTestId('refund-line-plus').click();
  await second.getByTestId('refund-submit').click();
  await approve(second, manager.username, manager.password);
  const problem = second.getByTestId('refund-problem');
  await expect(problem).toHaveAttribute('data-code', 'REFUND_EXCEEDS_REFUNDABLE');
  await expect(problem).toContainText('剩余可退');
  await expect(second.getByTestId('refund-problem-detail')).toContainText(
    'has 0 left to refund, not 2',
  );
  await expect(stale.getByTestId('refund-line-left')).toHaveText('0');
  await screenshot(second, 'refund-refused-zh');
  await second.getByTestId('language').click();
  await expect(problem).toContainText('more than this sale has left to refund');
  await screenshot(second, 'refund-refused-en');
  expect(salesOnServer(e.dataDir).find((s) => s.id === saleId)?.state).toBe('partly_refunded');
});

test('a cash sale with a voucher that goes back on a full refund: F3 and the refund receipt say it can be used again', async ({
  page,
}) => {
  const e = env();
  const { manager, store } = storeManager(e, 2);
  const [first] = e.demo.products;
  const batch = e.demo.batches.find((b) => b.kind === 'cash');
  const code = batch && e.demo.codes[batch.id]?.[0];
  if (!first || !batch || !code) throw new Error('demo data lacks a product or a cash voucher');
  await setReturnOnRefund(e.server.url, e.demo, batch.id);
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, store);
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').fill('500');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  const saleId = await paidSaleId(page);

  await page.getByTestId('sale-row').first().getByTestId('sale-refund').click();
  await expect(page.getByTestId('refund-panel')).toHaveAttribute('data-sale-id', saleId);
  await page.getByTestId('refund-all').click();
  await page.getByTestId('refund-submit').click();
  await approve(page, manager.username, manager.password);
  await expect(page.getByTestId('refund-status')).toHaveAttribute('data-state', 'succeeded');
  await expect(page.getByTestId('refund-sale-state')).toHaveText('已全部退款');
  const returned = page.getByTestId('refund-returned');
  await expect(returned).toContainText('券已退回，可再次使用');
  await expect(returned.getByTestId('refund-returned-code').locator('[data-code]')).toHaveAttribute(
    'data-code',
    code,
  );
  // The receipt prints it masked to its last four characters, as a sale receipt does.
  const preview = page.getByTestId('receipt-preview');
  await expect(preview).toContainText('券已退回, 可再次使用:');
  await expect(preview).toContainText(code.slice(-4));
  await expect(preview).not.toContainText(code.slice(0, 12));
  await screenshot(page, 'refund-voucher-returned-zh');
  await preview.getByText('券已退回, 可再次使用:').scrollIntoViewIfNeeded();
  await screenshot(page, 'refund-voucher-receipt-zh');
  await page.getByTestId('language').click();
  await expect(preview).toContainText('Voucher returned, can be used again');
  await preview.getByText('Voucher returned, can be used again').scrollIntoViewIfNeeded();
  await screenshot(page, 'refund-voucher-receipt-en');
  await returned.scrollIntoViewIfNeeded();
  await expect(returned).toContainText('Voucher returned, can be used again');
  await screenshot(page, 'refund-voucher-returned-en');
  expect(salesOnServer(e.dataDir).find((s) => s.id === saleId)?.state).toBe('refunded');
});

test('a sale the gift voucher paid in full is returned at F3 with no money back: approved, done at once, the voucher given back', async ({
  page,
}) => {
  const e = env();
  const croissant = e.demo.products.find((p) => p.sku === 'croissant');
  const batch = e.demo.batches.find((b) => b.kind === 'gift');
  const code = batch && e.demo.codes[batch.id]?.[0];
  // sh-001's pairing codes went to the tests above; gz-001 redeems the gift too, and the chain
  // manager approves for any store.
  const store = e.demo.pairingCodes.findIndex((p) => p.storeId === 'gz-001');
  const manager = e.demo.managers.find((m) => m.username === 'admin');
  if (!croissant || !batch || !code || store < 0 || !manager)
    throw new Error('demo data lacks the croissant, its gift voucher, gz-001 or the admin');
  await setReturnOnRefund(e.server.url, e.demo, batch.id);
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, store);
  await wedgeScan(page, croissant.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').fill('0');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  const saleId = await paidSaleId(page);

  await page.getByTestId('sale-row').first().getByTestId('sale-refund').click();
  await expect(page.getByTestId('refund-panel')).toHaveAttribute('data-sale-id', saleId);
  await expect(page.getByTestId('refund-voucher-only')).toContainText('全部由券支付');
  await page.getByTestId('refund-all').click();
  await expect(page.getByTestId('refund-amount')).toHaveText('¥0.00');
  await screenshot(page, 'refund-voucher-only-pick-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('refund-voucher-only')).toContainText('Vouchers paid this sale');
  await screenshot(page, 'refund-voucher-only-pick-en');
  await page.getByTestId('language').click();
  await page.getByTestId('refund-submit').click();
  await expect(page.getByTestId('approval-dialog')).toContainText('不退钱');
  await approve(page, manager.username, manager.password);
  const status = page.getByTestId('refund-status');
  await expect(status).toHaveAttribute('data-state', 'succeeded');
  await expect(page.getByTestId('refund-no-money')).toBeVisible();
  await expect(page.getByTestId('refund-part')).toHaveCount(0);
  await expect(page.getByTestId('refund-sale-state')).toHaveText('已全部退款');
  await expect(page.getByTestId('refund-line-left')).toHaveText('0');
  await expect(
    page.getByTestId('refund-returned').getByTestId('refund-returned-code').locator('[data-code]'),
  ).toHaveAttribute('data-code', code);
  // The receipt: the line given back, a total of nothing, no way the money went back.
  const preview = page.getByTestId('receipt-preview');
  await expect(preview).toContainText(croissant.name);
  await expect(preview).toContainText('券已退回, 可再次使用:');
  await expect(preview).not.toContainText('现金退款');
  await expect(preview).not.toContainText('原路退回');
  await expect(preview).not.toContainText('-￥0.00');
  await screenshot(page, 'refund-voucher-only-done-zh');
  await preview.getByText('券已退回, 可再次使用:').scrollIntoViewIfNeeded();
  await screenshot(page, 'refund-voucher-only-receipt-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('refund-no-money')).toContainText('no money goes back');
  await expect(preview).toContainText('Voucher returned, can be used again');
  await screenshot(page, 'refund-voucher-only-done-en');
  await page.getByTestId('refund-another').click();
  await expect(page.getByTestId('refund-none-left')).toContainText('refunded in full');
  await page.getByTestId('refund-back').click();
  const row = page.locator(`[data-testid="sale-row"][data-sale-id="${saleId}"]`);
  await expect(row).toHaveAttribute('data-server-state', 'refunded');
  await expect(row.getByTestId('sale-refunded')).toHaveCount(0);
  expect(salesOnServer(e.dataDir).find((s) => s.id === saleId)?.state).toBe('refunded');
});
