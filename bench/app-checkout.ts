/// <reference lib="dom" />
/**
 * Checkout figures of the app bench (issue 10), on a world of their own: a WeChat Pay simulator,
 * a sync server paying through it, the built renderer, and one browser context holding the cashier
 * window and the customer display (`?role=customer`, fed by the cashier window's BroadcastChannel).
 *
 * The cart: 10 lines (the demo's six products and four more added here), two stacking vouchers (the
 * demo's ¥10 cash voucher and its 满100减20 threshold voucher), fresh codes for every sale. The
 * vouchers are scanned while the order is rung up — here after the 9th line — as a customer hands
 * them over while the goods go through; so from the last scan on, the clock holds only the app's
 * work and the two actions the cashier must take, fired the moment the app allows them:
 *
 * - app.checkout_native.p50_ms / p95_ms: from the keydown of Enter that ends the scan of the 10th
 *   product, through Pay (both vouchers redeemed against the server), choosing WeChat Native on the
 *   tender panel (its button; F7 does the same), the sale pushed, the Native order placed by the
 *   server with the simulator, to the QR code on the customer display page drawn: its <img> holding
 *   this order's code_url, with its SVG decoded (HTMLImageElement.decode()). The two pages' times
 *   are compared on performance.timeOrigin + performance.now() (one clock, two pages). The
 *   customer then pays through the simulator (not timed) and the next sale starts.
 * - app.checkout_cash_offline.p50_ms / p95_ms: the server stopped (as the offline e2e tests do),
 *   the same cart; from the same keydown, through Pay (both vouchers redeemed offline within the
 *   lease, write-ahead in Dexie), cash tendered (the prefilled amount due, "Complete sale"), to
 *   the sale done and its receipt preview in the DOM. The app exposes no receipt event; the preview
 *   is read back from Dexie's receipts table, written in the one transaction that writes the sale,
 *   so its presence means the sale's IndexedDB transaction has committed (Chromium's default
 *   durability). Each sale is then checked in IndexedDB: pending, offline, paid in cash.
 *
 * WARMUP sales of each kind run first and are not counted. Besides the figures, the median time of
 * each step is logged to stderr (where the time goes). BENCH_CHECKOUT=cash_offline measures only
 * the offline cash checkout (the native one takes minutes, mostly waiting on payment polls).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Product } from '../core/protocol';
import { serveRenderer } from '../scripts/static-server';
import { startWechatPaySimulator } from '../server/payments/simulator/index';
import { ean13 } from '../server/seed/demo';
import { issueCodes, upsertProducts } from '../test/helpers/app-server-api';
import { readDemo, startServerProcess } from '../test/helpers/app-server-process';
import { freePort } from '../test/helpers/free-port';
import { profileWhenAsked } from './cpu-profile';
import { quantile, report } from './report';

const SALES = 40;
const WARMUP = 3;
const LINES = 10;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const extra = (sku: string, name: string, category: string, priceFen: number, digits: string) =>
  Product.parse({ sku, name, category, priceFen, barcodes: [ean13(`690${digits}`)] });

/** Four more products, so a cart can have ten lines (the demo has six). */
const EXTRA_PRODUCTS: Product[] = [
  extra('bench-water', '矿泉水', 'drinks', 300, '123409001'),
  extra('bench-juice', '橙汁', 'drinks', 1600, '123409002'),
  extra('bench-muffin', '蓝莓玛芬', 'bakery', 1400, '123409003'),
  extra('bench-cookie', '曲奇饼干', 'bakery', 900, '123409004'),
];

/**
 * In-page code is passed as text: tsx's transform decorates named functions with a helper that
 * does not exist in the page. `until(test)` resolves with test()'s first truthy value, checked on
 * every DOM change.
 */
const UNTIL = `const until = (test) => new Promise((resolve) => {
  const now = test();
  if (now) return resolve(now);
  const observer = new MutationObserver(() => {
    const hit = test();
    if (hit) { observer.disconnect(); resolve(hit); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
const q = (selector) => document.querySelector(selector);
const at = () => performance.timeOrigin + performance.now();`;

/**
 * The timed part in the cashier window: the 10th product's scan, Pay, then WeChat Native (answers
 * when the cashier's own QR code is up) or cash (answers when the sale is done and its receipt
 * preview is shown). Times are epoch ms on performance's clock.
 */
const TIMED_CHECKOUT = `async ({ barcode, lines, tender }) => {
  ${UNTIL}
  for (const key of barcode) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  const start = at();
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  const pay = await until(() => {
    const button = q('[data-testid="pay"]');
    return document.querySelectorAll('[data-testid="cart-line"]').length === lines && button && !button.disabled ? button : null;
  });
  const linesAt = at();
  pay.click();
  const key = await until(() => q(tender === 'native' ? '[data-testid="tender-wechat"]' : '[data-testid="complete-sale"]'));
  const tenderAt = at();
  key.click();
  if (tender === 'native') {
    const img = await until(() => { const el = q('[data-testid="cashier-qr"]'); return el && el.getAttribute('src') ? el : null; });
    return { start, linesAt, tenderAt, cashierQrAt: at(), codeUrl: img.getAttribute('data-code-url') };
  }
  await until(() => q('[data-testid="sale-done"]') && q('[data-testid="receipt-preview"]'));
  return { start, linesAt, tenderAt, doneAt: at() };
}`;

