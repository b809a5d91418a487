import type { Page } from '@playwright/test';
import { expect, screenshot, signInConsole, test, useAppEnv, type AppEnv } from './fixtures';

/**
 * The console's Products, Staff and tills and Offline allowance screens in Chromium against a
 * real sync server (SQLite), as console.spec.ts sets the world up.
 */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

/** A till of `storeId` paired over the API with an unused demo pairing code. */
async function pairThroughApi(e: AppEnv, storeId: string): Promise<{ token: string; id: string }> {
  for (const p of e.demo.pairingCodes.filter((c) => c.storeId === storeId)) {
    const paired = await fetch(`${e.server.url}/v1/terminals/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: p.code, name: `前台 ${storeId}` }),
    });
    if (paired.status !== 200) continue;
    const till = (await paired.json()) as { token: string; terminalId: string };
    return { token: till.token, id: till.terminalId };
  }
  throw new Error(`no unused pairing code for ${storeId}`);
}

async function pinLogin(e: AppEnv, token: string, pin: string): Promise<number> {
  const r = await fetch(`${e.server.url}/v1/sessions/pin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ kind: 'pin', pin }),
  });
  return r.status;
}

async function pull(e: AppEnv, token: string): Promise<number> {
  const r = await fetch(`${e.server.url}/v1/changes`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return r.status;
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.locator('input[name="productFile"]').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
}

test('a chain manager adds a product, a CSV with a bad row imports nothing, resets a PIN and revokes a till', async ({
  page,
}) => {
  const e = env();
  const till = await pairThroughApi(e, 'gz-001');
  expect(await pull(e, till.token)).toBe(200);
  await signInConsole(page, e, 0);

  // Products: add one.
  await page.getByRole('link', { name: '商品' }).click();
  await page.getByRole('button', { name: '添加商品' }).click();
  await page.locator('input[name="sku"]').fill('e2e-tea');
  await page.locator('input[name="name"]').fill('乌龙茶 500ml');
  await page.locator('input[name="category"]').fill('drinks');
  await page.locator('input[name="price"]').fill('abc');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('.product-form .field-error')).toContainText('以元为单位写售价');
  await screenshot(page, 'console-product-form-zh');
  await page.locator('input[name="price"]').fill('8.80');
  await page.locator('input[name="barcodes"]').fill('6901234567892');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存商品 e2e-tea' })).toBeVisible();
  await page.getByRole('searchbox').fill('e2e-');
  await page.getByRole('searchbox').press('Enter');
  await expect(page.locator('tr[data-sku]')).toHaveCount(1);
  await expect(page.locator('tr[data-sku="e2e-tea"]')).toContainText('¥8.80');

  // A CSV with one bad row: nothing imported, the row named.
  const bad =
    'sku,name,barcode,category,price\ne2e-a,绿茶,,drinks,3.50\ne2e-b,红茶,,drinks,三元\ne2e-c,花茶,,drinks,4\n';
  await importFile(page, 'products.csv', bad);
  await page.getByRole('button', { name: '检查并导入' }).click();
  const report = page.locator('.import-report');
  await expect(report).toContainText('有 1 行有问题，未导入任何商品');
  await expect(report.locator('tbody tr')).toHaveCount(1);
  await expect(report.locator('tbody tr td').first()).toHaveText('3');
  await expect(report.locator('tbody tr').first()).toContainText('售价无法识别');
  await page.reload();
  await expect(page.locator('tr[data-sku]')).toHaveCount(1);
  await screenshot(page, 'console-products-zh');
  await importFile(page, 'products.csv', bad);
  await page.getByRole('button', { name: '检查并导入' }).click();
  await expect(report).toBeVisible();
  await screenshot(page, 'console-products-import-zh');

  // Fixed, the file imports in full.
  await importFile(page, 'products-fixed.csv', bad.replace('三元', '3'));
  await page.getByRole('button', { name: '检查并导入' }).click();
  await expect(page.getByText('已导入 3 个商品')).toBeVisible();
  await expect(page.locator('tr[data-sku]')).toHaveCount(4);

  // Staff and tills of gz-001: reset the cashier's PIN.
  await page.getByRole('link', { name: '员工与收银台' }).click();
  await page.locator('select[name="staffStore"]').selectOption('gz-001');
  const oldPin = e.demo.cashiers.find((c) => c.storeId === 'gz-001')?.pin ?? '';
  const cashier = page.locator('tr[data-user="cashier-gz-001"]');
  await cashier.getByRole('button', { name: '重置 PIN' }).click();
  await page.locator('input[name="newPin"]').fill('86427531');
  await screenshot(page, 'console-staff-pin-zh');
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已重置', { exact: false })).toBeVisible();
  expect(await pinLogin(e, till.token, oldPin)).toBe(401);
  expect(await pinLogin(e, till.token, '86427531')).toBe(200);

  // The till is listed with its last request; revoke it: its token stops at once.
  await page.reload();
  const row = page.locator(`tr[data-terminal="${till.id}"]`);
  await expect(row).toContainText('前台 gz-001');
  await expect(row).not.toContainText('配对后未联网');
  await screenshot(page, 'console-staff-zh');
  await row.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(row).toContainText('已吊销');
  expect(await pull(e, till.token)).toBe(401);

  // Offline allowance of gz-001.
  await page.getByRole('link', { name: '离线额度' }).click();
  const store = page.locator('tr[data-store="gz-001"]');
  await store.getByLabel('张数 gz-001').fill('50');
  await store.getByRole('button', { name: '保存' }).click();
  await expect(store).toContainText('已保存（版本 2）');
  await screenshot(page, 'console-allowance-zh');

  // The same screens in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(store).toContainText('version 2');
  await screenshot(page, 'console-allowance-en');
  await page.getByRole('link', { name: 'Staff & tills' }).click();
  await expect(page.locator(`tr[data-terminal="${till.id}"]`)).toContainText('Revoked');
  await screenshot(page, 'console-staff-en');
  await page.getByRole('link', { name: 'Products' }).click();
  await expect(page.locator('tr[data-sku]').first()).toBeVisible();
  await importFile(page, 'products.csv', bad);
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(report).toContainText('no product was imported');
  await screenshot(page, 'console-products-en');
});

test("a store manager sees their own store's staff and tills only", async ({ page }) => {
  const e = env();
  await signInConsole(page, e, 1);
  await page.getByRole('link', { name: '员工与收银台' }).click();
  await expect(page.locator('tr[data-user]').first()).toBeVisible();
  await expect(page.locator('select[name="staffStore"]')).toHaveCount(0);
  const stores = await page
    .locator('[data-testid="users"] tr[data-user] td:nth-child(3)')
    .allTextContents();
  expect(new Set(stores)).toEqual(new Set(['sh-001']));
  await screenshot(page, 'console-staff-store-manager-zh');
  await page.getByRole('link', { name: '离线额度' }).click();
  await expect(page.locator('tr[data-store]')).toHaveCount(1);
  await expect(page.locator('tr[data-store="sh-001"] input')).toHaveCount(0);
  await page.getByRole('link', { name: '商品' }).click();
  await expect(page.locator('tr[data-sku]').first()).toBeVisible();
  await expect(page.getByRole('button', { name: '添加商品' })).toHaveCount(0);
  await expect(page.getByTestId('product-import')).toHaveCount(0);
});
