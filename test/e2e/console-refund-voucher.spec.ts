import { expect, screenshot, signInConsole, test, useAppEnv } from './fixtures';

/** The batch setting "give the voucher back on a full refund", in the console (SQLite server). */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

test('a chain manager makes a batch give its vouchers back on a full refund, and the list says so', async ({
  page,
}) => {
  const e = env();
  await page.goto(`${e.server.url}/manager/`);
  await signInConsole(page, e, 0);
  await page.getByRole('link', { name: '券批次', exact: true }).click();
  const row = page.locator('tr[data-batch="demo-cash"]');
  await expect(row).toContainText('退款不退券');
  await row.getByRole('link').first().click();
  const box = page.getByRole('checkbox', { name: '整单退款后退回券' });
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(page.getByText('部分退款或微信退款异常时券仍算已使用')).toBeVisible();
  await box.scrollIntoViewIfNeeded();
  await screenshot(page, 'refund-voucher-editor-zh');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('h1')).toContainText('v2');
  await page.getByRole('button', { name: 'English' }).click();
  await page
    .getByRole('checkbox', { name: 'Give the voucher back on a full refund' })
    .scrollIntoViewIfNeeded();
  await expect(
    page.getByRole('checkbox', { name: 'Give the voucher back on a full refund' }),
  ).toBeChecked();
  await screenshot(page, 'refund-voucher-editor-en');
  await page.getByRole('navigation').getByRole('link', { name: 'Vouchers', exact: true }).click();
  await expect(page.locator('tr[data-batch="demo-cash"]')).toContainText(
    'Voucher back on full refund',
  );
  await expect(page.locator('tr[data-batch="demo-threshold"]')).toContainText(
    'Voucher kept on refund',
  );
  await screenshot(page, 'refund-voucher-batches-en');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('tr[data-batch="demo-cash"]')).toContainText('整单退款退回券');
  await screenshot(page, 'refund-voucher-batches-zh');
});
