import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { formatFen, type Fen } from '../../core/money';
import { startDeviceHostProcess, type DeviceHostProcess } from '../helpers/app-device-host';
import { shiftOnServer } from '../helpers/app-server-api';
import { printedLines, tokenize } from '../sim/escposTokenizer';
import { startTcpPrinter } from '../sim/tcpPrinter';
import { expect, pairAndLogin, screenshot, test, useAppEnv, wedgeScan } from './fixtures';

/**
 * 交班: a cashier opens a shift with a float, rings up a cash sale, closes the shift with the
 * cash counted, and the report on screen, on paper and stored on the server agree with the
 * server's sales ledger. A network receipt printer (raw TCP) stands behind the device host.
 */
const env = useAppEnv();

let settingsDir = '';
let host: DeviceHostProcess | null = null;
let printer: Awaited<ReturnType<typeof startTcpPrinter>> | null = null;

test.beforeAll(async () => {
  printer = await startTcpPrinter();
  settingsDir = await mkdtemp(join(tmpdir(), 'tillpoint-e2e-shift-'));
  host = await startDeviceHostProcess(settingsDir);
});

test.afterAll(async () => {
  await host?.stop();
  await printer?.close();
  if (settingsDir) await rm(settingsDir, { recursive: true, force: true });
});

async function addTcpPrinter(page: Page, port: number): Promise<void> {
  await page.keyboard.press('F4');
  await expect(page.getByTestId('devices-screen')).toHaveAttribute('data-host', 'ready');
  await page.locator('input[name="kind"][value="tcp_printer"]').check();
  await page.getByTestId('field-name').fill('前台打印机');
  await page.getByTestId('field-host').fill('127.0.0.1');
  await page.getByTestId('field-port').fill(String(port));
  await page.getByTestId('save-device').click();
  const row = page.getByTestId('device-row').filter({ hasText: '前台打印机' });
  await expect(row).toHaveAttribute('data-state', 'online');
}

const yuanText = (fen: number): string => (fen / 100).toFixed(2);

