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

test('two stores redeem the same code offline: one is accepted, the other shows a conflict naming the winner', async ({
  browser,
}) => {
  const e = env();
  const code = e.demo.codes['demo-cash']?.[5];
  if (!code) throw new Error('no demo cash code');
  const tills = [];
  for (const storeIndex of [0, 3]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { storeId } = await pairAndLogin(page, e, storeIndex);
    await page.getByTestId('tab-quick').click();
    await expect(page.getByTestId('status-allowance')).toContainText(/\d+ (笔|left)/);
    tills.push({ context, page, storeId });
  }
  for (const till of tills) {
    await till.context.setOffline(true);
    await wedgeScan(till.page, code);
    await expect(await resultFor(till.page, code)).toHaveAttribute('data-pending', 'true');
  }
  for (const till of tills) await till.context.setOffline(false);

  const states = [];
  for (const till of tills) {
    await expect(till.page.getByTestId('status-queued')).toHaveText('0', { timeout: 60_000 });
    await till.page.getByTestId('tab-queue').click();
    const row = till.page.locator(`[data-testid="queue-row"][data-code="${code}"]`);
    await expect(row).toHaveAttribute('data-state', /synced|conflict/);
    states.push(await row.getAttribute('data-state'));
  }
  expect([...states].sort()).toEqual(['conflict', 'synced']);
  const losing = tills[states.indexOf('conflict')];
  const winning = tills[states.indexOf('synced')];
  if (!losing || !winning) throw new Error('expected one winner and one loser');
  await expect(losing.page.getByTestId('status-conflicts')).toHaveText('1');
  const winnerText = losing.page.getByTestId('conflict-winner');
  await expect(winnerText).toBeVisible();
  const winnerStoreName = await winning.page.evaluate(async (storeId) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open('tillpoint');
      r.onsuccess = () => resolve(r.result);
    });
    return new Promise<string>((resolve) => {
      const r = db.transaction('stores').objectStore('stores').get(storeId);
      r.onsuccess = () => resolve((r.result as { name: string }).name);
    });
  }, winning.storeId);
  await expect(winnerText).toContainText(winnerStoreName);
  // The winning till is named as its store calls it, not by its id.
  const winnerTill = await winning.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open('tillpoint');
      r.onsuccess = () => resolve(r.result);
    });
    return new Promise<{ name: string; terminalId: string }>((resolve) => {
      const r = db.transaction('meta').objectStore('meta').get('terminal');
      r.onsuccess = () => resolve(r.result as { name: string; terminalId: string });
    });
  });
  await expect(winnerText).toContainText(winnerTill.name);
  await expect(winnerText).not.toContainText(winnerTill.terminalId);
  await screenshot(losing.page, 'conflict');
  // The losing till's quick-redeem result was green (accepted offline); it now says conflict.
  await losing.page.getByTestId('tab-quick').click();
  await expect(losing.page.locator(`[data-testid="result"][data-code="${code}"]`)).toHaveAttribute(
    'data-result',
    'conflict',
  );
  await screenshot(losing.page, 'quick-conflict-zh');
  await losing.page.getByTestId('language').click();
  await screenshot(losing.page, 'quick-conflict-en');
  await losing.page.getByTestId('language').click();
  for (const till of tills) await till.context.close();
});
