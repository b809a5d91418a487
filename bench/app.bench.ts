/// <reference lib="dom" />
/**
 * `npm run bench -- app`: the cashier app in browser mode, in Debian's Chromium, against a real
 * sync server. Figures: scan→result in the DOM for 200 quick redemptions online and 200 offline
 * (from the last key of the scan to the result element), the drain of 10,000 queued redemptions
 * after the server returns, the initial bundle size gzipped, the bundled desktop server's
 * start on a fresh data dir (bench/app-server-bundle.ts), and two checkouts of a 10-line cart with
 * two vouchers: WeChat Native online and cash offline (bench/app-checkout.ts).
 * BENCH_APP=checkout runs the checkouts alone (after the build), with BENCH_CHECKOUT=cash_offline
 * only the offline cash one: a few minutes instead of the whole area.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { serveRenderer } from '../scripts/static-server';
import { issueCodes } from '../test/helpers/app-server-api';
import { readDemo, startServerProcess } from '../test/helpers/app-server-process';
import { chromiumLaunchOptions } from '../test/helpers/chromium';
import { benchCheckout } from './app-checkout';
import { benchServerBundleStart } from './app-server-bundle';
import { profileWhenAsked } from './cpu-profile';
import { quantile, report } from './report';

const REPO = join(import.meta.dirname, '..');
const DIST = join(REPO, 'dist', 'renderer');
const log = (line: string): void => void process.stderr.write(`${line}\n`);
/** This is a shared 2-core machine: every figure is logged with the load it was measured under. */
const logLoad = (what: string): void =>
  log(
    `load average (${what}): ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

async function bundleGzipKb(): Promise<number> {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] ?? '',
  );
  let bytes = gzipSync(html).length;
  for (const asset of assets) bytes += gzipSync(await readFile(join(DIST, asset))).length;
  return bytes / 1024;
}

/**
 * In-page code is passed as text: tsx's transform decorates named functions with a helper that
 * does not exist in the page.
 */
const TIMED_SCAN = `(c) => new Promise((resolve) => {
  let start = 0;
  const observer = new MutationObserver(() => {
    const el = document.querySelector('[data-testid="result"]');
    // "Checking…" shows at once; the figure is the time to the decision that follows it.
    if (el && el.getAttribute('data-code') === c && el.getAttribute('data-result') !== 'checking') {
      observer.disconnect();
      resolve(performance.now() - start);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  for (const key of c) window.dispatchEvent(new KeyboardEvent('keydown', { key }));
  start = performance.now();
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
})`;

/** Scans one code like a wedge scanner and returns ms from the Enter key to its result in the DOM. */
async function timedScan(page: Page, code: string): Promise<number> {
  return page.evaluate(`(${TIMED_SCAN})(${JSON.stringify(code)})`);
}

/** Puts `count` pending offline redemptions straight into the app's IndexedDB queue. */
const QUEUE_DIRECTLY = `async (count) => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('tillpoint');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const get = (store, key) => new Promise((resolve, reject) => {
    const r = db.transaction(store).objectStore(store).get(key);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const terminal = await get('meta', 'terminal');
  const lease = await get('meta', 'lease');
  const tx = db.transaction('redemptions', 'readwrite');
  const base = Date.now();
  for (let i = 0; i < count; i++) {
    const hex = (base + i).toString(16).padStart(12, '0');
    const id = hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-7000-8000-' + i.toString(16).padStart(12, '0');
    const code = 'BENCH-' + String(i).padStart(6, '0');
    const at = new Date(base + i).toISOString();
    tx.objectStore('redemptions').put({
      id, code, batchId: null, state: 'pending', decidedBy: 'terminal', discountFen: 100, outcome: null,
      createdAt: base + i, updatedAt: base + i, saleId: null, attempts: 0, lastError: null, queued: 1, unseenConflict: 0,
      request: { id, code, storeId: terminal.store.id, terminalId: terminal.terminalId, at, cart: null,
        offline: { leaseId: lease.lease.leaseId, discountFen: 100 } },
    });
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  return count;
}`;

async function main(): Promise<void> {
  log('building the renderer…');
  const build = spawnSync(
    process.execPath,
    [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: REPO, stdio: ['ignore', 2, 2] },
  );
  if (build.status !== 0) throw new Error('vite build failed');
  if (process.env['BENCH_APP'] === 'checkout') {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      await benchCheckout({ browser, dist: DIST, logLoad });
    } finally {
      await browser.close();
    }
    return;
  }
  report('app.bundle.gzip_kb', await bundleGzipKb(), 'KB');
  logLoad('server bundle start');
  await benchServerBundleStart();

  const dataDir = await mkdtemp(join(tmpdir(), 'tillpoint-bench-'));
  let server = await startServerProcess(dataDir);
  const port = Number(new URL(server.url).port);
  const app = await serveRenderer({ root: DIST, serverUrl: server.url });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const demo = await readDemo(dataDir);
    const page = await browser.newPage();
    const pairing = demo.pairingCodes[0];
    const cashier = demo.cashiers.find((c) => c.storeId === pairing?.storeId);
    if (!pairing || !cashier) throw new Error('demo.json lacks a pairing code or cashier');
    await page.goto(app.url);
    await page.getByTestId('pair-code').fill(pairing.code);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('login-pin').fill(cashier.pin);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('tab-quick').click();
    // The catalog and lease arrive by the change feed; offline scans need them.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="status-allowance"]');
      return el !== null && /\d/.test(el.textContent ?? '');
    });

    // 400 more signed cash codes, so each run scans fresh codes.
    const codes = await issueCodes(server.url, demo, 'demo-cash', 400);
    const perRun = Math.min(200, Math.floor(codes.length / 2));
    log(`${codes.length} fresh cash codes; ${perRun} per run`);

    logLoad('before online scans');
    const online: number[] = [];
    for (const code of codes.slice(0, perRun)) online.push(await timedScan(page, code));
    report('app.scan_online.p50_ms', quantile(online, 0.5), 'ms');
    report('app.scan_online.p95_ms', quantile(online, 0.95), 'ms');

    await server.stop();
    logLoad('before offline scans');
    // BENCH_PROFILE=1: a CPU profile of the page during the offline scans, summarised on stderr.
    const stopProfile = await profileWhenAsked(page, 'offline-scans');
    const offline: number[] = [];
    for (const code of codes.slice(perRun, perRun * 2)) offline.push(await timedScan(page, code));
    report('app.scan_offline.p50_ms', quantile(offline, 0.5), 'ms');
    report('app.scan_offline.p95_ms', quantile(offline, 0.95), 'ms');
    await stopProfile();

    log('queueing 10,000 offline redemptions…');
    const queued = await page.evaluate(`(${QUEUE_DIRECTLY})(10000)`);
    log(`queued ${queued}; restarting the server`);
    // Where the drain's time goes: when the first push left, and how long the server took.
    const pushes: { sentAt: number; waitMs: number; totalMs: number }[] = [];
    page.on('requestfinished', (request) => {
      if (!request.url().endsWith('/v1/redemptions/batch')) return;
      const t = request.timing();
      pushes.push({
        sentAt: t.startTime,
        waitMs: t.responseStart - t.requestStart,
        totalMs: t.responseEnd,
      });
    });
    server = await startServerProcess(dataDir, port);
    logLoad('server back, drain starts');
    const started = performance.now();
    const startedEpoch = Date.now();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status-queued"]')?.textContent === '0',
      undefined,
      { timeout: 300_000, polling: 50 },
    );
    report('app.drain10k.seconds', (performance.now() - started) / 1000, 's');
    logLoad('after the drain');
    const ok = pushes.filter((p) => p.waitMs >= 0).sort((a, b) => a.sentAt - b.sentAt);
    if (ok.length > 0) {
      const wait = ok.map((p) => p.waitMs);
      log(
        `${ok.length} batch pushes answered; first sent ${((ok[0]?.sentAt ?? 0) - startedEpoch).toFixed(0)} ms after the server was back; ` +
          `server wait per batch p50 ${quantile(wait, 0.5).toFixed(0)} ms, max ${Math.max(...wait).toFixed(0)} ms`,
      );
    }

    // The checkouts have a world of their own; this till and its server would only add load.
    await page.close();
    await server.stop();
    await benchCheckout({ browser, dist: DIST, logLoad });
  } finally {
    await browser.close();
    await server.stop().catch(() => undefined);
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