test('a shift opened with a float and closed with the counted cash reports the server ledger’s totals, on screen and on paper', async ({
  page,
}) => {
  const e = env();
  if (!host || !printer) throw new Error('set-up incomplete');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 0, `?deviceHost=${encodeURIComponent(host.url)}`);
  await addTcpPrinter(page, printer.port);

  // 开班 with ¥500 in the drawer, keyboard only.
  await page.keyboard.press('F5');
  const screen = page.getByTestId('shift-screen');
  await expect(screen).toBeVisible();
  await expect(page.getByTestId('shift-open-amount')).toBeFocused();
  await screenshot(page, 'shift-open-zh');
  await page.getByTestId('shift-open-amount').fill('500');
  await page.getByTestId('shift-open-amount').press('Enter');
  const live = page.getByTestId('shift-report');
  await expect(live).toHaveAttribute('data-state', 'open');
  const shiftId = (await live.getAttribute('data-shift-id')) ?? '';
  expect(shiftId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('shift-expected')).toHaveAttribute('data-amount', '50000');

  // A cash sale: one product, paid with a ¥100 note.
  const product = e.demo.products[0];
  if (!product) throw new Error('demo data lacks products');
  await page.keyboard.press('F1');
  await wedgeScan(page, product.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.getByTestId('pay').click();
  await page.getByTestId('cash-input').fill('100');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await page.keyboard.press('F3');
  await expect(page.getByTestId('sale-row').first()).toHaveAttribute('data-server-state', 'paid');

  // The open shift's figures so far, from the server.
  await page.keyboard.press('F5');
  await expect(page.getByTestId('shift-sales-count')).toHaveText('1');
  const dueFen = product.priceFen;
  const expectedFen = 50_000 + dueFen;
  await expect(page.getByTestId('shift-expected')).toHaveAttribute(
    'data-amount',
    String(expectedFen),
  );
  await screenshot(page, 'shift-live-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('shift-close')).toContainText('Close the shift');
  await screenshot(page, 'shift-live-en');
  await page.getByTestId('language').click();
  await page.getByTestId('shift-close-amount').focus();

  // 交班: the drawer holds ¥1 less than it should.
  const countedFen = expectedFen - 100;
  await expect(page.getByTestId('shift-close-amount')).toBeFocused();
  await page.getByTestId('shift-close-amount').fill(yuanText(countedFen));
  await page.getByTestId('shift-close-amount').press('Enter');
  const report = page.getByTestId('shift-report');
  await expect(report).toHaveAttribute('data-state', 'closed');
  await expect(report).toHaveAttribute('data-shift-id', shiftId);
  await expect(page.getByTestId('shift-difference')).toHaveAttribute('data-amount', '-100');
  await screenshot(page, 'shift-report-zh');

  // What the screen shows is the server's stored report, and that is its sales ledger.
  const stored = shiftOnServer(e.dataDir, shiftId);
  const figures = stored.report?.figures;
  if (!figures) throw new Error(`the server stored no report for shift ${shiftId}`);
  expect(stored.report?.state).toBe('closed');
  expect(stored.countedFen).toBe(countedFen);
  expect(stored.ledger).toEqual({
    sales: 1,
    dueFen,
    cashFen: dueFen,
    changeFen: 10_000 - dueFen,
  });
  expect(figures.sales).toMatchObject({
    count: stored.ledger.sales,
    amountFen: stored.ledger.dueFen,
  });
  const cash = figures.tenders.find((t) => t.kind === 'cash');
  if (!cash) throw new Error('the report lists no cash tender');
  expect(cash).toEqual({ kind: 'cash', count: 1, amountFen: stored.ledger.cashFen });
  expect(figures.cash).toEqual({
    floatFen: 50_000,
    tenderedFen: 10_000,
    changeFen: stored.ledger.changeFen,
    refundsFen: 0,
    expectedFen,
    countedFen,
    differenceFen: -100,
  });
  await expect(page.getByTestId('shift-sales-count')).toHaveText(String(figures.sales.count));
  await expect(page.getByTestId('shift-sales-amount')).toHaveText(
    formatFen(figures.sales.amountFen),
  );
  await expect(page.getByTestId('shift-tender-cash').locator('dd')).toHaveText(
    formatFen(cash.amountFen),
  );
  await expect(page.getByTestId('shift-expected')).toHaveText(formatFen(expectedFen as Fen));
  await expect(page.getByTestId('shift-counted')).toHaveText(formatFen(countedFen as Fen));
  await expect(page.getByTestId('shift-difference')).toHaveText('−¥1.00');

  // Printed on the receipt printer with the same totals.
  const before = printer.sim.printed().length;
  const panel = page.getByTestId('receipt-panel');
  await expect(panel.getByTestId('receipt-preview')).toContainText('交班报表');
  await panel.getByTestId('print-receipt').click();
  await expect(panel.getByTestId('print-result')).toHaveAttribute('data-outcome', 'printed');
  const lines = printedLines(tokenize(printer.sim.printed().subarray(before)));
  const paper = lines.join('\n');
  expect(paper).toContain('交班报表');
  expect(paper).toContain(shiftId.slice(0, 8));
  const amountOnPaper = (label: string) =>
    lines
      .find((l) => l.trimStart().startsWith(label))
      ?.trim()
      .split(/\s+/)
      .pop();
  expect(amountOnPaper('销售额')).toBe(formatFen(figures.sales.amountFen, { symbol: '￥' }));
  expect(amountOnPaper('应有现金')).toBe(formatFen(expectedFen as Fen, { symbol: '￥' }));
  expect(amountOnPaper('实点现金')).toBe(formatFen(countedFen as Fen, { symbol: '￥' }));
  expect(amountOnPaper('差额')).toBe('-￥1.00');

  // The whole strip of paper, on a screen tall enough to hold it.
  await page.setViewportSize({ width: 1366, height: 1600 });
  await panel.getByTestId('receipt-preview').screenshot({
    path: join(import.meta.dirname, '..', '..', 'test-results', 'screens', 'shift-receipt-zh.png'),
  });

  await page.setViewportSize({ width: 1366, height: 768 });

  await page.getByTestId('language').click();
  await expect(page.getByTestId('shift-screen')).toContainText('Shift report');
  await screenshot(page, 'shift-report-en');
  // The next shift opens from here; the English open form.
  await expect(page.getByTestId('shift-open')).toContainText('Next shift');
});

test('the shift survives a reload, and a close sent while the server is down is sent again with the same count', async ({
  page,
}) => {
  const e = env();
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 1);
  await page.keyboard.press('F5');
  await page.getByTestId('shift-open-amount').fill('200.50');
  await page.getByTestId('shift-open-amount').press('Enter');
  const report = page.getByTestId('shift-report');
  await expect(report).toHaveAttribute('data-state', 'open');
  const shiftId = (await report.getAttribute('data-shift-id')) ?? '';
  await expect(page.getByTestId('shift-expected')).toHaveAttribute('data-amount', '20050');

  await page.reload();
  await expect(page.getByTestId('status-bar')).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('shift-report')).toHaveAttribute('data-shift-id', shiftId);
  await expect(page.getByTestId('shift-report')).toHaveAttribute('data-state', 'open');

  await e.server.stop();
  await page.getByTestId('shift-close-amount').fill('200');
  await page.getByTestId('shift-close-amount').press('Enter');
  const problem = page.getByTestId('shift-problem');
  await expect(problem).toBeVisible();
  await expect(page.getByTestId('shift-close-submit')).toBeDisabled();
  await screenshot(page, 'shift-close-offline-zh');
  expect(shiftOnServer(e.dataDir, shiftId).report).toBeNull();

  await e.restart();
  await problem.getByRole('button').click();
  await expect(page.getByTestId('shift-report')).toHaveAttribute('data-state', 'closed');
  await expect(page.getByTestId('shift-difference')).toHaveAttribute('data-amount', '-50');
  const stored = shiftOnServer(e.dataDir, shiftId);
  expect(stored.countedFen).toBe(20_000);
  expect(stored.report?.figures.cash).toMatchObject({ expectedFen: 20_050, differenceFen: -50 });
});