/** On the customer display: notes when each order's QR code is drawn (src set and decoded). */
const WATCH_QR = `() => {
  ${UNTIL}
  window.__qrDrawn = {};
  let lastSrc = null;
  new MutationObserver(() => {
    const img = q('[data-testid="customer-qr"]');
    const src = img && img.getAttribute('src');
    const url = img && img.getAttribute('data-code-url');
    if (!src || src === lastSrc || window.__qrDrawn[url] !== undefined) return;
    lastSrc = src;
    img.decode().then(() => { window.__qrDrawn[url] = at(); });
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
}`;

/** The newest sale in the till's IndexedDB, as the offline check needs it. */
const LAST_SALE = `async () => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('tillpoint');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const r = db.transaction('sales').objectStore('sales').index('createdAt').openCursor(null, 'prev');
      r.onsuccess = () => {
        const s = r.result && r.result.value;
        resolve(s ? { state: s.state, offline: s.request.offline, tenders: s.request.tenders.map((t) => t.kind), redemptions: s.request.redemptionIds.length } : null);
      };
      r.onerror = () => reject(r.error);
    });
  } finally {
    db.close();
  }
}`;

interface Timing {
  start: number;
  linesAt: number;
  tenderAt: number;
  cashierQrAt?: number;
  codeUrl?: string;
  doneAt?: number;
}

/** Types a code the way a keyboard-wedge scanner does (the e2e tests' wedgeScan). */
async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.evaluate(`((code) => {
    for (const key of [...code, 'Enter'])
      window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  })(${JSON.stringify(text)})`);
}

/** Rings up the first nine lines and the two vouchers (not timed), each checked on screen. */
async function ringUpAllButLast(
  page: Page,
  barcodes: readonly string[],
  vouchers: readonly string[],
): Promise<void> {
  for (const [i, barcode] of barcodes.slice(0, LINES - 1).entries()) {
    await wedgeScan(page, barcode);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="cart-line"]').length === n,
      i + 1,
    );
  }
  for (const code of vouchers) {
    await wedgeScan(page, code);
    await page.waitForFunction(
      (c) =>
        document
          .querySelector(`[data-testid="voucher"][data-code="${c}"]`)
          ?.getAttribute('data-state') === 'applied',
      code,
    );
  }
}

async function timedCheckout(
  page: Page,
  barcode: string,
  tender: 'native' | 'cash',
): Promise<Timing> {
  return page.evaluate(`(${TIMED_CHECKOUT})(${JSON.stringify({ barcode, lines: LINES, tender })})`);
}

async function newSale(page: Page): Promise<void> {
  await page.getByTestId('sale-done').waitFor({ timeout: 30_000 });
  await page.getByTestId('new-sale').click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="cart-line"]').length === 0,
  );
}

/** Logs the median of each step, so a slow figure says where its time goes. */
function logSteps(what: string, steps: Record<string, number[]>): void {
  const parts = Object.entries(steps).map(
    ([name, samples]) => `${name} ${quantile(samples, 0.5).toFixed(1)}`,
  );
  log(`${what}, median ms per step: ${parts.join(', ')}`);
}

