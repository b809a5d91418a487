import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { localTime } from '../../core/time';
import { join } from 'node:path';
import { expect, pairAndLogin, test, useAppEnv, wedgeScan, type AppEnv } from './fixtures';

/**
 * The console's report screens against a real sync server (SQLite): a customer claims a code on
 * the claim page (phone viewport), a till rings it up in a sale, and the batch report shows it;
 * its CSV downloads equal the table and the chart's labels, and the filters live in the URL.
 */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

async function managerToken(e: AppEnv): Promise<string> {
  const m = e.demo.managers[0];
  if (!m) throw new Error('the demo has no manager');
  const r = await fetch(`${e.server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'password', username: m.username, password: m.password }),
  });
  if (!r.ok) throw new Error(`manager login failed: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

async function signIn(page: Page, e: AppEnv, index = 0): Promise<void> {
  const m = e.demo.managers[index];
  if (!m) throw new Error(`the demo has no manager #${index}`);
  await page.goto(`${e.server.url}/manager/`);
  await page.locator('input[name="username"]').fill(m.username);
  await page.locator('input[name="password"]').fill(m.password);
  await page.getByRole('button', { name: /登录|Sign in/ }).click();
  await expect(page.locator('.top .who')).toBeVisible();
}

/** A downloaded CSV as rows of fields (no field of these tables holds a comma or a quote). */
async function downloadCsv(page: Page, link: Locator): Promise<{ rows: string[][]; bom: boolean }> {
  const download = page.waitForEvent('download');
  await link.click();
  const text = await readFile(await (await download).path(), 'utf8');
  return {
    bom: text.startsWith('\uFEFF'),
    rows: text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(',')),
  };
}

/** A report table as shown: its header and each cell's text as the CSV must print it. */
async function shownTable(card: Locator): Promise<string[][]> {
  const header = await card.locator('thead th').allTextContents();
  const rows = await card
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset['cell'] ?? '')),
    );
  return [header, ...rows];
}

/** The screen from its top at 1366×768, and the whole page beside it (for looking at it). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const dir = join(import.meta.dirname, '..', '..', 'test-results', 'screens');
  await page.screenshot({ path: join(dir, `${name}.png`) });
  await page.screenshot({ path: join(dir, `${name}-full.png`), fullPage: true });
}

/** The texts ECharts drew in a chart's SVG (its direct labels, axis names, band names). */
async function chartTexts(chart: Locator): Promise<string[]> {
  await expect(chart).toHaveAttribute('data-ready', 'true');
  return chart.locator('svg text').allTextContents();
}

