import type { Page } from '@playwright/test';
import { saleMemberOnServer } from '../helpers/app-server-api';
import {
  expect,
  pairAndLogin,
  screenshot,
  test,
  useAppEnv,
  wedgeScan,
  type AppEnv,
} from './fixtures';

const env = useAppEnv();

function goldMember(e: AppEnv) {
  const member = e.demo.members.find((m) => m.tier === 'gold');
  if (!member) throw new Error('demo.json has no gold member');
  return member;
}

/** How many members this till holds in its IndexedDB cache (pulled from the change feed). */
async function cachedMembers(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('tillpoint');
        open.onerror = () => reject(new Error('cannot open the till database'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('members')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('members').objectStore('members').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
  );
}

test('a gold-only voucher is refused without a member and accepted once the member card is scanned; the sale names the member', async ({
  page,
}) => {
  const e = env();
  const member = goldMember(e);
  const [latte] = e.demo.products;
  const code = e.demo.codes['demo-member-gold']?.[0];
  if (!latte || !code) throw new Error('demo data lacks a product or a gold-only voucher');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 0);

  await wedgeScan(page, latte.barcode);
  await wedgeScan(page, latte.barcode);
  await wedgeScan(page, code);
  const voucher = page.locator(`[data-testid="voucher"][data-code="${code}"]`);
  await expect(voucher).toHaveAttribute('data-state', 'refused');
  await expect(voucher).toHaveAttribute('data-reason', 'TIER_REQUIRED');
  await expect(page.getByTestId('discount')).toHaveText('−¥0.00');

  await wedgeScan(page, member.card);
  const shown = page.getByTestId('cart-member');
  await expect(shown).toHaveAttribute('data-member', member.id);
  await expect(page.getByTestId('member-name')).toHaveText(member.name);
  await expect(page.getByTestId('member-phone')).toHaveText(
    `${member.phone.slice(0, 3)}****${member.phone.slice(7)}`,
  );
  await expect(page.getByTestId('member-tier')).toHaveText('金卡会员');
  await expect(shown).not.toContainText(member.phone);
  await expect(voucher).toHaveAttribute('data-state', 'applied');
  await expect(page.getByTestId('discount')).toHaveText('−¥8.00');
  await screenshot(page, 'checkout-member-zh');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('member-tier')).toHaveText('Gold member');
  await screenshot(page, 'checkout-member-en');
  await page.getByTestId('language').click();

  await page.getByTestId('pay').click();
  await expect(voucher).toHaveAttribute('data-state', 'accepted');
  await page.getByTestId('cash-input').fill('100');
  await page.getByTestId('cash-input').press('Enter');
  await expect(page.getByTestId('sale-done')).toBeVisible();
  // The receipt names the member by the masked phone and the tier, never the full number.
  const receipt = page.getByTestId('receipt-preview');
  await expect(receipt).toContainText(`${member.phone.slice(0, 3)}****${member.phone.slice(7)}`);
  await expect(receipt).toContainText('金卡会员');
  await expect(receipt).not.toContainText(member.phone);
  await screenshot(page, 'checkout-member-receipt-zh');

  await page.keyboard.press('F3');
  const row = page.getByTestId('sale-row').first();
  await expect(row).toHaveAttribute('data-state', 'recorded');
  const id = await row.getAttribute('data-sale-id');
  const recorded = saleMemberOnServer(e.dataDir, id ?? '');
  expect(recorded.member).toMatchObject({ customerId: member.id, tier: 'gold' });
  expect(recorded.flags).toEqual([]);
});

test('a phone typed after F10 finds the member, from the till’s cache while the server is down', async ({
  page,
}) => {
  const e = env();
  const silver = e.demo.members.find((m) => m.tier === 'silver');
  const [, americano] = e.demo.products;
  if (!silver || !americano) throw new Error('demo data lacks a silver member or a product');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 1);
  await expect.poll(() => cachedMembers(page)).toBe(e.demo.members.length);

  await wedgeScan(page, americano.barcode);
  await screenshot(page, 'checkout-member-entry-zh');
  await page.keyboard.press('F10');
  const field = page.getByTestId('member-phone-input');
  await expect(field).toBeFocused();
  await field.fill('12345678901');
  await field.press('Enter');
  await expect(page.getByTestId('recent-result').first()).toContainText(/11 位大陆手机号/);

  await e.server.stop();
  await field.fill(silver.phone);
  await field.press('Enter');
  await expect(page.getByTestId('cart-member')).toHaveAttribute('data-member', silver.id);
  await expect(page.getByTestId('member-tier')).toHaveText('银卡会员');
  await expect(page.getByTestId('recent-result').first()).toContainText('本机会员缓存');
  await screenshot(page, 'checkout-member-offline-zh');
  await e.restart();
});

test('the customer display names the member by tier and masked phone and shows what the member-only voucher saves', async ({
  page,
  context,
}) => {
  const e = env();
  const member = goldMember(e);
  const [latte] = e.demo.products;
  const code = e.demo.codes['demo-member-gold']?.[1];
  if (!latte || !code) throw new Error('demo data lacks a product or a gold-only voucher');
  await page.setViewportSize({ width: 1366, height: 768 });
  await pairAndLogin(page, e, 2);
  const customer = await context.newPage();
  await customer.setViewportSize({ width: 1366, height: 768 });
  await customer.goto(`${e.app.url}?role=customer`);

  await wedgeScan(page, latte.barcode);
  await wedgeScan(page, latte.barcode);
  await wedgeScan(page, member.card);
  await wedgeScan(page, code);
  await expect(page.locator(`[data-testid="voucher"][data-code="${code}"]`)).toHaveAttribute(
    'data-state',
    'applied',
  );
  const shown = customer.getByTestId('customer-member');
  await expect(shown).toHaveAttribute('data-tier', 'gold');
  await expect(customer.getByTestId('customer-member-tier')).toHaveText('金卡会员');
  await expect(customer.getByTestId('customer-member-phone')).toHaveText(
    `${member.phone.slice(0, 3)}****${member.phone.slice(7)}`,
  );
  await expect(customer.getByTestId('customer-member-savings')).toContainText('¥8.00');
  await expect(customer.getByTestId('customer-display')).not.toContainText(member.phone);
  await expect(customer.getByTestId('customer-display')).not.toContainText(member.name);
  await screenshot(customer, 'customer-member-zh');

  await page.getByTestId('language').click();
  await expect(customer.getByTestId('customer-member-tier')).toHaveText('Gold member');
  await expect(customer.getByTestId('customer-member-savings')).toContainText('¥8.00');
  await screenshot(customer, 'customer-member-en');

  // The member taken off the order: gone from the customer's screen, and so is the member offer.
  await page.getByTestId('member-remove').click();
  await expect(customer.getByTestId('customer-member')).toHaveCount(0);
  await expect(customer.getByTestId('customer-member-savings')).toHaveCount(0);
});
