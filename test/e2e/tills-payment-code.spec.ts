import type { Page } from '@playwright/test';
import { salesOnServer } from '../helpers/app-server-api';
import {
  expect,
  pairAndLogin,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
  type AppEnv,
} from './fixtures';

// The limit (¥60) is above the ¥50 cart the payment codes are charged for, and below the ¥78 one
// the approval test rings up (payment codes and Native payments above it both need a manager).
const env = useAppEnv({ payments: true, serverArgs: ['--approval-limit-fen', '6000'] });

/** A WeChat payment code as the customer's phone shows it (18 digits, 10–15 first). */
const CODE = '134567890123456789';

async function ringUp(page: Page, e: AppEnv, firstTimes = 1): Promise<void> {
  const [first, second] = e.demo.products;
  if (!first || !second) throw new Error('demo data lacks products');
  for (let i = 0; i < firstTimes; i += 1) await wedgeScan(page, first.barcode);
  await wedgeScan(page, second.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await page.getByTestId('pay').click();
  await expect(page.getByTestId('tender')).toBeVisible();
}

async function codepayBehaviour(e: AppEnv, body: object): Promise<void> {
  if (!e.sim) throw new Error('this world has no WeChat Pay simulator');
  const answer = await fetch(`${e.sim.url}/sim/codepay/behaviour`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.ok).toBe(true);
}

async function lastSale(page: Page) {
  await page.keyboard.press('F3');
  const row = page.getByTestId('sale-row').first();
  await expect(row).toBeVisible();
  return row;
}

test('a payment code scanned at the tender is paid at once; the sale completes with the transaction id', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 0);
  await codepayBehaviour(e, { result: 'success' });
  await ringUp(page, e);
  await wedgeScan(page, CODE);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
  const row = await lastSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = await row.getAttribute('data-sale-id');
  await expect
    .poll(() => salesOnServer(e.dataDir).filter((s) => s.id === id))
    .toMatchObject([{ state: 'paid' }]);
});

test('F9, the code typed in: "confirming on the phone" on both screens while USERPAYING, then paid', async ({
  page,
  context,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 1);
  const customer = await context.newPage();
  await customer.setViewportSize({ width: 1366, height: 768 });
  await customer.goto(`${e.app.url}?role=customer`);
  await codepayBehaviour(e, { result: 'userpaying', then: 'success', confirmAfterPolls: 1 });
  await ringUp(page, e);
  await page.keyboard.press('F9');
  await screenshot(page, 'tender-code-zh');
  await page.getByTestId('code-input').fill(CODE);
  await page.getByTestId('code-input').press('Enter');
  await expect(page.getByTestId('wechat-confirming')).toBeVisible();
  await expect(customer.getByTestId('customer-confirming')).toBeVisible();
  await screenshot(page, 'tender-code-confirming-zh');
  await screenshot(customer, 'customer-confirming-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('wechat-confirming')).toContainText('confirming on the phone');
  await expect(customer.getByTestId('customer-confirming')).toContainText('confirm');
  await screenshot(page, 'tender-code-confirming-en');
  await screenshot(customer, 'customer-confirming-en');
  // No second charge while the customer confirms: another scan starts nothing.
  await wedgeScan(page, CODE);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 60_000 });
  await expect(customer.getByTestId('customer-paid')).toBeVisible();
  const row = await lastSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
});

test('a payment code declined (NOTENOUGH): the reason in words, then the cashier takes cash', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 2);
  await codepayBehaviour(e, { result: 'notenough' });
  await ringUp(page, e);
  await wedgeScan(page, CODE);
  const failed = page.getByTestId('wechat-failed');
  await expect(failed).toHaveAttribute('data-reason', 'declined');
  await expect(failed).toHaveAttribute('data-why', 'NOTENOUGH');
  await expect(failed).toContainText('余额不足');
  await screenshot(page, 'tender-code-declined-zh');
  await page.getByTestId('language').click();
  await expect(failed).toContainText('balance is too low');
  await screenshot(page, 'tender-code-declined-en');
  await page.keyboard.press('F6');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  const row = await lastSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = await row.getAttribute('data-sale-id');
  await expect
    .poll(() => salesOnServer(e.dataDir).filter((s) => s.id === id))
    .toMatchObject([{ state: 'paid', changeFen: 0 }]);
});

test('a Native payment above the limit: a wrong password is refused in words, the demo manager approves it', async ({
  page,
}) => {
  const e = env();
  const manager = e.demo.managers[0];
  if (!manager) throw new Error('demo data lacks a manager');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 3);
  await ringUp(page, e, 2);
  await page.keyboard.press('F7');
  const dialog = page.getByTestId('approval-dialog');
  await expect(dialog).toBeVisible();
  await screenshot(page, 'approval-zh');
  await page.getByTestId('approval-username').fill(manager.username);
  await page.getByTestId('approval-password').fill('not-the-password');
  await page.getByTestId('approval-submit').click();
  await expect(page.getByTestId('approval-refused')).toBeVisible();
  await expect(page.getByTestId('approval-password')).toHaveValue('');
  await page.getByTestId('language').click();
  await expect(dialog).toContainText("manager's approval");
  await expect(page.getByTestId('approval-refused')).toContainText('not accepted');
  await screenshot(page, 'approval-refused-en');
  await page.getByTestId('approval-username').fill(manager.username);
  await page.getByTestId('approval-password').fill(manager.password);
  await page.getByTestId('approval-submit').click();
  const qr = page.getByTestId('cashier-qr');
  await expect(qr).toBeVisible();
  // The credentials are gone from the page's state once sent.
  await expect(dialog).toHaveCount(0);
  const codeUrl = await qr.getAttribute('data-code-url');
  if (!e.sim || !codeUrl) throw new Error('no simulator or no QR code');
  const paid = await fetch(`${e.sim.url}/sim/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code_url: codeUrl }),
  });
  expect(paid.ok).toBe(true);
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 30_000 });
});

test('the server cut while the customer confirms: "checking", no second charge, then paid once it answers', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 4);
  await codepayBehaviour(e, { result: 'userpaying', then: 'success', confirmAfterPolls: 2 });
  await ringUp(page, e);
  await wedgeScan(page, CODE);
  await expect(page.getByTestId('wechat-confirming')).toBeVisible();
  await e.server.stop();
  const panel = page.getByTestId('wechat-panel');
  await expect(panel).toHaveAttribute('data-phase', 'checking');
  await screenshot(page, 'tender-code-checking-zh');
  // The result is unknown: neither a new scan nor another tender key starts anything.
  await wedgeScan(page, CODE);
  await page.keyboard.press('F6');
  await expect(page.getByTestId('tender')).toHaveCount(0);
  await e.restart();
  await expect(page.getByTestId('sale-done')).toBeVisible({ timeout: 90_000 });
  const row = await lastSale(page);
  await expect(row).toHaveAttribute('data-server-state', 'paid');
  const id = await row.getAttribute('data-sale-id');
  await expect
    .poll(() => salesOnServer(e.dataDir).filter((s) => s.id === id))
    .toMatchObject([{ state: 'paid' }]);
});
