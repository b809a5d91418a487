import { readFile } from 'node:fs/promises';
import { expect, screenshot, signInConsole, test, useAppEnv, type AppEnv } from './fixtures';

/**
 * The manager console in Chromium against a real sync server (SQLite), served by that server at
 * /manager/ from the Vite build.
 */
const env = useAppEnv();

test.use({ viewport: { width: 1366, height: 768 } });

const signIn = signInConsole;

test('a chain manager creates a 满100减20 batch for one region with the preview refusing a ¥90 cart', async ({
  page,
}) => {
  const e = env();
  await page.goto(`${e.server.url}/manager/`);
  await screenshot(page, 'console-login-zh');
  await signIn(page, e, 0);
  // The console opens on its dashboard; the batches are one link away.
  await page.getByRole('link', { name: '券批次', exact: true }).click();
  await expect(page.locator('tr[data-batch]').first()).toBeVisible();
  await screenshot(page, 'console-batches-zh');

  await page.getByRole('link', { name: '新建券批次' }).click();
  await page.locator('input[name="id"]').fill('east-100-20');
  await page.locator('input[name="name"]').fill('华东满100减20');
  await page.getByRole('radio', { name: '指定门店或区域' }).click();
  await page.locator('.region').filter({ hasText: '华东区' }).getByRole('checkbox').first().check();
  await expect(page.getByTestId('reach')).toHaveText('覆盖 2 / 4 家门店');
  await page.locator('input[name="validFrom"]').fill('2030-01-01');
  await page.locator('input[name="validUntil"]').fill('2030-12-31');
  // The default window is Monday to Friday, 10:00–22:00; 2030-01-07 is a Monday.
  await page.getByRole('button', { name: '添加时段' }).click();
  await page.getByLabel('时间').fill('2030-01-07T12:00');

  // The default sample cart is one ¥90 line: below the threshold, refused with the reason.
  const verdict = page.getByTestId('preview-verdict');
  await expect(verdict).toContainText('不可用：满¥100.00可用');
  await expect(verdict).toContainText('还差¥10.00');
  await page.getByLabel('单价（元） 1').fill('120.00');
  await expect(verdict).toContainText('可用：优惠 ¥20.00');
  // A store outside the region is refused with the store reason.
  await page.getByLabel('门店', { exact: true }).selectOption({ label: '广州天河店' });
  await expect(verdict).toContainText('不可用：该券不能在本店（广州天河店）使用，仅限：华东区');
  await page.getByLabel('门店', { exact: true }).selectOption({ label: '杭州西湖店' });
  // Sunday is outside the window.
  await page.getByLabel('时间').fill('2030-01-06T12:00');
  await expect(verdict).toContainText('不可用：该券仅限 周一至周五');
  await page.getByLabel('时间').fill('2030-01-07T12:00');
  await expect(page.getByTestId('stacks-with')).toBeVisible();
  await screenshot(page, 'console-editor-zh');

  // A wrong field says what is wrong beside it, and nothing is saved.
  await page.locator('input[name="name"]').fill('');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('.field.invalid').filter({ hasText: '名称' })).toContainText('请填写');
  await page.locator('input[name="name"]').fill('华东满100减20');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveURL(/\/manager\/batches\/east-100-20$/);
  await expect(page.locator('h1')).toContainText('v1');

  // 1,000 signed codes, downloaded as CSV.
  await page.locator('input[name="codeCount"]').fill('1000');
  await page.getByRole('button', { name: '发放', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载 CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('code,batch_id,serial');
  expect(lines).toHaveLength(1_001);
  expect(lines[1]).toContain(',east-100-20,1');

  await page.getByRole('link', { name: '券批次' }).first().click();
  await page.getByRole('searchbox').fill('east-100');
  await page.getByRole('searchbox').press('Enter');
  await expect(page).toHaveURL(/q=east-100/);
  await expect(page.locator('tr[data-batch]')).toHaveCount(1);
  await expect(page.locator('tr[data-batch="east-100-20"]')).toContainText('华东区');
  await expect(page.locator('tr[data-batch="east-100-20"]')).toContainText('0 / 1000');

  await page.getByRole('link', { name: '门店与区域' }).click();
  await expect(page.locator('[data-store="sz-001"]')).toBeVisible();
  await screenshot(page, 'console-stores-zh');
  await page.getByRole('link', { name: '冲突处理' }).click();
  await expect(page.getByText('没有待处理的冲突。')).toBeVisible();
  await screenshot(page, 'console-conflicts-zh');
  await page.getByRole('link', { name: '审计日志' }).click();
  await page.getByRole('button', { name: '校验哈希链' }).click();
  await expect(page.getByTestId('verdict')).toContainText('哈希链完整');
  await screenshot(page, 'console-audit-zh');

  // The same screens in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await screenshot(page, 'console-audit-en');
  await page.getByRole('link', { name: 'Conflicts' }).click();
  await screenshot(page, 'console-conflicts-en');
  await page.getByRole('link', { name: 'Stores & regions' }).click();
  await expect(page.locator('[data-store="sz-001"]')).toBeVisible();
  await screenshot(page, 'console-stores-en');
  await page.getByRole('link', { name: 'Vouchers' }).click();
  await expect(page.locator('tr[data-batch]').first()).toBeVisible();
  await screenshot(page, 'console-batches-en');
  await page.locator('tr[data-batch="east-100-20"]').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Time').fill('2030-01-07T12:00');
  await expect(page.getByTestId('preview-verdict')).toContainText('Refused: Needs ¥100.00');
  await screenshot(page, 'console-editor-en');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('input[name="username"]')).toBeVisible();
  await screenshot(page, 'console-login-en');
  await page.getByRole('button', { name: '中文' }).click();
});

