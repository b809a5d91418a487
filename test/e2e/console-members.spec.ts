import type { Page } from '@playwright/test';
import { expect, screenshot, signInConsole, test, useAppEnv } from './fixtures';

/** The console's Members screen in Chromium against a real sync server (SQLite). */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

async function importFile(page: Page, text: string): Promise<void> {
  await page.locator('input[name="memberFile"]').setInputFiles({
    name: 'members.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
  await page.getByTestId('member-import').locator('button.primary').click();
}

test('a chain manager imports members (a bad row imports nothing), searches by phone and changes a tier', async ({
  page,
}) => {
  const e = env();
  await signInConsole(page, e, 0);
  await page.getByRole('link', { name: '会员', exact: true }).click();
  await expect(page.locator('tr[data-member]')).toHaveCount(3);
  await expect(page.locator('tr[data-member="m-0001"]')).toContainText('138****8000');
  await expect(page.getByTestId('members')).not.toContainText('13800138000');

  // A CSV with one bad row: nothing imported, the row named.
  const bad = 'phone,name,tier\n13600000001,钱多多,gold\n1360000002,孙悟空,silver\n';
  await importFile(page, bad);
  const report = page.locator('.import-report');
  await expect(report).toContainText('有 1 行有问题，未导入任何会员');
  await expect(report.locator('tbody tr')).toHaveCount(1);
  await expect(report.locator('tbody tr td').first()).toHaveText('3');
  await expect(report.locator('tbody tr').first()).toContainText('手机号不对');
  await screenshot(page, 'console-members-import-zh');
  await page.reload();
  await expect(page.locator('tr[data-member]')).toHaveCount(3);

  // Fixed, the file imports in full.
  await importFile(page, bad.replace('1360000002,', '13600000002,'));
  await expect(page.getByText('已导入 2 位会员（新增 2 位）')).toBeVisible();
  await expect(page.locator('tr[data-member]')).toHaveCount(5);

  // Search by the first digits of a phone; the search stays in the URL.
  const search = page.locator('input[name="member-phone-search"]');
  await search.fill('136');
  await search.press('Enter');
  await expect(page.locator('tr[data-member]')).toHaveCount(2);
  await expect(page).toHaveURL(/phone=136/);
  await search.fill('13600000002');
  await search.press('Enter');
  await expect(page.locator('tr[data-member]')).toHaveCount(1);
  const row = page.locator('tr[data-member]').first();
  await expect(row).toContainText('孙悟空');
  await expect(row).toContainText('136****0002');

  // Open them: the full phone in the detail; change the tier.
  await row.getByRole('button', { name: '查看' }).click();
  const panel = page.getByTestId('member-panel');
  await expect(panel.getByTestId('member-phone')).toHaveText('13600000002');
  await panel.locator('select[name="member-new-tier"]').selectOption('platinum');
  await panel.getByRole('button', { name: '修改等级' }).click();
  await expect(panel.getByRole('status')).toContainText('等级改为 白金卡（版本 2）');
  await expect(row).toContainText('白金卡');
  await screenshot(page, 'console-members-zh');

  // The tier filter lives in the URL too: a reload keeps it.
  await search.fill('');
  await search.press('Enter');
  await page.locator('select[name="member-tier-filter"]').selectOption('platinum');
  await expect(page.locator('tr[data-member]')).toHaveCount(2);
  await page.reload();
  await expect(page).toHaveURL(/tier=platinum/);
  await expect(page.locator('tr[data-member]')).toHaveCount(2);

  // The same screen in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('member-panel')).toContainText('Member 孙悟空');
  await screenshot(page, 'console-members-en');
  await importFile(page, bad);
  await expect(report).toContainText('no member was imported');
  await screenshot(page, 'console-members-import-en');
});

test('a store manager reads members with phones masked and cannot change them', async ({
  page,
}) => {
  const e = env();
  await signInConsole(page, e, 1);
  await page.getByRole('link', { name: '会员', exact: true }).click();
  await page.locator('tr[data-member="m-0001"]').getByRole('button', { name: '查看' }).click();
  const panel = page.getByTestId('member-panel');
  await expect(panel.getByTestId('member-phone')).toContainText('138****8000');
  await expect(panel).not.toContainText('13800138000');
  await expect(panel.locator('select[name="member-new-tier"]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '添加会员' })).toHaveCount(0);
  await expect(page.getByTestId('member-import')).toHaveCount(0);
  await screenshot(page, 'console-members-store-manager-zh');
});
