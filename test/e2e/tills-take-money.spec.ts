import type { Page } from '@playwright/test';
import { saleTendersOnServer, salesOnServer } from '../helpers/app-server-api';
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

/** The sale ids of the F3 history, with the state each row shows. */
async function saleRow(page: Page) {
  await page.keyboard.press('F3');
  const row = page.getByTestId('sale-row').first();
  await expect(row).toBeVisible();
  return row;
}

test('a cash sale gives change and is recorded on the server exactly once', async ({ page }) => {
  const e = env();
  await pairAndLogin(page, e, 0);
  await ringUp(page, e);
  await page.getByTestId('cash-input').fill('500');
  await expect(page.getByTestId('change')).not.toHaveText('—');
  await screenshot(page, 'tender-cash-zh');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();

  const row = await saleRow(page);
  await expect(row).toHaveAttribute('data-state', 'recorded');
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = await row.getAttribute('data-sale-id');
  const recorded = salesOnServer(e.dataDir).filter((s) => s.id === id);
  expect(recorded).toHaveLength(1);
  expect(recorded[0]).toMatchObject({ state: 'paid', offline: 0, paidFen: recorded[0]?.dueFen });
  expect(recorded[0]?.changeFen).toBe(50_000 - (recorded[0]?.dueFen ?? 0));
});

test('WeChat Native: the QR code shows on the cashier screen and the customer display, and the sale completes once the customer pays', async ({
  page,
  context,
}) => {
  const e = env();
  if (!e.sim) throw new Error('this world has no WeChat Pay simulator');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 1);
  const customer = await context.newPage();
  await customer.setViewportSize({ width: 1366, height: 768 });
  await customer.goto(`${e.app.url}?role=customer`);
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-phase', 'idle');
  await screenshot(customer, 'customer-idle-zh');

  await ringUp(page, e);
  await expect(customer.getByTestId('customer-line')).toHaveCount(2);
  await expect(display).toHaveAttribute('data-phase', 'due');
  await screenshot(page, 'tender-keys-zh');

  await page.keyboard.press('F7');
  const cashierQr = page.getByTestId('cashier-qr');
  const customerQr = customer.getByTestId('customer-qr');
  await expect(cashierQr).toBeVisible();
  await expect(customerQr).toBeVisible();
  const codeUrl = await cashierQr.getAttribute('data-code-url');
  expect(codeUrl).toMatch(/^weixin:\/\//);
  await expect(customerQr).toHaveAttribute('data-code-url', codeUrl ?? '');
  await expect(page.getByTestId('qr-countdown')).toContainText(':');
  await screenshot(page, 'tender-native-zh');
  await screenshot(customer, 'customer-native-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('wechat-panel')).toContainText('WeChat');
  await expect(display).toContainText('Scan with WeChat');
  await screenshot(page, 'tender-native-en');
  await screenshot(customer, 'customer-native-en');

  // The customer's phone pays the order.
  const paid = await fetch(`${e.sim.url}/sim/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl }),
  });
  expect(paid.ok).toBe(true);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByTestId('customer-paid')).toBeVisible();
  await screenshot(customer, 'customer-paid-en');

  const row = await saleRow(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = await row.getAttribute('data-sale-id');
  await expect
    .poll(() => salesOnServer(e.dataDir).filter((s) => s.id === id))
    .toMatchObject([{ state: 'paid' }]);
});

test('offline: WeChat says it needs the network, a cash sale is taken and reaches the server once after the outage', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 2);
  await page.getByTestId('language').click();
  const before = salesOnServer(e.dataDir).length;
  await e.server.stop();
  await ringUp(page, e);
  await page.keyboard.press('F7');
  await expect(page.getByTestId('wechat-failed')).toHaveAttribute('data-reason', 'offline');
  await screenshot(page, 'tender-offline-en');
  await page.keyboard.press('F6');
  await page.getByTestId('cash-input').fill('1000');
  await page.getByTestId('complete-sale').click();
  await expect(page.getByTestId('sale-done')).toBeVisible();

  const row = await saleRow(page);
  await expect(row).toHaveAttribute('data-state', 'pending');
  const id = await row.getAttribute('data-sale-id');

  await e.restart();
  await expect(row).toHaveAttribute('data-state', 'recorded', { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const recorded = salesOnServer(e.dataDir).filter((s) => s.id === id);
  expect(recorded).toEqual([expect.objectContaining({ state: 'paid', offline: 1 })]);
  expect(salesOnServer(e.dataDir)).toHaveLength(before + 1);
});

async function scanToPay(e: AppEnv, codeUrl: string | null): Promise<void> {
  if (!e.sim || !codeUrl) throw new Error('no simulator or no QR code');
  const paid = await fetch(`${e.sim.url}/sim/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl }),
  });
  expect(paid.ok).toBe(true);
}