test('two managers edit one batch: the second save is refused with who changed it and when', async ({
  browser,
}) => {
  const e = env();
  const first = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const second = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const batch = e.demo.batches.find((b) => b.kind === 'cash');
  if (!batch) throw new Error('the demo has no cash batch');
  for (const p of [first, second]) {
    await signIn(p, e, 0);
    await p.goto(`${e.server.url}/manager/batches/${batch.id}`);
    await expect(p.locator('input[name="name"]')).toHaveValue(batch.name);
  }
  await first.locator('input[name="name"]').fill(`${batch.name} A`);
  await first.getByRole('button', { name: '保存' }).click();
  await expect(first.getByRole('alert')).toContainText('已保存（版本 2）');

  await second.locator('input[name="name"]').fill(`${batch.name} B`);
  await second.getByRole('button', { name: '保存' }).click();
  const refusal = second.getByRole('alert');
  await expect(refusal).toContainText('此券批次已被 admin 于');
  await expect(refusal).toContainText('现为版本 2');
  await screenshot(second, 'console-version-conflict-zh');
  await second.getByRole('button', { name: '重新加载' }).click();
  await expect(second.locator('input[name="name"]')).toHaveValue(`${batch.name} A`);
  await first.close();
  await second.close();
});

test('a store manager sees only their store and cannot change batches', async ({ page }) => {
  const e = env();
  await signIn(page, e, 1);
  // The console opens on its dashboard; the batches are one link away.
  await page.getByRole('link', { name: '券批次', exact: true }).click();
  await expect(page.locator('tr[data-batch]').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '新建券批次' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '暂停' })).toHaveCount(0);
  const shown = await page
    .locator('tr[data-batch]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-batch')));
  // demo-general is for the south region only; the store manager's store is in the east.
  expect(shown).toContain('demo-cash');
  expect(shown).not.toContain('demo-general');
  await screenshot(page, 'console-store-manager-zh');
  await page.getByRole('link', { name: '门店与区域' }).click();
  await expect(page.locator('[data-store]')).toHaveCount(1);
  await expect(page.locator('[data-store="sh-001"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: '新建门店' })).toHaveCount(0);
});