test('a claimed code redeemed at a till shows in the batch report, whose CSV equals its table and chart, with the filters kept in the URL', async ({
  page,
  browser,
}) => {
  const e = env();
  const storeId = e.demo.pairingCodes[0]?.storeId;
  const latte = e.demo.products[0];
  if (!storeId || !latte) throw new Error('the demo lacks a store or a product');
  const today = localTime(Date.now()).date;

  // A claim page for the ¥10 cash batch at the till's store, published through the API.
  const token = await managerToken(e);
  const published = await fetch(`${e.server.url}/v1/manager/claim-pages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      batchId: 'demo-cash',
      storeId,
      title: '开业领10元券',
      totalStock: 50,
      dailyStock: null,
      perCustomer: 1,
    }),
  });
  expect(published.status).toBe(201);
  const claimPage = (await published.json()) as { id: string };

  // The customer opens it on a phone (one view) and claims a code (one claim).
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(`${e.server.url}/claim/${claimPage.id}`);
  await phone.getByRole('button', { name: '立即领取' }).click();
  const code = (await phone.locator('p.code').first().textContent())?.trim() ?? '';
  expect(code).not.toBe('');
  // The code's QR is an image of the server's, loaded by the phone under the page's CSP.
  const qr = phone.locator('.qr img');
  await expect(qr).toBeVisible();
  await expect
    .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  await phoneContext.close();

  // A till rings up a latte with the code and takes cash (one redemption, one voucher sale).
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
  // The sale is queued and synced; the redemption was made online when paying.
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(1);
  await expect(page.getByTestId('status-queued')).toHaveText('0');
  // The customer brings the latte back: refunded in cash at F3 (the chain manager approves).
  const approver = e.demo.managers[0];
  if (!approver) throw new Error('the demo has no manager');
  await page.keyboard.press('F3');
  await page.getByTestId('sale-row').first().getByTestId('sale-refund').click();
  await page.getByTestId('refund-all').click();
  await page.getByTestId('refund-submit').click();
  await page.getByTestId('approval-username').fill(approver.username);
  await page.getByTestId('approval-password').fill(approver.password);
  await page.getByTestId('approval-submit').click();
  await expect(page.getByTestId('refund-status')).toHaveAttribute('data-state', 'succeeded');

  // The console: Reports, the batch chosen, the figures of that one customer.
  const consoleContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const manager = await consoleContext.newPage();
  // The charts must draw within the console's Content Security Policy (no inline styles) and
  // without errors (the browser's own favicon probe, which the server has no answer to, aside).
  const refused: string[] = [];
  manager.on('console', (m) => {
    const at = m.location().url;
    if (m.type() === 'error' && !at.endsWith('/favicon.ico')) refused.push(`${m.text()} ${at}`);
  });
  const scripts: string[] = [];
  manager.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await signIn(manager, e);
  // The console opens on its dashboard; the batches are one link away.
  await manager.getByRole('link', { name: '券批次', exact: true }).click();
  await expect(manager.locator('tr[data-batch]').first()).toBeVisible();
  // The console's own screens load without the chart library or the report screens.
  expect(scripts.filter((s) => /\/(echarts|ReportsScreen)-/.test(s))).toEqual([]);
  await manager.getByRole('link', { name: '报表' }).click();
  await expect(manager.getByText('请选择一个券批次查看其报表。')).toBeVisible();
  await manager.locator('select[name="batch"]').selectOption('demo-cash');
  await expect(manager.getByTestId('funnel-chart')).toHaveAttribute('data-ready', 'true');
  expect(scripts.filter((s) => /\/echarts-/.test(s))).toHaveLength(1);
  await expect(manager).toHaveURL(/\/manager\/reports\b.*[?&]batch=demo-cash/);
  const kpi = (key: string) => manager.locator(`[data-kpi="${key}"] .kpi-value`);
  await expect(kpi('views')).toHaveText('1');
  await expect(kpi('claims')).toHaveText('1');
  await expect(kpi('redemptions')).toHaveText('1');
  await expect(kpi('claimConversion')).toHaveText('100.00%');
  await expect(manager.locator('[data-kpi="claimConversion"] .band')).toHaveText('健康（≥25%）');
  await expect(kpi('redemptionRate')).toHaveText('100.00%');
  await expect(kpi('discountFen')).toHaveText('¥10.00');
  await expect(kpi('voucherSales')).toHaveText('1');
  const latteYuan = (latte.priceFen / 100).toFixed(2);
  await expect(kpi('voucherSalesFen')).toHaveText(`¥${latteYuan}`);

  // The funnel: its CSV is the table shown, and the chart labels are the same numbers.
  const funnel = manager.getByTestId('funnel');
  const funnelCsv = await downloadCsv(
    manager,
    funnel.getByRole('link', { name: '下载“领取漏斗”的 CSV' }),
  );
  expect(funnelCsv.bom).toBe(true);
  const funnelShown = await shownTable(funnel);
  expect(funnelCsv.rows).toEqual(funnelShown);
  expect(funnelShown[1]).toEqual(['1', '1', '1', '100.00%', '100.00%', '10.00', '1', latteYuan]);
  const funnelLabels = await chartTexts(manager.getByTestId('funnel-chart'));
  expect(funnelLabels).toEqual(
    expect.arrayContaining(['浏览 1', '领取 1（领取转化率 100.00%）', '核销 1（核销率 100.00%）']),
  );

  // The cycle histogram: claimed and redeemed the same day, a healthy 0-day cycle.
  const cycle = manager.getByTestId('cycle');
  const cycleCsv = await downloadCsv(manager, cycle.getByRole('link', { name: /CSV/ }));
  const cycleShown = await shownTable(cycle);
  expect(cycleCsv.rows).toEqual(cycleShown);
  expect(cycleShown[1]).toEqual(['当天', '1', '100.00%', '健康']);
  const cycleLabels = await chartTexts(manager.getByTestId('cycle-chart'));
  for (const row of cycleShown.slice(1)) {
    expect(cycleLabels).toContain(`${row[1]} · ${row[2]}`);
    expect(cycleLabels).toContain(row[0]);
  }
  expect(cycleLabels).toEqual(expect.arrayContaining(['≤3 天 健康', '>7 天', '预警']));

  // The store ranking: the till's store, first, with the one redemption.
  const ranking = manager.getByTestId('ranking');
  const rankingCsv = await downloadCsv(manager, ranking.getByRole('link', { name: /CSV/ }));
  expect(rankingCsv.rows).toEqual(await shownTable(ranking));
  expect(rankingCsv.rows[1]?.slice(0, 4)).toEqual(['1', storeId, '1', '10.00']);
  expect(await chartTexts(manager.getByTestId('ranking-chart'))).toContain('1 · ¥10.00');

  // ECharts speaks the console's language (its aria description of the chart).
  await expect(manager.getByTestId('cycle-chart')).toHaveAttribute('aria-label', /图表/);
  await screenshot(manager, 'reports-batch-zh');

  // The filters survive a reload: a link reproduces the view.
  await manager.locator('input[name="from"]').fill(today);
  await expect(manager).toHaveURL(new RegExp(`[?&]from=${today}`));
  await expect(kpi('redemptions')).toHaveText('1');
  const url = manager.url();
  await manager.reload();
  expect(manager.url()).toBe(url);
  await expect(manager.locator('select[name="batch"]')).toHaveValue('demo-cash');
  await expect(manager.locator('input[name="from"]')).toHaveValue(today);
  await expect(manager.locator('input[name="to"]')).toHaveValue(today);
  await expect(kpi('redemptions')).toHaveText('1');
  // A range that ended before the sale shows none of it.
  const yesterday = localTime(Date.now() - 86_400_000).date;
  await manager.goto(url.replace(`from=${today}`, `from=${yesterday}&to=${yesterday}`));
  await expect(kpi('redemptions')).toHaveText('0');
  await manager.goto(url);
  await expect(kpi('redemptions')).toHaveText('1');

  // The other reports keep the filters as they switch; each is shown in both languages,
  // over the last week.
  const weekAgo = localTime(Date.now() - 6 * 86_400_000).date;
  await manager.locator('input[name="from"]').fill(weekAgo);
  await expect(manager).toHaveURL(new RegExp(`[?&]from=${weekAgo}`));
  await manager.getByRole('link', { name: '门店 × 日期' }).click();
  await expect(manager).toHaveURL(/\/reports\/stores\?.*batch=demo-cash/);
  const heatmap = manager.getByTestId('heatmap');
  await expect(manager.getByTestId('heatmap-chart')).toHaveAttribute('data-ready', 'true');
  await heatmap.getByRole('button', { name: /显示明细表/ }).click();
  const heatCsv = await downloadCsv(manager, heatmap.getByRole('link', { name: /CSV/ }));
  const heatShown = await shownTable(heatmap);
  expect(heatCsv.rows).toEqual(heatShown);
  expect(heatShown.find((r) => r[0] === storeId && r[1] === today)?.slice(2)).toEqual([
    '1',
    '10.00',
  ]);
  await heatmap.getByRole('button', { name: '隐藏明细表' }).click();
  await screenshot(manager, 'reports-stores-zh');
  await manager.getByRole('link', { name: '销售' }).click();
  const tenders = manager.getByTestId('tenders');
  await expect(manager.getByTestId('tenders-chart')).toHaveAttribute('data-ready', 'true');
  const tenderCsv = await downloadCsv(manager, tenders.getByRole('link', { name: /CSV/ }));
  const tendersShown = await shownTable(tenders);
  expect(tenderCsv.rows).toEqual(tendersShown);
  // The cash refund, on its day under cash: one refund of what the cash paid, nothing net.
  const paidYuan = ((latte.priceFen - 1_000) / 100).toFixed(2);
  expect(tendersShown.filter((r) => r[0] === storeId && r[1] === today && r[5] !== '0')).toEqual([
    [storeId, today, '现金', '1', paidYuan, '1', paidYuan, '0.00'],
  ]);
  await screenshot(manager, 'reports-sales-zh');
  await manager.getByRole('link', { name: '时段' }).click();
  const hours = manager.getByTestId('hours');
  const hourLabels = await chartTexts(manager.getByTestId('hours-chart'));
  expect(hourLabels).toContain('晚间 18–24 时');
  const hourCsv = await downloadCsv(manager, hours.getByRole('link', { name: /CSV/ }));
  const hourShown = await shownTable(hours);
  expect(hourCsv.rows).toEqual(hourShown);
  const hourRows = hourShown.slice(1);
  expect(hourRows).toHaveLength(24);
  expect(hourRows.reduce((s, r) => s + Number(r[1]), 0)).toBe(1);
  expect(hourRows.reduce((s, r) => s + Number(r[2]), 0)).toBe(1);
  await screenshot(manager, 'reports-hours-zh');

  await manager.getByRole('button', { name: 'English' }).click();
  await expect(manager.getByRole('link', { name: 'Time of day' })).toBeVisible();
  await expect(manager.getByTestId('hours-chart')).toHaveAttribute('aria-label', /chart/i);
  await screenshot(manager, 'reports-hours-en');
  await manager.getByRole('link', { name: 'Sales', exact: true }).click();
  await expect(manager.getByTestId('tenders-chart')).toHaveAttribute('data-ready', 'true');
  await screenshot(manager, 'reports-sales-en');
  await manager.getByRole('link', { name: 'Stores by day' }).click();
  await expect(manager.getByTestId('heatmap-chart')).toHaveAttribute('data-ready', 'true');
  await screenshot(manager, 'reports-stores-en');
  await manager.getByRole('link', { name: 'By batch' }).click();
  await expect(manager.getByTestId('cycle-chart')).toHaveAttribute('data-ready', 'true');
  await expect(manager.locator('[data-kpi="claimConversion"] .band')).toHaveText('healthy (≥ 25%)');
  const enCsv = await downloadCsv(
    manager,
    manager.getByTestId('funnel').getByRole('link', { name: /CSV/ }),
  );
  expect(enCsv.rows[0]?.[0]).toBe('Views');
  expect(enCsv.rows).toEqual(await shownTable(manager.getByTestId('funnel')));
  await screenshot(manager, 'reports-batch-en');
  // As printed, and in grey: the bands still tell apart by their patterns and labels.
  await manager.emulateMedia({ media: 'print' });
  // (Through the CSSOM: the console's CSP allows no inline style sheet.)
  await manager.evaluate(() => (document.documentElement.style.filter = 'grayscale(1)'));
  await screenshot(manager, 'reports-batch-print-grey');
  await manager.evaluate(() => (document.documentElement.style.filter = ''));
  await manager.emulateMedia({ media: 'screen' });
  await manager.getByRole('button', { name: '中文' }).click();
  expect(refused).toEqual([]);
  await consoleContext.close();
});

test('a store manager’s reports hold their own store only, with no store to choose', async ({
  page,
}) => {
  const e = env();
  await signIn(page, e, 1);
  const today = localTime(Date.now()).date;
  const from = localTime(Date.now() - 2 * 86_400_000).date;
  await page.goto(`${e.server.url}/manager/reports/stores?from=${from}&to=${today}`);
  await expect(page.getByText('店长只能查看本店的数据。')).toBeVisible();
  await expect(page.locator('select[name="store"]')).toHaveCount(0);
  await expect(page.getByTestId('heatmap-chart')).toHaveAttribute('data-ready', 'true');
  const heatmap = page.getByTestId('heatmap');
  await heatmap.getByRole('button', { name: /显示明细表/ }).click();
  const shown = await shownTable(heatmap);
  // One store, three days.
  expect(new Set(shown.slice(1).map((r) => r[0]))).toEqual(new Set(['sh-001']));
  expect(shown.slice(1).map((r) => r[1])).toEqual([
    from,
    localTime(Date.now() - 86_400_000).date,
    today,
  ]);
  const csv = await downloadCsv(page, heatmap.getByRole('link', { name: /CSV/ }));
  expect(csv.rows).toEqual(shown);
});
