import type { Page } from '@playwright/test';
import { outTradeNosOnServer, saleMemberOnServer, salesOnServer } from '../helpers/app-server-api';
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

/** A WeChat payment code as the customer's phone shows it (18 digits, 10–15 first). */
const PAYMENT_CODE = '134567890123456789';

/** Two products and a ¥10 cash voucher (`nth` of the demo's), up to the tender keys. */
async function ringUpWithVoucher(page: Page, e: AppEnv, nth: number): Promise<void> {
  const [first, second] = e.demo.products;
  const code = e.demo.codes['demo-cash']?.[nth];
  if (!first || !second || !code) throw new Error('demo data lacks products or cash vouchers');
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, second.barcode);
  await wedgeScan(page, code);
  await expect(page.locator(`[data-testid="voucher"][data-code="${code}"]`)).toHaveAttribute(
    'data-state',
    'applied',
  );
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('tender')).toBeVisible();
}

/** The customer's phone scans a code_url at the simulator: its HTTP status and error code. */
async function scan(e: AppEnv, codeUrl: string | null): Promise<{ status: number; code: string }> {
  if (!e.sim || !codeUrl) throw new Error('no simulator or no QR code');
  const answer = await fetch(`${e.sim.url}/sim/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl }),
  });
  const body = (await answer.json()) as { code?: string };
  return { status: answer.status, code: body.code ?? '' };
}

/** The payments the server holds for these sales, by state. */
function paymentStates(e: AppEnv, saleIds: readonly string[]): string[] {
  return saleIds
    .flatMap((id) => outTradeNosOnServer(e.dataDir, id))
    .map((no) => e.sim?.control.order(no)?.['trade_state'])
    .map(String)
    .sort();
}

async function newestSale(page: Page) {
  await page.keyboard.press('F3');
  const row = page.getByTestId('sale-row').first();
  await expect(row).toBeVisible();
  return row;
}

test('after the cashier closes a Native order, F7 places a new one; the closed order cannot be paid and the sale with its voucher is paid once', async ({
  page,
  context,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 0);
  const customer = await context.newPage();
  await customer.goto(`${e.app.url}?role=customer`);
  await ringUpWithVoucher(page, e, 0);
  const before = new Set(salesOnServer(e.dataDir).map((s) => s.id));

  await page.keyboard.press('F7');
  const qr = page.getByTestId('cashier-qr');
  await expect(qr).toBeVisible();
  const closedUrl = await qr.getAttribute('data-code-url');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('wechat-failed')).toHaveAttribute('data-reason', 'closed');

  await page.keyboard.press('F7');
  await expect(qr).toBeVisible();
  const openUrl = await qr.getAttribute('data-code-url');
  expect(openUrl).not.toBe(closedUrl);
  await expect(customer.getByTestId('customer-qr')).toHaveAttribute('data-code-url', openUrl ?? '');
  await screenshot(page, 'tender-native-again-zh');

  // The customer's phone still shows the first code: WeChat will not take money for it.
  expect(await scan(e, closedUrl)).toEqual({ status: 409, code: 'NOT_PAYABLE' });
  expect(await scan(e, openUrl)).toEqual({ status: 200, code: '' });
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByTestId('customer-paid')).toBeVisible();

  const row = await newestSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const paidId = (await row.getAttribute('data-sale-id')) ?? '';
  const attempts = salesOnServer(e.dataDir).filter((s) => !before.has(s.id));
  // The first attempt is voided by the sale that replaced it: nothing waits on it any more.
  expect(attempts.map((s) => s.state).sort()).toEqual(['paid', 'voided']);
  const paid = attempts.find((s) => s.id === paidId);
  // The voucher went with the sale that was paid: ¥10 off, and nothing flagged.
  expect(saleMemberOnServer(e.dataDir, paidId).flags).toEqual([]);
  expect(paid?.paidFen).toBe(paid?.dueFen);
  const [first, second] = e.demo.products;
  expect(paid?.dueFen).toBe((first?.priceFen ?? 0) + (second?.priceFen ?? 0) - 1000);
  expect(
    paymentStates(
      e,
      attempts.map((s) => s.id),
    ),
  ).toEqual(['CLOSED', 'SUCCESS']);
});

test('a Native order that expires is closed; the cashier then takes the payment code for the same sale', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 1);
  await ringUpWithVoucher(page, e, 1);
  const before = new Set(salesOnServer(e.dataDir).map((s) => s.id));
  await page.keyboard.press('F7');
  const qr = page.getByTestId('cashier-qr');
  await expect(qr).toBeVisible();
  const expiredUrl = await qr.getAttribute('data-code-url');

  // The till's clock passes the order's expiry (five minutes): the till closes it.
  await page.clock.setSystemTime(Date.now() + 6 * 60_000);
  await expect(page.getByTestId('wechat-failed')).toHaveAttribute('data-reason', 'expired', {
    timeout: 30_000,
  });
  await screenshot(page, 'tender-native-expired-zh');
  expect(await scan(e, expiredUrl)).toEqual({ status: 409, code: 'NOT_PAYABLE' });

  await wedgeScan(page, PAYMENT_CODE);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  const row = await newestSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const paidId = (await row.getAttribute('data-sale-id')) ?? '';
  const attempts = salesOnServer(e.dataDir).filter((s) => !before.has(s.id));
  expect(attempts.map((s) => s.state).sort()).toEqual(['paid', 'voided']);
  expect(saleMemberOnServer(e.dataDir, paidId).flags).toEqual([]);
  expect(
    paymentStates(
      e,
      attempts.map((s) => s.id),
    ),
  ).toEqual(['CLOSED', 'SUCCESS']);
});