export async function benchCheckout(options: {
  readonly browser: Browser;
  readonly dist: string;
  readonly logLoad: (what: string) => void;
}): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-bench-checkout-'));
  const sim = await startWechatPaySimulator({ notifyRetryDelaysMs: [200, 500, 1_000, 2_000] });
  const port = await freePort();
  const configFile = join(dataDir, 'wechatpay.json');
  const config = sim.merchantConfig({
    notifyUrl: `http://127.0.0.1:${port}/v1/payments/wechat/notify`,
  });
  await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  const server = await startServerProcess(dataDir, port, ['--wechatpay-config', configFile]);
  const app = await serveRenderer({ root: options.dist, serverUrl: server.url });
  const context = await options.browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const demo = await readDemo(dataDir);
    await upsertProducts(server.url, demo, EXTRA_PRODUCTS);
    const barcodes = [
      ...demo.products.map((p) => p.barcode),
      ...EXTRA_PRODUCTS.map((p) => p.barcodes[0] ?? ''),
    ];
    if (barcodes.length !== LINES) throw new Error(`expected ${LINES} products`);
    const last = barcodes[LINES - 1] ?? '';
    const perKind = 2 * (WARMUP + SALES);
    const cash = await issueCodes(server.url, demo, 'demo-cash', perKind);
    const threshold = await issueCodes(server.url, demo, 'demo-threshold', perKind);
    const vouchersOf = (i: number): string[] => [cash[i] ?? '', threshold[i] ?? ''];

    // The demo's second pairing code is sh-001's too; the scan bench paired with the first.
    const pairing = demo.pairingCodes[1];
    const cashier = demo.cashiers.find((c) => c.storeId === pairing?.storeId);
    if (!pairing || !cashier) throw new Error('demo.json lacks a pairing code or cashier');
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('pair-code').fill(pairing.code);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('login-pin').fill(cashier.pin);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('status-bar').waitFor();
    await page.getByTestId('tab-checkout').click();
    await page.getByTestId('checkout-screen').waitFor();
    // The catalog (with the four added products) and the lease arrive by the change feed.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="status-allowance"]');
      return el !== null && /\d/.test(el.textContent ?? '');
    });
    const customer = await context.newPage();
    await customer.goto(`${app.url}?role=customer`);
    await customer.getByTestId('customer-display').waitFor();
    await customer.evaluate(`(${WATCH_QR})()`);

    if (process.env['BENCH_CHECKOUT'] !== 'cash_offline')
      await nativeCheckouts(page, customer, barcodes, last, vouchersOf, sim.url, options.logLoad);
    await server.stop();
    options.logLoad('before offline cash checkouts');
    await cashOfflineCheckouts(page, barcodes, last, (i) => vouchersOf(WARMUP + SALES + i));
    options.logLoad('after the checkouts');
  } finally {
    await context.close();
    await server.stop().catch(() => undefined);
    await app.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function nativeCheckouts(
  page: Page,
  customer: Page,
  barcodes: readonly string[],
  last: string,
  vouchersOf: (i: number) => string[],
  simUrl: string,
  logLoad: (what: string) => void,
): Promise<void> {
  logLoad('before native checkouts');
  const stopNative = await profileWhenAsked(page, 'checkout-native');
  const native: number[] = [];
  const nativeSteps: Record<string, number[]> = {
    'scan→10 lines': [],
    'Pay→tender': [],
    'WeChat→cashier QR': [],
    'cashier QR→customer QR': [],
  };
  for (let i = 0; i < WARMUP + SALES; i++) {
    await ringUpAllButLast(page, barcodes, vouchersOf(i));
    const t = await timedCheckout(page, last, 'native');
    const codeUrl = t.codeUrl ?? '';
    const drawnAt = Number(
      await customer
        .waitForFunction(
          (url) => (window as unknown as { __qrDrawn: Record<string, number> }).__qrDrawn[url],
          codeUrl,
        )
        .then((h) => h.jsonValue()),
    );
    if (i >= WARMUP) {
      native.push(drawnAt - t.start);
      nativeSteps['scan→10 lines']?.push(t.linesAt - t.start);
      nativeSteps['Pay→tender']?.push(t.tenderAt - t.linesAt);
      nativeSteps['WeChat→cashier QR']?.push((t.cashierQrAt ?? 0) - t.tenderAt);
      nativeSteps['cashier QR→customer QR']?.push(drawnAt - (t.cashierQrAt ?? 0));
    }
    // The customer's phone pays; the till sees it on its next poll and finishes the sale.
    const paid = await fetch(`${simUrl}/sim/scan`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code_url: codeUrl }),
    });
    if (!paid.ok) throw new Error(`the simulator refused to pay: HTTP ${paid.status}`);
    await newSale(page);
  }
  await stopNative();
  report('app.checkout_native.p50_ms', quantile(native, 0.5), 'ms');
  report('app.checkout_native.p95_ms', quantile(native, 0.95), 'ms');
  logSteps('checkout_native', nativeSteps);
}

/** `vouchersOf(i)`: the fresh codes of the i-th offline sale (warm-up included). */
async function cashOfflineCheckouts(
  page: Page,
  barcodes: readonly string[],
  last: string,
  vouchersOf: (i: number) => string[],
): Promise<void> {
  const stopCash = await profileWhenAsked(page, 'checkout-cash-offline');
  const offline: number[] = [];
  const cashSteps: Record<string, number[]> = {
    'scan→10 lines': [],
    'Pay→tender': [],
    'cash→sale done + receipt': [],
  };
  for (let i = 0; i < WARMUP + SALES; i++) {
    await ringUpAllButLast(page, barcodes, vouchersOf(i));
    const t = await timedCheckout(page, last, 'cash');
    const sale = (await page.evaluate(`(${LAST_SALE})()`)) as {
      state: string;
      offline: boolean;
      tenders: string[];
      redemptions: number;
    } | null;
    if (
      sale?.state !== 'pending' ||
      !sale.offline ||
      sale.tenders.join() !== 'cash' ||
      sale.redemptions !== 2
    )
      throw new Error(`the offline sale is not as expected: ${JSON.stringify(sale)}`);
    if (i >= WARMUP) {
      offline.push((t.doneAt ?? 0) - t.start);
      cashSteps['scan→10 lines']?.push(t.linesAt - t.start);
      cashSteps['Pay→tender']?.push(t.tenderAt - t.linesAt);
      cashSteps['cash→sale done + receipt']?.push((t.doneAt ?? 0) - t.tenderAt);
    }
    await newSale(page);
  }
  await stopCash();
  report('app.checkout_cash_offline.p50_ms', quantile(offline, 0.5), 'ms');
  report('app.checkout_cash_offline.p95_ms', quantile(offline, 0.95), 'ms');
  logSteps('checkout_cash_offline', cashSteps);
}