/** Pairs a till at `storeId` over the API with a demo pairing code still unused, and redeems `code`. */
async function redeemThroughApi(e: AppEnv, storeId: string, code: string): Promise<void> {
  for (const p of e.demo.pairingCodes.filter((c) => c.storeId === storeId)) {
    const paired = await fetch(`${e.server.url}/v1/terminals/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: p.code, name: `API till ${storeId}` }),
    });
    if (paired.status !== 200) continue;
    const till = (await paired.json()) as { token: string; terminalId: string };
    const r = await fetch(`${e.server.url}/v1/redemptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${till.token}` },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        code,
        storeId,
        terminalId: till.terminalId,
        at: new Date().toISOString(),
        cart: null,
        offline: null,
      }),
    });
    expect(((await r.json()) as { outcome: { status: string } }).outcome.status).toBe('accepted');
    return;
  }
  throw new Error(`no unused pairing code for ${storeId}`);
}

test('a CSV with a bad row imports nothing and names the row; fixed, it imports; a redeemed code is looked up', async ({
  page,
}) => {
  const e = env();
  await signIn(page, e, 0);
  await page.getByRole('link', { name: '券码' }).click();
  await page.locator('select[name="importBatch"]').selectOption('demo-cash');
  const bad = 'code,claimed_at\nGB-E2E-0001,2026-11-30T09:00:00+08:00\ngb e2e 0002\nGB-E2E-0003\n';
  await page.locator('input[name="importFile"]').setInputFiles({
    name: 'platform.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad),
  });
  await page.getByRole('button', { name: '检查并导入' }).click();
  const report = page.locator('.import-report');
  await expect(report).toContainText('有 1 行有问题，未导入任何券码');
  await expect(report.locator('tbody tr')).toHaveCount(1);
  await expect(report.locator('tbody tr td').first()).toHaveText('3');
  await expect(report.locator('tbody tr').first()).toContainText('券码格式不对');
  await screenshot(page, 'console-codes-import-zh');
  // Nothing went in: the good first row is unknown.
  await page.getByRole('searchbox').fill('GB-E2E-0001');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('没有找到券码 GB-E2E-0001。')).toBeVisible();
  await expect(page.locator('.code-detail')).toHaveCount(0);

  await page.locator('input[name="importFile"]').setInputFiles({
    name: 'platform-fixed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad.replace('gb e2e 0002', 'GB-E2E-0002')),
  });
  await page.getByRole('button', { name: '检查并导入' }).click();
  await expect(page.getByText('已导入 3 个券码。')).toBeVisible();

  await redeemThroughApi(e, 'sh-001', 'GB-E2E-0001');
  await page.getByRole('searchbox').fill('gb-e2e-0001');
  await page.getByRole('button', { name: '查询' }).click();
  const detail = page.locator('.code-detail');
  await expect(detail).toContainText('已核销');
  await expect(detail).toContainText('demo-cash');
  await expect(detail).toContainText('外部导入');
  await expect(detail.locator('tbody tr')).toHaveCount(1);
  await expect(detail.locator('tbody tr').first()).toContainText('API till sh-001');
  await screenshot(page, 'console-codes-lookup-zh');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(detail).toContainText('Redeemed');
  await screenshot(page, 'console-codes-lookup-en');
  await page.locator('input[name="importFile"]').setInputFiles({
    name: 'platform.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(bad),
  });
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(report).toContainText('no code was imported');
  await screenshot(page, 'console-codes-import-en');
});

test('the audit log filters by kind, store and actor, and the filters stay in the link', async ({
  page,
}) => {
  const e = env();
  await signIn(page, e, 0);
  await page.goto(`${e.server.url}/manager/audit`);
  const rows = page.locator('table.audit tbody tr');
  await expect(rows.first()).toBeVisible();

  await page.getByLabel('类型').fill('store.created');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/action=store\.created/);
  await expect(rows).toHaveCount(4);
  await page.getByLabel('门店').selectOption({ label: '杭州西湖店' });
  await expect(page).toHaveURL(/store=hz-001/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('store:hz-001');
  await screenshot(page, 'console-audit-filtered-zh');

  // A copied link opens on the same entries; an actor is a filter one click away.
  await page.goto(page.url());
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(page).not.toHaveURL(/action=/);
  await rows.first().getByRole('button', { name: 'system:demo-seed' }).click();
  await expect(page).toHaveURL(/actor=system%3Ademo-seed/);
  await expect(page.getByLabel('操作人')).toHaveValue('system:demo-seed');

  // A day with nothing in it says so, in English too.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel('From', { exact: true }).fill('2001-01-01');
  await page.getByLabel('To', { exact: true }).fill('2001-01-02');
  await expect(page.getByText('No entries match these filters.')).toBeVisible();
  await screenshot(page, 'console-audit-filtered-en');
});