test('Esc closes the WeChat order unpaid; the customer is told and the cashier takes cash instead', async ({
  page,
  context,
}) => {
  const e = env();
  await pairAndLogin(page, e, 3);
  const customer = await context.newPage();
  await customer.goto(`${e.app.url}?role=customer`);
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-phase', 'idle');
  // The customer display never handles a scan: a wedge burst there rings up nothing anywhere.
  await wedgeScan(customer, e.demo.products[0]?.barcode ?? '');
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await ringUp(page, e);
  const before = new Set(salesOnServer(e.dataDir).map((s) => s.id));
  await page.keyboard.press('F7');
  await expect(page.getByTestId('cashier-qr')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('wechat-failed')).toHaveAttribute('data-reason', 'closed');
  await expect(customer.getByTestId('customer-failed')).toHaveAttribute('data-reason', 'closed');
  await page.keyboard.press('F6');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await expect(customer.getByTestId('customer-paid')).toBeVisible();
  // The server ends with the WeChat attempt voided by the cash sale that replaced it.
  await expect
    .poll(() =>
      salesOnServer(e.dataDir)
        .filter((s) => !before.has(s.id))
        .map((s) => s.state),
    )
    .toEqual(['voided', 'paid']);
});

test('the server unreachable while the QR code is up: "checking", no other tender, then paid once it answers', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 4);
  await ringUp(page, e);
  await page.keyboard.press('F7');
  const qr = page.getByTestId('cashier-qr');
  await expect(qr).toBeVisible();
  const codeUrl = await qr.getAttribute('data-code-url');

  await e.server.stop();
  const panel = page.getByTestId('wechat-panel');
  await expect(panel).toHaveAttribute('data-phase', 'checking');
  await screenshot(page, 'tender-checking-zh');
  // No second charge while the result is unknown: the tender keys do nothing.
  await page.keyboard.press('F6');
  await expect(page.getByTestId('tender')).toHaveCount(0);
  await expect(page.getByTestId('wechat-failed')).toHaveCount(0);

  // The customer pays meanwhile; the server hears of it when it is back.
  await scanToPay(e, codeUrl);
  await e.restart();
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 60_000 });
  const row = await saleRow(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
});

test('a split tender: a voucher, ¥10 in cash, the rest by WeChat Native; the server holds each part and the voucher with the sale', async ({
  page,
  context,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 5);
  const customer = await context.newPage();
  await customer.goto(`${e.app.url}?role=customer`);
  const cashBatch = e.demo.batches.find((b) => b.kind === 'cash');
  const code = (cashBatch && e.demo.codes[cashBatch.id]?.at(-1)) ?? null;
  if (!code) throw new Error('demo data lacks a cash voucher');
  const [first, second] = e.demo.products;
  if (!first || !second) throw new Error('demo data lacks products');
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, second.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');

  await page.keyboard.press('F8');
  await page.getByTestId('cash-input').fill('10');
  await expect(page.getByTestId('split-rest')).toContainText('¥');
  await screenshot(page, 'tender-split-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('split-rest')).toContainText('by WeChat');
  await screenshot(page, 'tender-split-en');
  await page.getByTestId('cash-input').press('Enter');
  const qr = page.getByTestId('cashier-qr');
  await expect(qr).toBeVisible();
  await expect(customer.getByTestId('customer-qr')).toBeVisible();
  await scanToPay(e, await qr.getAttribute('data-code-url'));
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByTestId('customer-paid')).toBeVisible();

  const row = await saleRow(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = (await row.getAttribute('data-sale-id')) ?? '';
  const [sale] = salesOnServer(e.dataDir).filter((s) => s.id === id);
  if (!sale) throw new Error(`sale ${id} is not on the server`);
  const held = saleTendersOnServer(e.dataDir, id);
  expect(held.redemptions).toEqual([
    expect.objectContaining({ code, status: 'accepted', discountFen: expect.any(Number) }),
  ]);
  expect(held.tenders).toEqual([
    expect.objectContaining({ kind: 'cash', amountFen: 1_000, changeFen: 0 }),
    expect.objectContaining({
      kind: 'wechat_native',
      amountFen: sale.dueFen - 1_000,
      state: 'paid',
    }),
  ]);
  expect(sale).toMatchObject({ state: 'paid', paidFen: sale.dueFen, changeFen: 0 });
});
