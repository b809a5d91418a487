import type { Page } from '@playwright/test';
import { expect, pairAndLogin, resultFor, test, useAppEnv, wedgeScan } from './fixtures';

const env = useAppEnv();

const DAY = 86_400_000;

/** How many sales and redemptions the till's IndexedDB holds. */
async function counts(page: Page): Promise<{ sales: number; redemptions: number }> {
  return page.evaluate(
    () =>
      new Promise<{ sales: number; redemptions: number }>((resolve, reject) => {
        const open = indexedDB.open('tillpoint');
        open.onerror = () => reject(new Error('cannot open the till database'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['sales', 'redemptions']);
          const sales = tx.objectStore('sales').count();
          const redemptions = tx.objectStore('redemptions').count();
          tx.oncomplete = () => {
            db.close();
            resolve({ sales: sales.result, redemptions: redemptions.result });
          };
        };
      }),
  );
}

/**
 * Copies of the till's own sale and redemption records, written straight into its IndexedDB
 * with other ids, ages and sync states: `age` in days, `queued`, and for redemptions `conflict`
 * (an unseen conflict).
 */
async function seedCopies(
  page: Page,
  copies: {
    sales: readonly { age: number; queued: 0 | 1; n: number }[];
    redemptions: readonly { age: number; queued: 0 | 1; conflict: 0 | 1 }[];
  },
): Promise<void> {
  await page.evaluate(
    ({ copies, day }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('tillpoint');
        open.onerror = () => reject(new Error('cannot open the till database'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['sales', 'redemptions'], 'readwrite');
          const sales = tx.objectStore('sales');
          const redemptions = tx.objectStore('redemptions');
          const now = Date.now();
          const firstSale = sales.getAll();
          const firstRedemption = redemptions.getAll();
          firstRedemption.onsuccess = () => {
            const sale = (firstSale.result as Record<string, unknown>[])[0];
            const redemption = (firstRedemption.result as Record<string, unknown>[])[0];
            if (!sale || !redemption) {
              reject(new Error('the till has no sale or redemption to copy'));
              return;
            }
            for (const c of copies.sales)
              for (let i = 0; i < c.n; i += 1)
                sales.add({
                  ...sale,
                  id: crypto.randomUUID(),
                  createdAt: now - c.age * day - i,
                  queued: c.queued,
                  state: c.queued === 1 ? 'pending' : 'recorded',
                });
            for (const c of copies.redemptions)
              redemptions.add({
                ...redemption,
                id: crypto.randomUUID(),
                createdAt: now - c.age * day,
                queued: c.queued,
                state: c.queued === 1 ? 'pending' : c.conflict === 1 ? 'conflict' : 'synced',
                unseenConflict: c.conflict,
              });
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
    { copies, day: DAY },
  );
}

test('at start-up the till prunes synced sales older than 30 days and redemptions older than 180, in batches, and keeps everything still to sync', async ({
  page,
}) => {
  const e = env();
  const [latte] = e.demo.products;
  const code = e.demo.codes['demo-cash']?.[0];
  if (!latte || !code) throw new Error('demo data lacks a product or a cash voucher');
  await pairAndLogin(page, e, 0);

  // One real sale and one real redemption, both synced, to copy.
  await wedgeScan(page, latte.barcode);
  await page.getByTestId('pay').click();
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  await page.getByTestId('tab-quick').click();
  await wedgeScan(page, code);
  await expect(await resultFor(page, code)).toHaveAttribute('data-result', 'accepted');
  await page.keyboard.press('F3');
  await expect(page.getByTestId('sale-row').first()).toHaveAttribute('data-state', 'recorded');
  await expect(page.locator('[data-testid="queue-row"][data-state="synced"]')).toHaveCount(1);

  await seedCopies(page, {
    sales: [
      // More than two batches of old synced sales: all go.
      { age: 40, queued: 0, n: 450 },
      // Inside the window: stays.
      { age: 20, queued: 0, n: 1 },
      // Old but never reached the server: stays.
      { age: 40, queued: 1, n: 1 },
    ],
    redemptions: [
      { age: 200, queued: 0, conflict: 0 },
      { age: 100, queued: 0, conflict: 0 },
      { age: 200, queued: 1, conflict: 0 },
      { age: 200, queued: 0, conflict: 1 },
    ],
  });
  expect(await counts(page)).toEqual({ sales: 453, redemptions: 5 });

  // The server is down, so the queued copies stay queued; the till starts again.
  await e.server.stop();
  await page.reload();
  await expect(page.getByTestId('status-bar')).toBeVisible();
  await expect.poll(() => counts(page), { timeout: 30_000 }).toEqual({ sales: 3, redemptions: 4 });
  await page.keyboard.press('F3');
  await expect(page.getByTestId('sale-row')).toHaveCount(3);
});
