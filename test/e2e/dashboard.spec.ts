import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import type { Dashboard } from '../../core/protocol/index';
import {
  expect,
  pairAndLogin,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
  type AppEnv,
} from './fixtures';

/**
 * The console's dashboard, alerts and claim pages against a real sync server (SQLite): the
 * dashboard's figures are the dashboard route's after a till's redemption; an alert is raised
 * for a batch fed under 5% for three days; a published claim page's link opens on a phone.
 */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

async function signIn(page: Page, e: AppEnv, index = 0): Promise<void> {
  const m = e.demo.managers[index];
  if (!m) throw new Error(`the demo has no manager #${index}`);
  await page.goto(`${e.server.url}/manager/`);
  await page.locator('input[name="username"]').fill(m.username);
  await page.locator('input[name="password"]').fill(m.password);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
  await expect(page.locator('.top .who')).toBeVisible();
}

async function managerToken(e: AppEnv, index = 0): Promise<string> {
  const m = e.demo.managers[index];
  if (!m) throw new Error('the demo has no manager');
  const r = await fetch(`${e.server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'password', username: m.username, password: m.password }),
  });
  if (!r.ok) throw new Error(`manager login failed: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

async function serverDashboard(e: AppEnv, token: string): Promise<Dashboard> {
  const r = await fetch(`${e.server.url}/v1/manager/dashboard`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Dashboard;
}

const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

async function expectTiles(page: Page, d: Dashboard): Promise<void> {
  const tile = (key: string) => page.locator(`[data-dash="${key}"] .tile-value`);
  await expect(tile('sales')).toHaveText(yuan(d.salesFen));
  await expect(page.locator('[data-dash="sales"] .tile-sub')).toHaveText(`${d.sales} 笔`);
  await expect(tile('redemptions')).toHaveText(String(d.redemptions));
  await expect(page.locator('[data-dash="redemptions"] .tile-sub')).toHaveText(
    `优惠 ${yuan(d.discountFen)}`,
  );
  await expect(tile('conflictsWaiting')).toHaveText(String(d.conflictsWaiting));
  await expect(tile('tillsOffline')).toHaveText(String(d.tillsOffline));
  await expect(tile('alerts')).toHaveText(String(d.alerts.length));
}

test('the dashboard is the console’s first screen and shows the dashboard route’s numbers after a redemption', async ({
  page,
  browser,
}) => {
  const e = env();
  const token = await managerToken(e);
  const before = await serverDashboard(e, token);
  const latte = e.demo.products[0];
  const code = e.demo.codes['demo-cash']?.[0];
  if (!latte || !code) throw new Error('the demo lacks a product or a demo-cash code');

  // A till rings up a latte with a ¥10 code and takes cash: one sale, one redemption.
  await pairAndLogin(page, e, 0);
  await page.getByTestId('tab-checkout').click();
  await wedgeScan(page, latte.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await wedgeScan(page, code);
  await expect(page.locator(`[data-testid="voucher"][data-code="${code}"]`)).toHaveAttribute(
    'data-state',
    'applied',
  );
  await page.getByTestId('pay').click();
  await page.getByTestId('cash-input').fill('100');
  await page.getByTestId('complete-sale').click();
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await page.getByTestId('tab-queue').click();
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(1);

  const after = await serverDashboard(e, token);
  expect(after.redemptions).toBe(before.redemptions + 1);
  expect(after.sales).toBe(before.sales + 1);
  expect(after.discountFen).toBe(before.discountFen + 1000);

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const manager = await context.newPage();
  await signIn(manager, e);
  await expect(manager).toHaveURL(/\/manager\/$/);
  await expect(manager.getByRole('heading', { name: /今日概览/ })).toBeVisible();
  await expectTiles(manager, after);
  await expect(manager.getByText(`营业日 ${after.date}`)).toBeVisible();
  await screenshot(manager, 'console-dashboard-zh');
  // Each figure opens its screen.
  await manager.locator('[data-dash="conflictsWaiting"]').click();
  await expect(manager).toHaveURL(/\/manager\/conflicts$/);
  await manager.getByRole('link', { name: '概览' }).click();
  await manager.locator('[data-dash="alerts"]').click();
  await expect(manager).toHaveURL(/\/manager\/alerts$/);
  await manager.getByRole('link', { name: '概览' }).click();
  await manager.locator('[data-dash="sales"]').click();
  await expect(manager).toHaveURL(
    new RegExp(`/reports/sales\\?from=${after.date}&to=${after.date}`),
  );
  await manager.getByRole('link', { name: '概览' }).click();
  await manager.getByRole('button', { name: 'English' }).click();
  await expect(manager.getByRole('heading', { name: /Today/ })).toBeVisible();
  await expect(manager.locator('[data-dash="sales"] .tile-sub')).toHaveText(
    `Sales: ${after.sales}`,
  );
  await screenshot(manager, 'console-dashboard-en');
  await manager.getByRole('button', { name: '中文' }).click();
  await context.close();
});

test('a batch fed under 5% for three days raises an alert, listed with its history; thresholds are a chain manager’s setting', async ({
  page,
  browser,
}) => {
  const e = env();
  // The test's own clock: three store-local days in March 2026, each with 100 claims and one
  // redemption (a 1% 核销率), written to the daily aggregates the claims and tills keep.
  const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
  const db = new Database(join(e.dataDir, 'tillpoint.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(
      `insert into report_batch_day (batch_id, store_id, day, views, claims, redemptions, discount_fen,
        cycle0, cycle1, cycle2, cycle3, cycle4to7, cycle_over7, voucher_sales, voucher_sales_fen)
       values ('demo-threshold', 'hz-001', ?, 400, 100, 1, 2000, 1, 0, 0, 0, 0, 0, 0, 0)`,
    );
    for (const day of days) insert.run(day);
  } finally {
    db.close();
  }

  await signIn(page, e);
  const low = page.locator(
    '[data-testid="open-alerts"] tr[data-alert="LOW_REDEMPTION_RATE"][data-batch="demo-threshold"]',
  );
  // Two low days are not yet three.
  await page.goto(`${e.server.url}/manager/alerts?date=2026-03-02`);
  await expect(page.getByRole('heading', { name: '当前预警（2026-03-02）' })).toBeVisible();
  await expect(low).toHaveCount(0);
  // The third is.
  await page.locator('input[name="date"]').fill('2026-03-03');
  await expect(page).toHaveURL(/[?&]date=2026-03-03/);
  await expect(low).toHaveCount(1);
  await expect(low).toContainText('核销率低于 5.00%，连续 3 天');
  await expect(low).toContainText('连续 3 天');
  const raised = page.locator(
    '[data-testid="alert-history"] tr[data-event="raised"][data-alert="LOW_REDEMPTION_RATE"][data-batch="demo-threshold"]',
  );
  await expect(raised).toHaveCount(1);
  await expect(raised.locator('td').first()).toHaveText('2026-03-03');
  await screenshot(page, 'console-alerts-zh');

  // The settings: a wrong value is said in words under its field; a saved one judges anew.
  const rate = page.locator('input[name="lowRedemptionRateBp"]');
  await rate.fill('abc');
  await expect(page.locator('.field.invalid').filter({ has: rate })).toContainText(
    '请填写 0–100 之间的百分数',
  );
  await page.locator('input[name="lowRedemptionDays"]').fill('0');
  await expect(
    page.locator('.field.invalid').filter({ has: page.locator('input[name="lowRedemptionDays"]') }),
  ).toContainText('不能小于 1');
  await page.getByRole('button', { name: '保存阈值' }).click();
  await expect(page.getByText('请先修正标红的项目。')).toBeVisible();
  await screenshot(page, 'console-alerts-errors-zh');
  await page.locator('input[name="lowRedemptionDays"]').fill('3');
  await rate.fill('0.5');
  await page.getByRole('button', { name: '保存阈值' }).click();
  await expect(page.getByText('阈值已保存。')).toBeVisible();
  await expect(page.locator('input[name="lowRedemptionRateBp"]')).toHaveValue('0.5');
  await expect(low).toHaveCount(0);
  // Back to the 5%: the alert is open again.
  await page.locator('input[name="lowRedemptionRateBp"]').fill('5');
  await page.getByRole('button', { name: '保存阈值' }).click();
  await expect(low).toHaveCount(1);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(low).toContainText('Redemption rate under 5.00% for 3 days in a row');
  await expect(raised.locator('td').nth(1)).toContainText('Raised');
  await screenshot(page, 'console-alerts-en');
  await page.getByRole('button', { name: '中文' }).click();

  // A store manager sees the thresholds but cannot change them.
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const store = await context.newPage();
  await signIn(store, e, 1);
  await store.goto(`${e.server.url}/manager/alerts?date=2026-03-03`);
  await expect(store.locator('input[name="lowRedemptionRateBp"]')).toBeDisabled();
  await expect(store.getByRole('button', { name: '保存阈值' })).toHaveCount(0);
  await context.close();
});

test('publishing a claim page gives a link that opens the claim page on a phone, and a printable QR poster', async ({
  page,
  browser,
}) => {
  const e = env();
  await signIn(page, e);
  await page.goto(`${e.server.url}/manager/batches/demo-cash`);
  const panel = page.getByTestId('claim-panel');
  await expect(panel).toBeVisible();
  await panel.locator('input[name="claimTitle"]').fill('到店领10元券');
  // The core schema's problems, in words under their fields.
  const total = panel.locator('.field').filter({ hasText: '总库存' }).locator('input');
  await total.fill('');
  await panel.getByRole('button', { name: '发布领券页' }).click();
  await expect(panel.locator('.field.invalid').filter({ hasText: '总库存' })).toContainText(
    '请填写一个有效的数',
  );
  const per = panel.locator('.field').filter({ hasText: '每位顾客限领' }).locator('input');
  await per.fill('21');
  await expect(panel.locator('.field.invalid').filter({ hasText: '每位顾客限领' })).toContainText(
    '不能大于 20',
  );
  await total.fill('200');
  await panel.locator('.field').filter({ hasText: '每日库存' }).locator('input').fill('50');
  await per.fill('1');
  await panel.getByRole('button', { name: '发布领券页' }).click();
  const link = panel.getByTestId('claim-link');
  await expect(link).toHaveText(new RegExp(`^${e.server.url}/claim/[A-Za-z0-9_-]+$`));
  const url = (await link.textContent()) ?? '';
  // The batch's published pages (claimPages), this one first, with the same link.
  const row = panel.getByTestId('claim-page-row').first();
  await expect(row).toContainText('到店领10元券');
  await expect(row).toContainText('0 / 200');
  await expect(row.getByRole('link', { name: url })).toHaveAttribute('href', url);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'console-claim-published-zh');

  // The link on a phone: the mobile claim page, and a claim gives a code.
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(url);
  await expect(phone.getByText('到店领10元券')).toBeVisible();
  await phone.getByRole('button', { name: '立即领取' }).click();
  await expect(phone.locator('p.code').first()).not.toBeEmpty();
  await screenshot(phone, 'claim-page-phone');
  await phoneContext.close();

  // The poster: the page's title, the batch, its offer and validity, the QR of the link.
  await panel.getByTestId('poster-link').click();
  const poster = page.getByTestId('poster');
  await expect(poster).toContainText('到店领10元券');
  await expect(poster).toContainText('微信扫码领取');
  await expect(page.getByTestId('poster-qr')).toHaveAttribute('data-code-url', url);
  await expect(page.getByTestId('poster-qr')).toHaveAttribute('src', /^data:image\/svg\+xml/);
  await screenshot(page, 'console-poster-zh');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(page.locator('.top')).toBeHidden();
  await screenshot(page, 'console-poster-print-zh');
  // One sheet of A5, and of A4 once chosen.
  // Each page's size in points, from the PDF's MediaBox entries (A5 420×595, A4 595×842).
  const pages = (pdf: Buffer) =>
    [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(
      (m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`,
    );
  expect(pages(await page.pdf({ preferCSSPageSize: true }))).toEqual(['420x595']);
  await page.emulateMedia({ media: 'screen' });
  await page.locator('select[name="posterSize"]').selectOption('A4');
  await expect(poster).toHaveClass(/a4/);
  // (page.pdf() prints with the media emulated: the print stylesheet needs 'print'.)
  await page.emulateMedia({ media: 'print' });
  expect(pages(await page.pdf({ preferCSSPageSize: true }))).toEqual(['595x842']);
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'English' }).click();
  await expect(poster).toContainText('Scan with WeChat to claim');
  await page.locator('select[name="posterSize"]').selectOption('A5');
  await screenshot(page, 'console-poster-en');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'console-poster-print-en');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: 'Back to the batch' }).click();
  await expect(page.getByTestId('claim-panel')).toContainText('Claim page');
  // The phone's claim counts in the list.
  await expect(page.getByTestId('claim-pages')).toContainText('Published claim pages');
  await expect(page.getByTestId('claim-page-row').first()).toContainText('1 / 200');
  await page.getByTestId('claim-panel').scrollIntoViewIfNeeded();
  await screenshot(page, 'console-claim-panel-en');
  await page.getByRole('button', { name: '中文' }).click();
});
