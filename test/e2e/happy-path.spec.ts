import {
  expect,
  pairAndLogin,
  resultFor,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
} from './fixtures';

const env = useAppEnv();

test('a cashier pairs, logs in, rings up products with two vouchers (one refused) and finishes the sale', async ({
  page,
}) => {
  const e = env();
  await pairAndLogin(page, e);
  const [first, second] = e.demo.products;
  const cashBatch = e.demo.batches.find((b) => b.kind === 'cash');
  if (!first || !second || !cashBatch) throw new Error('demo data lacks products or a cash batch');
  const [usedCode, goodCode] = e.demo.codes[cashBatch.id] ?? [];
  if (!usedCode || !goodCode) throw new Error('demo data lacks cash codes');

  // A voucher used earlier (quick redeem at the desk) must be refused at checkout, with its reason.
  await page.getByTestId('tab-quick').click();
  await wedgeScan(page, usedCode);
  await expect(await resultFor(page, usedCode)).toHaveAttribute('data-result', 'accepted');

  await page.getByTestId('tab-checkout').click();
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, first.barcode);
  await wedgeScan(page, second.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await expect(page.getByTestId('cart-line').first().getByTestId('line-qty')).toHaveText('2');

  await wedgeScan(page, goodCode);
  await page.getByTestId('scan-input').fill(usedCode);
  await page.getByTestId('scan-input').press('Enter');
  const applied = page.locator(`[data-testid="voucher"][data-code="${goodCode}"]`);
  const refused = page.locator(`[data-testid="voucher"][data-code="${usedCode}"]`);
  await expect(applied).toHaveAttribute('data-state', 'applied');
  await expect(refused).toHaveAttribute('data-state', 'refused');
  await expect(refused).toHaveAttribute('data-reason', 'ALREADY_REDEEMED');
  await expect(refused).toContainText(/\S/);
  await expect(page.getByTestId('discount')).not.toHaveText('−¥0.00');
  await screenshot(page, 'checkout');

  await page.getByTestId('pay').click();
  await expect(applied).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').fill('1000');
  await page.getByTestId('complete-sale').click();
  await expect(page.getByTestId('sale-done')).toBeVisible();

  await page.getByTestId('tab-queue').click();
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(2);
  await expect(page.getByTestId('status-queued')).toHaveText('0');
});

test('the language switches between Chinese and English', async ({ page }) => {
  await pairAndLogin(page, env(), 1);
  await expect(page.getByTestId('tab-quick')).toContainText('快速核销');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('tab-quick')).toContainText('Quick redeem');
});
